// Pure properties and known vectors of the bigint mirrors of the Solidity libraries (no chain).
import { Percent } from "@uniswap/sdk-core";
import { describe, expect, it } from "vitest";
import { ContractRevertError } from "../../../ts/errors";
import { WAD } from "../../../ts/money";
import { accrue, owed, rateFromPremium } from "../../../ts/pool/math/fundingMath";
import {
  marginalRatios,
  notionalUp,
  packTiers,
  requirements,
  unpackTier,
  unrealizedPnl,
  validateTiers,
} from "../../../ts/pool/math/marginMath";
import { applyLeg, isReducing } from "../../../ts/pool/math/positionMath";
import { baseForQuoteIn, markPrice, quoteForSellingBase, quoteToBuyBase } from "../../../ts/pool/math/vammMath";
import { quoteSizeForQuote, quoteTrade } from "../../../ts/pool/quoteTrade";
import { sizeSchema, slippageSchema } from "../../../ts/pool/schemas";
import { quoteLimitFor } from "../../../ts/pool/slippage";
import { defaultConfig } from "./fixture";
import { rng } from "./random";

const MAX_U128 = (1n << 128n) - 1n;

function revertName(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContractRevertError) return err.errorName;
    throw err;
  }
  return "(no revert)";
}

describe("VammMath", () => {
  it("known vector: reserves quote 1000 / base 100, 600 quote buys 37.5 base", () => {
    expect(baseForQuoteIn(100n * WAD, 1000n * WAD, 600n * WAD)).toBe(375n * 10n ** 17n);
    expect(quoteToBuyBase(100n * WAD, 1000n * WAD, 375n * 10n ** 17n)).toEqual({
      quote: 600n * WAD,
      newBase: 625n * 10n ** 17n,
      newQuote: 1600n * WAD,
    });
    expect(quoteForSellingBase(100n * WAD, 1000n * WAD, 25n * WAD)).toEqual({
      quote: 200n * WAD,
      newBase: 125n * WAD,
      newQuote: 800n * WAD,
    });
    expect(markPrice(100n * WAD, 1000n * WAD)).toBe(10n * WAD);
  });

  it("rounds against the trader: 1-wei reserves and uneven divisions", () => {
    // base 3, quote 10: k = 30. Buying 1 leaves base 2, quote ceil(30/2) = 15: pays 5.
    expect(quoteToBuyBase(3n, 10n, 1n)).toEqual({ quote: 5n, newBase: 2n, newQuote: 15n });
    // Selling 1 into base 3: quote ceil(30/4) = 8, receives 2 (exact would be 2.5).
    expect(quoteForSellingBase(3n, 10n, 1n)).toEqual({ quote: 2n, newBase: 4n, newQuote: 8n });
    expect(quoteForSellingBase(1n, 1n, 1n)).toEqual({ quote: 0n, newBase: 2n, newQuote: 1n });
    expect(baseForQuoteIn(1n, 1n, 1n)).toBe(0n);
  });

  it("reverts like the library: ZeroAmount, InsufficientReserve, overflow, zero base", () => {
    expect(revertName(() => quoteToBuyBase(10n, 10n, 0n))).toBe("ZeroAmount");
    expect(revertName(() => quoteForSellingBase(10n, 10n, 0n))).toBe("ZeroAmount");
    expect(revertName(() => baseForQuoteIn(10n, 10n, 0n))).toBe("ZeroAmount");
    expect(revertName(() => quoteToBuyBase(10n, 10n, 10n))).toBe("InsufficientReserve");
    expect(() => quoteToBuyBase(10n, 10n, 11n)).toThrow("InsufficientReserve: reserve=10 requested=11");
    expect(revertName(() => quoteToBuyBase(1n << 200n, 1n << 200n, 1n))).toBe("Panic");
    expect(revertName(() => markPrice(0n, 1n))).toBe("DivisionByZero");
  });

  it("k never decreases and a round trip never gains, for random reserves up to uint128 max", () => {
    const r = rng(0xbeefn);
    for (let i = 0; i < 500; i++) {
      const base = r.magnitude(128) + 1n;
      const quote = r.magnitude(128);
      const size = r.between(1n, base - 1n);
      const buy = quoteToBuyBase(base, quote, size);
      expect(buy.newBase * buy.newQuote >= base * quote).toBe(true);
      const back = quoteForSellingBase(buy.newBase, buy.newQuote, size);
      expect(back.quote <= buy.quote).toBe(true);
      expect(back.newBase).toBe(base);
      const sell = quoteForSellingBase(base, quote, size);
      expect(sell.newBase * sell.newQuote >= base * quote).toBe(true);
      // Buying what `quoteIn` buys (baseForQuoteIn, rounded down) never costs more than `quoteIn`.
      const quoteIn = r.magnitude(128);
      const got = baseForQuoteIn(base, quote, quoteIn);
      if (got > 0n) expect(quoteToBuyBase(base, quote, got).quote <= quoteIn).toBe(true);
    }
  });
});

