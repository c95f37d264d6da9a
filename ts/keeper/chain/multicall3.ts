// Multicall3 (the canonical deployment at 0xcA11bde0..., on nearly every chain) is what makes one eth_call read a
// whole book. Without it the keeper falls back to viem's deployless multicall, whose calldata is contract creation
// code and so is capped at 48 KB (EIP-3860): about a hundred calls per eth_call instead of thousands.
import {
  type Address,
  type Chain,
  createPublicClient,
  custom,
  decodeAbiParameters,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";

export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";
/** Calls per eth_call: with Multicall3 deployed, and with the deployless fallback (initcode size limit). */
export const MULTICALL3_MAX_CALLS = 2_000;
export const DEPLOYLESS_MAX_CALLS = 100;

/** True when `address` has code at the latest block. */
export async function hasCode(client: PublicClient<Transport, Chain>, address: Address): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

/**
 * Multicall3's creation code as viem ships it (viem uses it for deployless calls but does not export it): one
 * deployless multicall is captured before it reaches any node, and its `(bytes code, bytes data)` tail decoded.
 */
export async function multicall3CreationCode(): Promise<Hex> {
  let captured: Hex | undefined;
  const client = createPublicClient({
    transport: custom({
      request: async ({ method, params }) => {
        if (method === "eth_call") captured = (params as [{ data: Hex }])[0].data;
        throw new Error("captured");
      },
    }),
  });
  await client
    .multicall({
      contracts: [{ address: MULTICALL3_ADDRESS, abi: [], functionName: "x" } as never],
      deployless: true,
      allowFailure: true,
    })
    .catch(() => undefined);
  if (!captured) throw new Error("could not capture viem's deployless multicall");
  // deploylessCallViaBytecode constructor args: abi.encode(bytes code, bytes data), after its own bytecode.
  for (let cut = 2; cut < captured.length - 128; cut += 2) {
    const tail = `0x${captured.slice(cut)}` as Hex;
    if (!tail.startsWith("0x0000000000000000000000000000000000000000000000000000000000000040")) continue;
    try {
      const [code] = decodeAbiParameters([{ type: "bytes" }, { type: "bytes" }], tail);
      if (code.startsWith("0x6080")) return code;
    } catch {
      // not the tail yet
    }
  }
  throw new Error("could not find Multicall3's creation code in viem's deployless call");
}

/**
 * Puts Multicall3 at its canonical address on a local anvil (anvil_setCode with the runtime code the creation
 * code returns). For devnets and tests only; real chains have it.
 */
export async function installMulticall3(client: PublicClient<Transport, Chain>): Promise<void> {
  if (await hasCode(client, MULTICALL3_ADDRESS)) return;
  const { data: runtime } = await client.call({ data: await multicall3CreationCode() });
  if (!runtime) throw new Error("Multicall3 creation code returned no runtime code");
  await client.request({ method: "anvil_setCode" as never, params: [MULTICALL3_ADDRESS, runtime] as never });
}
