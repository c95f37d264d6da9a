// Clients for `start`: dev wallets (the seeded LPs and traders) plus the deployer, which is anvil's
// account 0 unless a private key is given.
import { createPublicClient, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ProtocolWallet } from "../deploy/txQueue";
import { ANVIL_CHAIN_ID, createDevClients, type DevClients } from "../devnet/clients";
import { toPerpError } from "../errors";
import { UsageError } from "./errors";

export type Connection = Omit<DevClients, "deployer"> & { chainId: number; deployer: ProtocolWallet };

export type ConnectOptions = {
  privateKey?: Hex | undefined;
  /** Dev wallets to create (deployer + seeded actors). */
  accounts: number;
  /** True for a node whose dev accounts are funded whatever its chain id (our own anvil, fork mode included). */
  devAccountsFunded: boolean;
};

/** Reads the chain id at `rpcUrl` and builds the clients; throws UsageError when no funded key is known. */
export async function connect(rpcUrl: string, options: ConnectOptions): Promise<Connection> {
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 1 }) });
  const chainId = await probe.getChainId().catch((err: unknown) => {
    throw toPerpError(err, `cannot reach an RPC node at ${rpcUrl}`);
  });
  const clients = createDevClients(rpcUrl, { chainId, accounts: options.accounts });
  if (!options.privateKey) {
    if (!options.devAccountsFunded && chainId !== ANVIL_CHAIN_ID) {
      throw new UsageError(
        `chain ${chainId} at ${rpcUrl} is not a local anvil (31337): pass --private-key or set PRIVATE_KEY to a funded key`,
      );
    }
    return { ...clients, chainId };
  }
  const deployer = createWalletClient({
    account: privateKeyToAccount(options.privateKey),
    chain: clients.chain,
    transport: http(rpcUrl, { retryCount: 0 }),
    cacheTime: 0,
    pollingInterval: 50,
  });
  return { ...clients, chainId, deployer };
}
