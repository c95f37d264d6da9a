// Before time runs: the LPs deposit into junior and senior, the crowd and the arbitrageur deposit margin (each into
// its own cross or isolated sub-account), the pool syncs the backstop capital. Automine, in waves.
import type { Address } from "viem";
import { trancheVaultAbi } from "../abi/generated";
import { protocolErrorAbi } from "../chain/protocolErrors";
import type { Deployment } from "../deploy/deployment";
import { type ProtocolWallet, type SentTx, waitForAll } from "../deploy/txQueue";
import type { DevClients } from "../devnet/clients";
import type { Actors } from "./actors";
import { ARB_MARGIN, LPS, type TraderSpec } from "./book";

const USDC = 1_000_000n;

export type SetupActors = {
  juniorA: ProtocolWallet;
  juniorB: ProtocolWallet;
  senior: ProtocolWallet;
  arbitrageur: ProtocolWallet;
  traders: readonly ProtocolWallet[];
  crowd: readonly TraderSpec[];
};

export async function fundEveryone(clients: DevClients, deployment: Deployment, actors: Actors, who: SetupActors) {
  const { junior, senior, pool } = deployment.contracts;
  const wave = (sent: Promise<SentTx>[]) => waitForAll(clients.publicClient, sent, undefined, protocolErrorAbi);
  const lps: { wallet: ProtocolWallet; vault: Address; amount: bigint }[] = [
    { wallet: who.juniorA, vault: junior, amount: BigInt(LPS.juniorA) * USDC },
    { wallet: who.juniorB, vault: junior, amount: BigInt(LPS.juniorB) * USDC },
    { wallet: who.senior, vault: senior, amount: BigInt(LPS.senior) * USDC },
  ];
  const margins = [
    ...who.crowd.map((t, i) => ({
      wallet: who.traders[i] as ProtocolWallet,
      subId: t.subId,
      amount: BigInt(Math.round(t.margin * 1e6)),
    })),
    { wallet: who.arbitrageur, subId: 0n, amount: BigInt(ARB_MARGIN) * USDC },
  ];
  await wave([
    ...lps.map((l) => actors.mint(l.wallet.account.address, l.amount)),
    ...margins.map((m) => actors.mint(m.wallet.account.address, m.amount)),
  ]);
  await wave([
    ...lps.map((l) => actors.approve(l.wallet, l.vault)),
    ...margins.map((m) => actors.approve(m.wallet, pool)),
  ]);
  await wave([
    ...lps.map((l) => actors.vaultDeposit(l.wallet, l.vault, l.amount)),
    ...margins.map((m) => actors.depositMargin(m.wallet, m.subId, m.amount)),
  ]);
  await wave([actors.syncBackstopCapital()]);
}

/** totalAssets, totalPremiumReceived and totalLossCovered of a vault (collateral units). */
export async function readVault(clients: DevClients, vault: Address, blockNumber?: bigint) {
  const v = { address: vault, abi: trancheVaultAbi, ...(blockNumber === undefined ? {} : { blockNumber }) } as const;
  const [nav, premium, loss] = await Promise.all([
    clients.publicClient.readContract({ ...v, functionName: "totalAssets" }),
    clients.publicClient.readContract({ ...v, functionName: "totalPremiumReceived" }),
    clients.publicClient.readContract({ ...v, functionName: "totalLossCovered" }),
  ]);
  return { nav, premium, loss };
}