describe("PositionMath", () => {
  it("opens, adds, reduces and closes with the closed notional rounded toward +inf", () => {
    expect(applyLeg(0n, 0n, 2n * WAD, 4000n * WAD)).toEqual({
      newSize: 2n * WAD,
      newOpenNotional: 4000n * WAD,
      realizedPnl: 0n,
    });
    expect(applyLeg(2n * WAD, 4000n * WAD, -WAD, -2100n * WAD)).toEqual({
      newSize: WAD,
      newOpenNotional: 2000n * WAD,
      realizedPnl: 100n * WAD,
    });
    // 1/3 of 10 wei notional: ceil(10/3) = 4 closed, so 6 stay open; realized = -(4 - 5) = 1.
    expect(applyLeg(3n, 10n, -1n, -5n)).toEqual({ newSize: 2n, newOpenNotional: 6n, realizedPnl: 1n });
    // Short: -10 notional, close 1/3: ceil(-10/3) = -3.
    expect(applyLeg(-3n, -10n, 1n, 2n)).toEqual({ newSize: -2n, newOpenNotional: -7n, realizedPnl: 1n });
    expect(applyLeg(-3n, -10n, 3n, 12n)).toEqual({ newSize: 0n, newOpenNotional: 0n, realizedPnl: -2n });
  });

  it("refuses a flip in one leg, and classifies legs", () => {
    expect(() => applyLeg(2n, 5n, -3n, -6n)).toThrow("FlipInOneLeg: size=2 sizeDelta=-3");
    expect(isReducing(0n, 1n)).toBe(false);
    expect(isReducing(5n, 1n)).toBe(false);
    expect(isReducing(5n, -1n)).toBe(true);
    expect(isReducing(-5n, 7n)).toBe(true);
  });
});

describe("MarginMath", () => {
  const tiers = defaultConfig().tiers;

  it("packs and unpacks the fixture tiers", () => {
    expect(unpackTier(tiers, 0)).toEqual({ notionalCap: 100_000n * WAD, initialBps: 1000n, maintenanceBps: 500n });
    expect(unpackTier(tiers, 2)).toEqual({
      notionalCap: 100_000_000n * WAD,
      initialBps: 3300n,
      maintenanceBps: 1650n,
    });
    expect(packTiers([unpackTier(tiers, 0), unpackTier(tiers, 1), unpackTier(tiers, 2)])).toBe(tiers);
    expect(() => validateTiers(tiers)).not.toThrow();
    expect(revertName(() => validateTiers(0n))).toBe("InvalidTiers");
  });

  it("reports the marginal tier of the last unit (cap inclusive; the last tier beyond the last cap)", () => {
    expect(marginalRatios(tiers, 100_000n * WAD)).toEqual({ initialBps: 1000n, maintenanceBps: 500n });
    expect(marginalRatios(tiers, 100_000n * WAD + 1n)).toEqual({ initialBps: 2000n, maintenanceBps: 1000n });
    expect(marginalRatios(tiers, 10n ** 40n)).toEqual({ initialBps: 3300n, maintenanceBps: 1650n });
  });

  it("charges each tier's ratio on the part of the notional inside it, rounded up once", () => {
    expect(requirements(tiers, 0n)).toEqual({ initial: 0n, maintenance: 0n });
    expect(requirements(tiers, 1n)).toEqual({ initial: 1n, maintenance: 1n });
    expect(requirements(tiers, 1000n * WAD)).toEqual({ initial: 100n * WAD, maintenance: 50n * WAD });
    expect(requirements(tiers, 100_000n * WAD + 1n)).toEqual({
      initial: 10_000n * WAD + 1n,
      maintenance: 5000n * WAD + 1n,
    });
    // 10 % of 100k + 20 % of 50k; 5 % + 10 %.
    expect(requirements(tiers, 150_000n * WAD)).toEqual({ initial: 20_000n * WAD, maintenance: 10_000n * WAD });
    // ... + 33 % / 16.5 % of the 1M above the second cap.
    expect(requirements(tiers, 2_000_000n * WAD)).toEqual({ initial: 520_000n * WAD, maintenance: 260_000n * WAD });
  });

  it("moves by about 1 bp of notional on a 1-bp move across a tier boundary (RISK 52)", () => {
    // The short: 99,980 of notional, +0.05 % on the index.
    expect(requirements(tiers, 99_980n * WAD).maintenance).toBe(4999n * WAD);
    expect(requirements(tiers, (99_980n * WAD * 10_005n) / 10_000n).maintenance).toBe(5002_999n * 10n ** 15n);
    const n = 99_995n * WAD;
    const moved = (n * 10_001n) / 10_000n;
    const step = requirements(tiers, moved).maintenance - requirements(tiers, n).maintenance;
    expect(step).toBe(74_995n * 10n ** 13n); // 5 % of 5 + 10 % of 4.9995
  });

  it("is continuous and non-decreasing: a 1-wei to 1-bp change moves it by at most the top ratio + 1 wei", () => {
    const r = rng(52n);
    for (let i = 0; i < 500; i++) {
      const n = r.bool()
        ? r.magnitude(120)
        : unpackTier(tiers, Number(r.between(0n, 1n))).notionalCap - r.between(0n, 10n * WAD);
      const d = r.between(1n, n / 10_000n + 1n);
      const a = requirements(tiers, n);
      const b = requirements(tiers, n + d);
      expect(b.initial >= a.initial && b.maintenance >= a.maintenance).toBe(true);
      expect(b.initial - a.initial <= (d * 3300n) / 10_000n + 1n).toBe(true);
      expect(b.maintenance - a.maintenance <= (d * 1650n) / 10_000n + 1n).toBe(true);
    }
  });

  it("values positions at index rounding against the trader", () => {
    expect(notionalUp(-3n, WAD / 2n)).toBe(2n);
    expect(unrealizedPnl(-3n, -1n, WAD / 2n)).toBe(-1n); // floor(-1.5) - (-1) = -2 + 1
    expect(unrealizedPnl(2n * WAD, 4000n * WAD, 2100n * WAD)).toBe(200n * WAD);
  });
});

