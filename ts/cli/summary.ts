// What `npm start` prints at the end: addresses, markets, tranche capital and coverage, trader health and
// a stress line, all read from the lens in one round of parallel calls.
import { type Address, zeroAddress } from "viem";
import { backstopAbi, perpLensAbi, perpPoolAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { ProtocolPublicClient } from "../deploy/txQueue";
import { shortAddress } from "../display/address";
import { formatBps, formatPercent, formatUsdc, formatWad } from "../display/amounts";
import { table } from "../display/table";
import { decodeContractError } from "../errors";
import { MAX_UINT256 } from "../money";
import { inventoryTable, ORACLE_STATUS, repegTable } from "./inventoryTable";

const SECONDS_PER_HOUR = 3_600n;

export type SummaryAccount = { name: string; address: Address; subId: bigint };

export type SummaryInput = {
  deployment: Deployment;
  /** Accounts to show health for and to stress (the seeded traders). */
  accounts: readonly SummaryAccount[];
  /** The seeded LPs, shown under the tranches. */
  lps?: { junior: Address; senior: Address } | undefined;
  /** Market and shock of the stress line (default the first market, -30 %). */
  stress?: { marketId: number; shockBps: bigint };
};

/** Reads everything the summary shows. */
export async function readSummary(publicClient: ProtocolPublicClient, input: SummaryInput) {
  const { pool, lens, backstop } = input.deployment.contracts;
  const stress = input.stress ?? { marketId: 0, shockBps: -3000n };
  const owners = input.accounts.map((a) => a.address);
  const subIds = input.accounts.map((a) => a.subId);
  const [markets, coverage, health, stressResult, syncedCapital, capital, totals, inventory, block] = await Promise.all(
    [
      Promise.all(
        input.deployment.markets.map((m) =>
          publicClient.readContract({
            address: lens,
            abi: perpLensAbi,
            functionName: "marketView",
            args: [BigInt(m.marketId)],
          }),
        ),
      ),
      publicClient.readContract({ address: lens, abi: perpLensAbi, functionName: "coverage" }),
      Promise.all(
        input.accounts.map((a) =>
          publicClient.readContract({
            address: lens,
            abi: perpLensAbi,
            functionName: "accountHealth",
            args: [a.address, a.subId],
          }),
        ),
      ),
      publicClient.readContract({
        address: lens,
        abi: perpLensAbi,
        functionName: "stressTest",
        args: [BigInt(stress.marketId), stress.shockBps, owners, subIds],
      }),
      publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "backstopCapital" }),
      readBackstopCapital(publicClient, backstop),
      publicClient.readContract({ address: backstop, abi: backstopAbi, functionName: "totals" }),
      publicClient.readContract({ address: lens, abi: perpLensAbi, functionName: "inventorySales" }),
      publicClient.getBlock({ blockTag: "latest" }),
    ],
  );
  return {
    markets,
    coverage,
    health,
    stress: stressResult,
    syncedCapital,
    capital,
    totals,
    inventory,
    blockTimestamp: block.timestamp,
  };
}

/**
 * The backstop's capital, or null while its visible loss cannot be read (`capital()` reverts
 * `InventoryLossUnknown` then, rather than report a 0 it did not measure). Any other failure is thrown.
 */
async function readBackstopCapital(publicClient: ProtocolPublicClient, backstop: Address): Promise<bigint | null> {
  try {
    return await publicClient.readContract({ address: backstop, abi: backstopAbi, functionName: "capital" });
  } catch (err) {
    if (decodeContractError(err, backstopAbi)?.name === "InventoryLossUnknown") return null;
    throw err;
  }
}

export type Summary = Awaited<ReturnType<typeof readSummary>>;

