// Type-level proof that the generated ABIs are literal (`as const`) types: checked by `tsc --noEmit`
// (npm run typecheck), never executed. If the ABI were widened to `Abi`, the @ts-expect-error lines
// would become unused and tsc would fail.
import type { Address } from "viem";
import { expectTypeOf } from "vitest";
import { testUsdcAbi } from "../../ts/abi/generated";
import type { DevClients } from "../../ts/devnet/clients";
import { deployContract } from "../../ts/devnet/deploy";

export async function typeChecks({ publicClient, deployer }: DevClients, usdc: Address, holder: Address) {
  const balance = await publicClient.readContract({
    address: usdc,
    abi: testUsdcAbi,
    functionName: "balanceOf",
    args: [holder],
  });
  expectTypeOf(balance).toEqualTypeOf<bigint>();

  const decimals = await publicClient.readContract({ address: usdc, abi: testUsdcAbi, functionName: "decimals" });
  expectTypeOf(decimals).toEqualTypeOf<number>();

  // @ts-expect-error: not a function of TestUSDC
  await publicClient.readContract({ address: usdc, abi: testUsdcAbi, functionName: "balanceOff", args: [holder] });

  // @ts-expect-error: balanceOf takes an address, not a bigint
  await publicClient.readContract({ address: usdc, abi: testUsdcAbi, functionName: "balanceOf", args: [1n] });

  // @ts-expect-error: mint is not a view function, so it cannot be read
  await publicClient.readContract({ address: usdc, abi: testUsdcAbi, functionName: "mint", args: [holder, 1n] });

  // Constructor args are inferred from the ABI: TestUSDC's constructor takes none.
  const bytecode = "0x00" as const;
  await deployContract(deployer, publicClient, { abi: testUsdcAbi, bytecode });
  // @ts-expect-error: TestUSDC's constructor takes no arguments
  await deployContract(deployer, publicClient, { abi: testUsdcAbi, bytecode, args: [1n] });

  const withCtor = [
    { type: "constructor", inputs: [{ name: "initial", type: "int256" }], stateMutability: "nonpayable" },
  ] as const;
  await deployContract(deployer, publicClient, { abi: withCtor, bytecode, args: [-1n] });
  // @ts-expect-error: args are required when the constructor takes some
  await deployContract(deployer, publicClient, { abi: withCtor, bytecode });
  // @ts-expect-error: int256 is a bigint, not a string
  await deployContract(deployer, publicClient, { abi: withCtor, bytecode, args: ["1"] });
}
