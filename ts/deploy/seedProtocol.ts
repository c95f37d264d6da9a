// Seeds a fresh deployment: a junior and a senior LP deposit into their vaults, the pool re-reads the
// backstop capital (it caps open interest), and a few traders deposit margin and open positions.
// Mints, approvals and deposits go out in waves (one per kind, all senders at once); trades one by one,
// since each moves the curve the next one is priced on.
import { type Address, encodeFunctionData, formatUnits, parseEther } from "viem";
import { perpPoolAbi, testUsdcAbi, trancheVaultAbi } from "../abi/generated";
import { oracleGasHeadroom } from "../chain/oracleGas";
import { protocolErrorAbi } from "../chain/protocolErrors";
import { PerpError } from "../errors";
import { COLLATERAL_DECIMALS, MAX_UINT256 } from "../money";
import type { SeedConfig } from "./config";
import type { Deployment } from "./deployment";
import type { ProtocolClients } from "./deployProtocol";
import { type MinedTx, type ProtocolWallet, type SentTx, TxQueue, waitForAll } from "./txQueue";

export type SeedClients = ProtocolClients & {
  /** actors[0] is the junior LP, actors[1] the senior LP, actors[2 + i] trader i. */
  actors: readonly ProtocolWallet[];
};

export type SeedProgress = { step: number; total: number; label: string; hash: `0x${string}` };

export type SeededTrader = { name: string; address: Address; subId: bigint };

export type SeedResult = {
  juniorLp: Address;
  seniorLp: Address;
  traders: SeededTrader[];
  /** Backstop capital the pool synced after the LP deposits (USDC, 6 decimals). */
  backstopCapital: bigint;
};

export type SeedProtocolOptions = {
  onProgress?: (progress: SeedProgress) => void;
  /** Actors with less native balance than this get `gasTopUp` from the deployer (default 0.05 / 1 ether). */
  minGasBalance?: bigint;
  gasTopUp?: bigint;
};

/**
 * Why `seed` cannot be carried out, or undefined. Open interest is capped by the tranche capital, so with both
 * tranches empty every seeded trade would revert `OpenInterestCapExceeded(..., cap=0)`.
 */
export function emptyTranchesProblem(seed: SeedConfig): string | undefined {
  const trades = seed.traders.reduce((n, t) => n + t.trades.length, 0);
  if (trades === 0 || seed.juniorDeposit + seed.seniorDeposit > 0n) return undefined;
  return (
    `the tranches are empty (seed.juniorDeposit and seed.seniorDeposit are 0), so the open-interest cap is 0 ` +
    `and none of the ${trades} seeded trades can open: deposit LP capital or remove the trades`
  );
}

/**
 * Throws a PerpError before sending anything when the seed cannot work (`emptyTranchesProblem`).
 * @example
 * const seeded = await seedProtocol({ ...clients, actors: clients.wallets.slice(1) }, deployment, config.seed);
 */