describe("FundingMath", () => {
  it("rate is the clamped gap over the period, signed", () => {
    expect(rateFromPremium(2010n * WAD, 2000n * WAD, 50n, 3600n)).toBe((10n * WAD) / 3600n);
    expect(rateFromPremium(1990n * WAD, 2000n * WAD, 50n, 3600n)).toBe(-((10n * WAD) / 3600n));
    expect(rateFromPremium(3000n * WAD, 2000n * WAD, 50n, 3600n)).toBe((10n * WAD) / 3600n); // cap 0.5 %
    expect(rateFromPremium(WAD, WAD, 50n, 3600n)).toBe(0n);
  });

  it("accrues with the backstop's imbalance payment capped by the budget", () => {
    // Longs pay 1e15 per second per base, 10 long vs 30 short: receivers would get 3x what payers pay.
    const a = accrue(10n ** 15n, 0n, 10n, 10n * WAD, 30n * WAD, 0n);
    expect(a.dLong).toBe(10n ** 16n);
    expect(a.dShort).toBe((10n ** 17n * WAD) / (30n * WAD)); // credit cut to paid / receiverOI
    // The budget is 0: the backstop pays nothing; rounding leaves it a few wei.
    expect(a.backstopFlow >= 0n && a.backstopFlow < 30n).toBe(true);
    const full = accrue(10n ** 15n, 0n, 10n, 10n * WAD, 30n * WAD, 10n ** 30n);
    expect(full).toEqual({ dLong: 10n ** 16n, dShort: 10n ** 16n, backstopFlow: -(2n * 10n ** 17n), kickerFlow: 0n });
    const neg = accrue(-(10n ** 15n), 0n, 10n, 30n * WAD, 10n * WAD, 0n);
    expect(neg.dShort).toBe(-(10n ** 16n));
    expect(accrue(0n, 0n, 10n, 1n, 1n, 0n)).toEqual({ dLong: 0n, dShort: 0n, backstopFlow: 0n, kickerFlow: 0n });
  });

  it("the kicker charges the crowded side more and credits nobody: its flow is the tranches'", () => {
    // Rate 1e15 (longs pay) plus a kicker of 2e14 on longs, 10 long vs 10 short, 10 s.
    const k = accrue(10n ** 15n, 2n * 10n ** 14n, 10n, 10n * WAD, 10n * WAD, 0n);
    expect(k.dLong).toBe(10n ** 16n + 2n * 10n ** 15n);
    expect(k.dShort).toBe(10n ** 16n);
    expect(k.kickerFlow).toBe(2n * 10n ** 16n);
    expect(k.backstopFlow).toBe(2n * 10n ** 16n);
    // Shorts crowded, no rate: only their credit index falls.
    const s = accrue(0n, -(10n ** 14n), 10n, 3n * WAD, 7n * WAD, 0n);
    expect(s).toEqual({ dLong: 0n, dShort: -(10n ** 15n), backstopFlow: 7n * 10n ** 15n, kickerFlow: 7n * 10n ** 15n });
  });

  it("owed rounds toward +inf for both sides", () => {
    expect(owed(3n, 1n, 0n)).toBe(1n); // 3e-18 -> 1 wei
    expect(owed(-3n, 1n, 0n)).toBe(0n); // -3e-18 -> 0 (toward +inf)
    expect(owed(-3n * WAD, -2n, 0n)).toBe(6n);
    expect(owed(5n, 7n, 7n)).toBe(0n);
  });
});

