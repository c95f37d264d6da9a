// What every section reads: the deployment, the clients, the connected wallet and the chain head, and the
// "something changed" signal (a new block or another wallet) that makes the visible section refresh.
import type { Token } from "@uniswap/sdk-core";
import type { Address, Chain, PublicClient, Transport } from "viem";
import type { Deployment } from "../../deploy/deployment";
import type { WebConfig } from "../config";
import type { PageWallet } from "./wallet";

export type Head = {
  number: bigint;
  timestamp: bigint /** performance.now() when this head was first seen */;
  seenAt: number;
};

export type Ctx = {
  config: WebConfig;
  deployment: Deployment;
  chain: Chain;
  rpcUrl: string;
  publicClient: PublicClient<Transport, Chain>;
  usdc: Token;
  wallet: PageWallet | null;
  head: Head;
  /** Asks for a refresh now (after a transaction), without waiting for the next poll. */
  poke(): void;
  /** A readable name for a known address. */
  label(address: Address): string;
};

/** The chain time now, estimated from the head block and the wall clock since (anvil stamps blocks with real time). */
export function chainNow(head: Head): bigint {
  return head.timestamp + BigInt(Math.floor((performance.now() - head.seenAt) / 1000));
}

export type Section = {
  /** Builds the section's static part (forms) once. */
  mount(root: HTMLElement): void;
  /** Re-reads the chain and redraws the data parts; called on every new block and wallet change while visible. */
  refresh(): Promise<void>;
};