export async function seedProtocol(
  clients: SeedClients,
  deployment: Deployment,
  seed: SeedConfig,
  options: SeedProtocolOptions = {},
): Promise<SeedResult> {
  const { publicClient, deployer, actors } = clients;
  const { usdc, pool, junior, senior } = deployment.contracts;
  const needed = 2 + seed.traders.length;
  if (actors.length < needed) {
    throw new PerpError(
      `seeding needs ${needed} funded accounts (2 LPs + ${seed.traders.length} traders), got ${actors.length}`,
    );
  }
  const problem = emptyTranchesProblem(seed);
  if (problem) throw new PerpError(`seeding: ${problem}`);
  const [juniorLp, seniorLp, ...traderWallets] = actors.slice(0, needed) as ProtocolWallet[];
  if (!juniorLp || !seniorLp) throw new PerpError("seeding needs two LP accounts");
  const marketIds = new Map(deployment.markets.map((m) => [m.symbol, BigInt(m.marketId)]));
  const queues = new Map<ProtocolWallet, TxQueue>();
  const queue = (w: ProtocolWallet) => {
    let q = queues.get(w);
    if (!q) {
      q = new TxQueue(w, publicClient, protocolErrorAbi);
      queues.set(w, q);
    }
    return q;
  };
  const usd = (amount: bigint) => `${formatUnits(amount, COLLATERAL_DECIMALS)} USDC`;

  // Gas for the actors (a no-op on anvil, whose dev accounts hold 10,000 ETH).
  const minGas = options.minGasBalance ?? parseEther("0.05");
  const balances = await Promise.all(actors.slice(0, needed).map((w) => publicClient.getBalance(w.account)));
  const poor = actors.slice(0, needed).filter((_, i) => (balances[i] ?? 0n) < minGas);

  const lps = [
    { wallet: juniorLp, vault: junior, amount: seed.juniorDeposit, label: "junior LP" },
    { wallet: seniorLp, vault: senior, amount: seed.seniorDeposit, label: "senior LP" },
  ].filter((lp) => lp.amount > 0n);
  const traders = seed.traders.map((t, i) => ({ ...t, wallet: traderWallets[i] as ProtocolWallet }));
  const funded = traders.filter((t) => t.deposit > 0n);
  const total = poor.length + 3 * (lps.length + funded.length) + 1 + traders.reduce((n, t) => n + t.trades.length, 0);
  let step = 0;
  const onMined = (m: MinedTx) => options.onProgress?.({ step: ++step, total, label: m.label, hash: m.hash });
  const wave = (sent: (SentTx | Promise<SentTx>)[]) => waitForAll(publicClient, sent, onMined, protocolErrorAbi);

  const deployerQueue = queue(deployer);
  await wave(
    poor.map((w) =>
      deployerQueue.send(`gas top-up ${w.account.address}`, {
        to: w.account.address,
        data: "0x",
        value: options.gasTopUp ?? parseEther("1"),
      }),
    ),
  );

  // Mint (the deployer; TestUSDC's mint is open), approve and deposit, one wave each.
  const holders = [
    ...lps.map((lp) => ({ wallet: lp.wallet, spender: lp.vault, amount: lp.amount, label: lp.label })),
    ...funded.map((t) => ({ wallet: t.wallet, spender: pool, amount: t.deposit, label: t.name })),
  ];
  await wave(
    holders.map((h) =>
      deployerQueue.send(`usdc.mint(${h.label}, ${usd(h.amount)})`, {
        to: usdc,
        data: encodeFunctionData({
          abi: testUsdcAbi,
          functionName: "mint",
          args: [h.wallet.account.address, h.amount],
        }),
      }),
    ),
  );
  await wave(
    holders.map((h) =>
      queue(h.wallet).send(`usdc.approve(${h.label})`, {
        to: usdc,
        data: encodeFunctionData({ abi: testUsdcAbi, functionName: "approve", args: [h.spender, h.amount] }),
      }),
    ),
  );
  await wave([
    ...lps.map((lp) =>
      queue(lp.wallet).send(`${lp.label} deposit ${usd(lp.amount)}`, {
        to: lp.vault,
        data: encodeFunctionData({
          abi: trancheVaultAbi,
          functionName: "deposit",
          args: [lp.amount, lp.wallet.account.address],
        }),
      }),
    ),
    ...funded.map((t) =>
      queue(t.wallet).send(`${t.name} depositMargin ${usd(t.deposit)}`, {
        to: pool,
        data: encodeFunctionData({ abi: perpPoolAbi, functionName: "depositMargin", args: [0n, t.deposit] }),
      }),
    ),
  ]);

  // Open interest is capped by the backstop capital the pool last synced: sync before anyone trades.
  await wave([
    deployerQueue.send("pool.syncBackstopCapital", {
      to: pool,
      data: encodeFunctionData({ abi: perpPoolAbi, functionName: "syncBackstopCapital" }),
    }),
  ]);
  const backstopCapital = await publicClient.readContract({
    address: pool,
    abi: perpPoolAbi,
    functionName: "backstopCapital",
  });

  const deadline = (await publicClient.getBlock()).timestamp + 3_600n;
  // A trade may refresh every market the account holds: leave room for every feed call (ts/chain/oracleGas.ts).
  const extraGas = await oracleGasHeadroom(publicClient, pool);
  for (const t of traders) {
    for (const trade of t.trades) {
      const marketId = marketIds.get(trade.market);
      if (marketId === undefined) throw new PerpError(`${t.name}: unknown market ${trade.market}`);
      const side = trade.size > 0n ? "long" : "short";
      // Seeding a fresh chain: any price (the SDK's quotes set real slippage limits).
      const quoteLimit = trade.size > 0n ? MAX_UINT256 : 0n;
      await wave([
        queue(t.wallet).send(
          `${t.name} ${side} ${formatUnits(abs(trade.size), 18)} ${trade.market}`,
          {
            to: pool,
            data: encodeFunctionData({
              abi: perpPoolAbi,
              functionName: "trade",
              args: [t.wallet.account.address, 0n, marketId, trade.size, quoteLimit, deadline],
            }),
          },
          { extraGas },
        ),
      ]);
    }
  }

  return {
    juniorLp: juniorLp.account.address,
    seniorLp: seniorLp.account.address,
    traders: traders.map((t) => ({ name: t.name, address: t.wallet.account.address, subId: 0n })),
    backstopCapital,
  };
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