describe("quoteTrade", () => {
  const config = defaultConfig();
  const state = { baseReserve: 10_000n * WAD, quoteReserve: 20_000_000n * WAD };

  it("quotes a long like VammMath and charges mulDivUp(quote, feeBps, 10000)", () => {
    const q = quoteTrade({ state, config, sizeDelta: WAD });
    const curve = quoteToBuyBase(state.baseReserve, state.quoteReserve, WAD);
    expect(q.quote).toBe(curve.quote);
    expect(q.quoteDelta).toBe(curve.quote);
    expect(q.fee).toBe((curve.quote * 10n + 9_999n) / 10_000n);
    expect(q.baseReserveAfter).toBe(curve.newBase);
    expect(q.markAfter).toBe(markPrice(curve.newBase, curve.newQuote));
    expect(q).toMatchObject({ flips: false, addsRisk: true, sizeAfter: WAD, openNotionalAfter: curve.quote });
  });

  it("splits a flip into close and open legs as PerpPool._legs", () => {
    const position = { size: 2n * WAD, openNotional: 3990n * WAD };
    const q = quoteTrade({ state, config, sizeDelta: -5n * WAD, position });
    expect(q.flips).toBe(true);
    expect(q.legs.map((l) => l.sizeDelta)).toEqual([-2n * WAD, -3n * WAD]);
    const close = quoteForSellingBase(state.baseReserve, state.quoteReserve, 2n * WAD);
    const open = quoteForSellingBase(close.newBase, close.newQuote, 3n * WAD);
    expect(q.legs.map((l) => l.quoteDelta)).toEqual([-close.quote, -open.quote]);
    expect(q.quote).toBe(close.quote + open.quote);
    expect(q.realizedPnl).toBe(close.quote - 3990n * WAD);
    expect(q).toMatchObject({ sizeAfter: -3n * WAD, openNotionalAfter: -open.quote });
  });

  it("reverts like the pool: dust remainder, zero size, reserve overflow", () => {
    expect(revertName(() => quoteTrade({ state, config, sizeDelta: 10n }))).toBe("DustPosition");
    expect(revertName(() => quoteTrade({ state, config, sizeDelta: 0n }))).toBe("ZeroAmount");
    const huge = { baseReserve: MAX_U128, quoteReserve: 2n };
    expect(revertName(() => quoteTrade({ state: huge, config, sizeDelta: -WAD }))).toBe(
      "SafeCastOverflowedUintDowncast",
    );
  });

  it("sizes a quote-denominated order with baseForQuoteIn", () => {
    const size = quoteSizeForQuote({ state, quoteIn: 10_000n * WAD });
    expect(quoteTrade({ state, config, sizeDelta: size }).quote <= 10_000n * WAD).toBe(true);
    expect(quoteTrade({ state, config, sizeDelta: size + 10n ** 6n }).quote > 10_000n * WAD).toBe(true);
  });

  it("derives quote limits that allow exactly the stated slippage", () => {
    expect(quoteLimitFor(1n, 10_000n, 50n)).toBe(10_050n);
    expect(quoteLimitFor(-1n, 10_000n, 50n)).toBe(9_950n);
    expect(quoteLimitFor(-1n, 3n, 5000n)).toBe(2n); // ceil(1.5)
  });
});

describe("schemas", () => {
  it("parse sizes and slippage", () => {
    expect(sizeSchema.parse("-0.25")).toBe(-(WAD / 4n));
    expect(sizeSchema.safeParse("0").success).toBe(false);
    expect(sizeSchema.safeParse("1e18").success).toBe(false);
    expect(slippageSchema.parse(new Percent(1, 200))).toBe(50n);
    expect(slippageSchema.safeParse(10_001).success).toBe(false);
  });
});
