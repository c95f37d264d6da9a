// What every `perp` command shares: the deployment file that `devnet`/`deploy` wrote, the node it lives on
// (checked: same chain id, contracts present), and the key that signs (env PERP_PRIVATE_KEY, or an anvil dev
// account picked with --account N on a local chain). Everything here runs before any transaction is sent.
import { readFile } from "node:fs/promises";
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PrivateKeyAccount,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { type Deployment, parseDeployment } from "../deploy/deployment";
import { ANVIL_CHAIN_ID, devAccount } from "../devnet/clients";
import { toPerpError } from "../errors";
import { UsageError } from "./errors";

/** Where `perp devnet` / `perp deploy` write the deployment unless told otherwise. */
export const DEFAULT_DEPLOYMENT_PATH = ".perp/deployment.json";
/** The node a deployment file without an `rpcUrl` is looked for on. */
export const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/** The flags every command reading a deployment takes (commander's camel-cased names). */
export type SessionFlags = {
  deployment?: string | undefined;
  rpcUrl?: string | undefined;
  account?: string | undefined;
  json?: boolean | undefined;
};

export type Session = {
  deployment: Deployment;
  deploymentPath: string;
  rpcUrl: string;
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
};

export type SignedSession = Session & {
  wallet: WalletClient<Transport, Chain, PrivateKeyAccount | ReturnType<typeof devAccount>>;
  address: Address;
};

const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+\S*$/i, "--rpc-url: expected an http(s) URL");
const privateKey = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "PERP_PRIVATE_KEY: expected 0x followed by 64 hex digits")
  .transform((s) => s as Hex);
const accountIndex = z
  .string()
  .regex(/^\d{1,3}$/, "--account: expected an anvil dev account number (0-999)")
  .transform(Number);
const fileSchema = z.object({ rpcUrl: z.string().optional() });

/** The deployment file's path: --deployment, env PERP_DEPLOYMENT, or the default. */
export function deploymentPath(flags: SessionFlags, env: NodeJS.ProcessEnv): string {
  return flags.deployment ?? (env.PERP_DEPLOYMENT || DEFAULT_DEPLOYMENT_PATH);
}

/** Reads and validates the deployment file; a missing or malformed file is bad input (exit 2). */
export async function readDeploymentFile(
  file: string,
): Promise<{ deployment: Deployment; rpcUrl?: string | undefined }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT"
        ? `no deployment at ${file}: run \`perp devnet\` or \`perp deploy --rpc-url URL\` first, or pass --deployment FILE`
        : `cannot read the deployment ${file}: ${code ?? String(err)}`,
    );
  }
  try {
    const deployment = parseDeployment(text);
    const extra = fileSchema.safeParse(JSON.parse(text));
    return { deployment, rpcUrl: extra.success ? extra.data.rpcUrl : undefined };
  } catch (err) {
    const reason =
      err instanceof z.ZodError
        ? err.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")
        : (err as Error).message;
    throw new UsageError(`the deployment ${file} is not a deployment file: ${reason}`);
  }
}

/**
 * Opens the deployment on its node: the RPC URL is --rpc-url, env PERP_RPC_URL, the file's `rpcUrl`, or
 * 127.0.0.1:8545. Refuses (exit 2) a node with another chain id or without the pool's code.
 */
export async function openSession(flags: SessionFlags, env: NodeJS.ProcessEnv): Promise<Session> {
  const file = deploymentPath(flags, env);
  const { deployment, rpcUrl: recorded } = await readDeploymentFile(file);
  const url = flags.rpcUrl ?? (env.PERP_RPC_URL || recorded || DEFAULT_RPC_URL);
  const parsedUrl = httpUrl.safeParse(url);
  if (!parsedUrl.success) throw new UsageError(parsedUrl.error.issues[0]?.message ?? "--rpc-url: bad URL");
  const probe = createPublicClient({ transport: http(url, { retryCount: 0 }) });
  const chainId = await probe.getChainId().catch((err: unknown) => {
    throw toPerpError(err, `cannot reach an RPC node at ${url}`);
  });
  if (chainId !== deployment.chainId) {
    throw new UsageError(
      `wrong chain: ${url} is chain ${chainId}, the deployment ${file} is on chain ${deployment.chainId}`,
    );
  }
  const chain = defineChain({
    id: chainId,
    name: chainId === ANVIL_CHAIN_ID ? "Anvil" : `chain ${chainId}`,
    nativeCurrency: { decimals: 18, name: "Ether", symbol: "ETH" },
    rpcUrls: { default: { http: [url] } },
  });
  const publicClient = createPublicClient({
    chain,
    transport: http(url, { retryCount: 0 }),
    cacheTime: 0,
    pollingInterval: 50,
  });
  const code = await publicClient.getCode({ address: deployment.contracts.pool });
  if (!code || code === "0x") {
    throw new UsageError(
      `no pool at ${deployment.contracts.pool} on ${url}: the deployment ${file} is not on this node (restarted devnet?)`,
    );
  }
  return { deployment, deploymentPath: file, rpcUrl: url, chain, publicClient };
}

/** The signing account: PERP_PRIVATE_KEY, or anvil dev account --account N on chain 31337. */
export function signer(flags: SessionFlags, env: NodeJS.ProcessEnv, chainId: number) {
  if (flags.account !== undefined) {
    const index = accountIndex.safeParse(flags.account);
    if (!index.success) throw new UsageError(index.error.issues[0]?.message ?? "--account: bad number");
    if (chainId !== ANVIL_CHAIN_ID) {
      throw new UsageError(
        `--account picks an anvil dev key, only on chain ${ANVIL_CHAIN_ID} (this is ${chainId}): set PERP_PRIVATE_KEY`,
      );
    }
    return devAccount(index.data);
  }
  if (env.PERP_PRIVATE_KEY) {
    const key = privateKey.safeParse(env.PERP_PRIVATE_KEY);
    if (!key.success) throw new UsageError(key.error.issues[0]?.message ?? "PERP_PRIVATE_KEY: bad key");
    return privateKeyToAccount(key.data);
  }
  return undefined;
}

/** A session that can send: throws (exit 2) when no key is given. */
export async function openSignedSession(flags: SessionFlags, env: NodeJS.ProcessEnv): Promise<SignedSession> {
  const session = await openSession(flags, env);
  const account = signer(flags, env, session.chain.id);
  if (!account) {
    throw new UsageError(
      `no key: set PERP_PRIVATE_KEY${session.chain.id === ANVIL_CHAIN_ID ? " or pass --account N (an anvil dev account)" : ""}`,
    );
  }
  const wallet = createWalletClient({
    account,
    chain: session.chain,
    transport: http(session.rpcUrl, { retryCount: 0 }),
    cacheTime: 0,
    pollingInterval: 50,
  });
  return { ...session, wallet, address: account.address };
}

/** The account a read command reports on: --owner, else the signer's address (when a key is given). */
export function ownerOf(
  flags: SessionFlags & { owner?: string | undefined },
  env: NodeJS.ProcessEnv,
  chainId: number,
): Address | undefined {
  if (flags.owner !== undefined) {
    const a = z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "--owner: expected a 0x-prefixed 20-byte address")
      .safeParse(flags.owner);
    if (!a.success) throw new UsageError(a.error.issues[0]?.message ?? "--owner: bad address");
    return a.data as Address;
  }
  return signer(flags, env, chainId)?.address;
}
