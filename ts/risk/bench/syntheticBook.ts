// A book of N synthetic accounts on a real deployment's markets (state, config, oracle breaker, risk engine read from
// the chain), for the report's bench: leverage spread from conservative to near the limit, one- and two-market
// accounts, hedged desks among them, entries scattered around the index, and a funding rate running. Seeded: the
// same N gives the same book.
import { pathRandom } from "../paths";
import type { RiskAccount, RiskBook } from "../types";

const USDC_TOKENS = 10n ** 6n;
const YEAR = 365n * 86_400n;

/** `base` with `accounts` synthetic accounts, tranche capital of 2M junior / 6M senior and a running funding rate. */
export function syntheticBook(base: RiskBook, accounts: number, seed = "bench"): RiskBook {
  const rng = pathRandom(seed, 0);
  const u = () => rng.uniform();
  const n = Math.min(2, base.markets.length);
  const long = base.markets.map(() => 0n);
  const short = base.markets.map(() => 0n);
  const list: RiskAccount[] = [];
  for (let a = 0; a < accounts; a++) {
    const notionalUsd = 2_000 + Math.exp(u() * 5) * 1_000; // 3k .. 150k
    // Most accounts run 1.5x-4x, a tail up to the 10x the initial margin allows.
    const leverage = 1.5 + 8.5 * u() ** 3;
    const kind = u();
    const legs: { m: number; weight: number }[] =
      kind < 0.6 || n < 2
        ? [{ m: Math.floor(u() * n), weight: u() < 0.55 ? 1 : -1 }]
        : kind < 0.8
          ? [
              { m: 0, weight: 1 },
              { m: 1, weight: -0.9 },
            ]
          : [
              { m: 0, weight: u() < 0.5 ? 0.6 : -0.6 },
              { m: 1, weight: u() < 0.5 ? 0.4 : -0.4 },
            ];
    const positions = legs.map(({ m, weight }) => {
      const market = base.markets[m] as RiskBook["markets"][number];
      const index = Number(market.index) / 1e18;
      const entry = index * (1 + (u() - 0.5) * 0.04);
      const base18 = BigInt(Math.round(((notionalUsd * weight) / entry) * 1e6)) * 10n ** 12n;
      if (base18 > 0n) long[m] = (long[m] as bigint) + base18;
      else short[m] = (short[m] as bigint) - base18;
      const openNotional = (base18 * BigInt(Math.round(entry * 1e6))) / 10n ** 6n;
      const cum = base18 > 0n ? market.state.cumFundingLong : market.state.cumFundingShort;
      return { marketId: m, position: { size: base18, openNotional, fundingEntry: cum } };
    });
    positions.sort((x, y) => x.marketId - y.marketId);
    const collateral = BigInt(Math.round((notionalUsd / leverage) * 1e6)) * 10n ** 12n;
    const mask = positions.reduce((k, p) => k | (1 << p.marketId), 0);
    list.push({
      owner: `0x${(a + 1).toString(16).padStart(40, "0")}`,
      subId: 0n,
      account: { collateral, unsettledProfit: 0n, marketMask: mask },
      positions,
    });
  }
  return {
    ...base,
    accounts: list,
    markets: base.markets.map((m, i) => ({
      ...m,
      // Longs pay 10 % of the index a year (per base per second, cum units): funding runs along every path.
      state: {
        ...m.state,
        fundingRate: m.index / 10n / YEAR,
        longOpenInterest: long[i] as bigint,
        shortOpenInterest: short[i] as bigint,
        lastAccrual: Number(base.timestamp),
      },
    })),
    capacity: { juniorTokens: 2_000_000n * USDC_TOKENS, seniorTokens: 6_000_000n * USDC_TOKENS },
  };
}