/** The human summary, as lines of text. */
export function formatSummary(
  input: SummaryInput,
  s: Summary,
  extra: { rpcUrl?: string; elapsedMs?: number; seeded?: boolean } = {},
) {
  const d = input.deployment;
  const symbol = (id: bigint | number) => d.markets.find((m) => m.marketId === Number(id))?.symbol ?? `#${id}`;
  const out: string[] = [];

  out.push("", `Deployed on chain ${d.chainId} by ${d.deployer} (from block ${d.startBlock})`);
  if (extra.rpcUrl) out.push(`  RPC             ${extra.rpcUrl}`);
  const contracts: [string, Address][] = [
    ["USDC (test)", d.contracts.usdc],
    ["OracleRouter", d.contracts.oracle],
    ["Backstop", d.contracts.backstop],
    ["Junior vault", d.contracts.junior],
    ["Senior vault", d.contracts.senior],
    ["PerpPool", d.contracts.pool],
    ["PerpLens", d.contracts.lens],
    ["RiskEngine", d.contracts.riskEngine],
    ["TailRiskOracle", d.contracts.tailRiskOracle],
    ["RiskTimelock", d.contracts.timelock],
  ];
  for (const [name, address] of contracts) {
    // A deployment file from before [5/6] names no tail-risk oracle or timelock (zero).
    if (address !== zeroAddress) out.push(`  ${name.padEnd(16)}${address}`);
  }
  for (const m of d.markets) out.push(`  ${`${m.symbol} feeds`.padEnd(16)}${m.feeds.join(" ")}`);

  out.push("", "Markets");
  out.push(
    table(
      ["market", "mark", "index", "oracle", "long OI", "short OI", "OI cap/side (base)", "funding/h"],
      s.markets.map((m) => [
        `${symbol(m.marketId)}-PERP`,
        formatWad(m.markPrice),
        formatWad(m.indexPrice),
        ORACLE_STATUS[m.oracleStatus] ?? `status ${m.oracleStatus}`,
        formatWad(m.longOpenInterest, 4),
        formatWad(m.shortOpenInterest, 4),
        formatWad(m.openInterestCapBase, 0),
        // quote per base per second -> share of the index per hour; > 0 longs pay.
        formatPercent(m.fundingRate * SECONDS_PER_HOUR, m.indexPrice, 4),
      ]),
    ),
  );

  out.push("", "Repeg (the curve steps toward the index every block while due)");
  out.push(repegTable(d, s.markets, s.blockTimestamp));
  out.push("", "Backstop inventory for sale (USDC per base)");
  out.push(s.inventory.length === 0 ? "  none held" : inventoryTable(d, s.inventory));

  const c = s.coverage;
  const [premiumJ, premiumS, lossJ, lossS, shortfall] = s.totals;
  out.push("", "Tranches (USDC)");
  if (input.lps) out.push(`  junior LP       ${input.lps.junior}`, `  senior LP       ${input.lps.senior}`);
  out.push(
    `  junior capital  ${formatWad(c.juniorCapital)}   premium received ${formatUsdc(premiumJ)}   losses ${formatUsdc(lossJ)}`,
  );
  out.push(
    `  senior capital  ${formatWad(c.seniorCapital)}   premium received ${formatUsdc(premiumS)}   losses ${formatUsdc(lossS)}`,
  );
  out.push(
    `  backstop        ${s.capital === null ? "unknown (its visible loss cannot be read)" : formatUsdc(s.capital)} available, ${formatUsdc(s.syncedCapital)} synced by the pool, shortfall ${formatUsdc(shortfall)}`,
  );
  out.push(
    `  coverage        ${c.coverageBps === MAX_UINT256 ? "∞ (no open interest)" : formatBps(c.coverageBps)} of open interest ${formatWad(c.openInterestNotional)}`,
  );

  out.push("", "Traders (cross account, valued at the index, USDC)");
  out.push(
    table(
      ["trader", "address", "collateral", "uPnL", "value", "initial req", "maint req", "value/maint", "status"],
      input.accounts.map((a, i) => {
        const h = s.health[i];
        if (!h) return [a.name, shortAddress(a.address)];
        const ratio = h.maintenanceRequirement === 0n ? "—" : `${formatPercent(h.value, h.maintenanceRequirement, 0)}`;
        return [
          a.name,
          shortAddress(a.address),
          formatWad(h.collateral),
          formatWad(h.unrealizedPnl),
          formatWad(h.value),
          formatWad(h.initialRequirement),
          formatWad(h.maintenanceRequirement),
          ratio,
          h.liquidatable ? "LIQUIDATABLE" : "healthy",
        ];
      }),
    ),
  );

  const st = s.stress;
  const index = s.markets.find((m) => m.marketId === st.marketId)?.indexPrice;
  out.push(
    "",
    `Stress ${symbol(st.marketId)} ${formatBps(st.shockBps, 0)} (index ${index === undefined ? "?" : formatWad(index)} -> ${formatWad(st.shockedIndex)}): ` +
      `${st.liquidatableCount} of ${st.accounts.length} accounts liquidatable, bad debt ${formatWad(st.totalBadDebt)} USDC ` +
      `-> junior ${formatWad(st.juniorLoss)}, senior ${formatWad(st.seniorLoss)}, socialized ${formatWad(st.socialized)}`,
  );
  const fallen = st.accounts.filter((a) => a.liquidatable);
  for (const a of fallen) {
    const name = input.accounts.find((x) => x.address === a.owner)?.name ?? shortAddress(a.owner);
    out.push(
      `  ${name}: value ${formatWad(a.value)} < maintenance ${formatWad(a.maintenanceRequirement)}, bad debt ${formatWad(a.badDebt)}`,
    );
  }
  if (extra.elapsedMs !== undefined) {
    const what = extra.seeded === false ? "Deployed (not seeded: --no-seed)" : "Deployed and seeded";
    out.push("", `${what} in ${(extra.elapsedMs / 1000).toFixed(1)} s.`);
  }
  return out;
}
