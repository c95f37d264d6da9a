// RISK 10: the TypeScript quote equals the contract's result to the wei, a TS recomputation of account
// health from raw state equals lens.accountHealth to the wei (funding accrued at the block timestamp), and the
// marginal tier requirements equal MarginMath's (through contracts/test/MarginMathExposed.sol) to the wei.
import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import {
  marginMathExposedAbi,
  marginMathExposedBytecode,
  oracleRouterAbi,
  perpLensAbi,
  perpPoolAbi,
} from "../../../ts/abi/generated";
import { deployContract } from "../../../ts/devnet/deploy";
import { ContractRevertError } from "../../../ts/errors";
import { WAD } from "../../../ts/money";
import { getRiskEngine } from "../../../ts/pool/actions/getRiskEngine";
import { accountHealthAt, type PositionInput } from "../../../ts/pool/math/accountMath";
import { owed } from "../../../ts/pool/math/fundingMath";
import { marginalRatios, packTiers, requirements, type Tier, validateTiers } from "../../../ts/pool/math/marginMath";
import { cumNow } from "../../../ts/pool/math/marketMath";
import { quoteTrade, type TradeQuote } from "../../../ts/pool/quoteTrade";
import { useChain } from "../harness";
import { findMarketSlot, setReserves, tradeOnChain } from "./chainHelpers";
import {
  BTC,
  BTC_PRICE,
  defaultConfig,
  deployProtocolFixture,
  ETH,
  ETH_PRICE,
  fundTrader,
  listMarket,
  type Protocol,
  send,
  setPrice,
} from "./fixture";
import { rng } from "./random";

const chain = useChain();
let p: Protocol;
let testMarket: bigint;
const MAX_U128 = (1n << 128n) - 1n;
const traders = () => [chain.wallet(1), chain.wallet(2), chain.wallet(3)];

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  for (const t of traders()) await fundTrader(chain, p, t, 100_000_000n * 10n ** 6n);
  // A market at index 1.0 with permissive limits, whose reserves the extreme-reserve test overwrites.
  testMarket = await listMarket(chain, p, 1_000_000n * WAD, WAD, {
    ...defaultConfig(),
    bandBps: 2000,
    maxMoveBps: 1000,
    minPositionBase: 1n,
    oiCapBps: 100_000,
    maxOpenInterestBase: MAX_U128,
  });
});

async function readQuoteInputs(marketId: bigint, owner: Address) {
  const read = { address: p.pool, abi: perpPoolAbi } as const;
  const [state, config, position] = await Promise.all([
    chain.publicClient.readContract({ ...read, functionName: "marketState", args: [marketId] }),
    chain.publicClient.readContract({ ...read, functionName: "marketConfig", args: [marketId] }),
    chain.publicClient.readContract({ ...read, functionName: "position", args: [owner, 0n, marketId] }),
  ]);
  return { state, config, position };
}

function tsQuote(...args: Parameters<typeof quoteTrade>): TradeQuote | { errorName: string } {
  try {
    return quoteTrade(...args);
  } catch (err) {
    if (err instanceof ContractRevertError) return { errorName: err.errorName };
    throw err;
  }
}

/** Trades on chain and asserts the TS quote matched to the wei; returns false when the chain refused for a
 * reason the curve quote does not model (price band, margin), after checking TS did not predict a curve revert. */
async function compareTrade(marketId: bigint, traderIndex: number, sizeDelta: bigint): Promise<boolean> {
  const trader = chain.wallet(traderIndex);
  // A fresh timestamp: anvil mines many blocks per second, and the per-block move limit is per timestamp.
  await chain.testClient.increaseTime({ seconds: 1 });
  await chain.testClient.mine({ blocks: 1 });
  const { state, config, position } = await readQuoteInputs(marketId, trader.account.address);
  const expected = tsQuote({ state, config, sizeDelta, position });
  const actual = await tradeOnChain(chain, p.pool, trader, marketId, sizeDelta);
  const ctx = `market ${marketId} reserves ${state.baseReserve}/${state.quoteReserve} size ${sizeDelta}`;
  if ("errorName" in expected) {
    expect(actual.ok ? "(no revert)" : actual.errorName, ctx).toBe(expected.errorName);
    return false;
  }
  if (!actual.ok) {
    expect(
      ["PriceBandExceeded", "BlockMoveLimitExceeded", "InsufficientMargin"],
      `${ctx}: ${actual.message}`,
    ).toContain(actual.errorName);
    return false;
  }
  expect({ quote: actual.quote, base: actual.state.baseReserve, quote_: actual.state.quoteReserve }, ctx).toEqual({
    quote: expected.quote,
    base: expected.baseReserveAfter,
    quote_: expected.quoteReserveAfter,
  });
  expect({ size: actual.size, openNotional: actual.openNotional, fee: actual.fee }, ctx).toEqual({
    size: expected.sizeAfter,
    openNotional: expected.openNotionalAfter,
    fee: expected.fee,
  });
  return true;
}

describe("quoteTrade vs pool.trade (RISK 10)", () => {
  it("matches 36 random trades on ETH and BTC to the wei, flips included", async () => {
    const r = rng(0x5eedn);
    let matched = 0;
    let flips = 0;
    for (let i = 0; i < 36; i++) {
      const traderIndex = 1 + Number(r.between(0n, 2n));
      const marketId = r.bool() ? ETH : BTC;
      const unit = marketId === ETH ? 40n * WAD : 2n * WAD;
      const { position } = await readQuoteInputs(marketId, chain.wallet(traderIndex).account.address);
      // Every third trade on an open position flips it; the others are random in both directions.
      const flip = position.size !== 0n && i % 3 === 0;
      const size = flip ? -position.size - (position.size > 0n ? 1n : -1n) * r.between(WAD / 10n, unit) : 0n;
      const random = (r.bool() ? 1n : -1n) * r.between(10n ** 15n, unit);
      if (flip) flips++;
      if (await compareTrade(marketId, traderIndex, flip ? size : random)) matched++;
    }
    expect(flips).toBeGreaterThanOrEqual(5);
    expect(matched).toBeGreaterThanOrEqual(30);
  });

  it("matches at random reserves from 1 wei to uint128 max (reserves written to storage)", async () => {
    const key = await findMarketSlot(chain, p.pool, testMarket);
    // Edges first: 1-wei and uint128-max reserves (k up to ~2^256), each trading toward the index.
    const edges: [base: bigint, quote: bigint, size: bigint][] = [
      [1n, 3n, -1n],
      [3n, 1n, 1n],
      [2n, 5n, -1n],
      [MAX_U128, (MAX_U128 / 10n) * 9n, 10n ** 25n],
      [MAX_U128 / 3n, MAX_U128, -(10n ** 25n)],
      [MAX_U128 - 1n, MAX_U128 - 2n, 1n],
    ];
    for (const [base, quote, size] of edges) {
      const snap = await chain.snapshot();
      await setReserves(chain, p.pool, key, base, quote);
      expect(await compareTrade(testMarket, 1, size), `edge ${base}/${quote} size ${size}`).toBe(true);
      await chain.revert(snap);
    }
    const r = rng(0xc0ffeen);
    let matched = 0;
    for (let i = 0; i < 40; i++) {
      const base = r.magnitude(127);
      // Mark between 0.3 and 1.7 of the index (1.0); trade toward the index so the price band never binds.
      const ratioBps = r.between(3000n, 17_000n);
      const quote = (base * ratioBps) / 10_000n || 1n;
      if (quote > MAX_U128) continue;
      const buy = quote < base;
      const max = buy ? base - 1n : base;
      let size = max === 0n ? 0n : r.between(1n, max < 10n ** 25n ? max : 10n ** 25n);
      // Shrink until the mark ends no further from the index than it started.
      while (size > 0n) {
        const q = quoteTrade({
          state: { baseReserve: base, quoteReserve: quote },
          config: { feeBps: 10, minPositionBase: 1n },
          sizeDelta: buy ? size : -size,
        });
        const d0 = q.markBefore > WAD ? q.markBefore - WAD : WAD - q.markBefore;
        const d1 = q.markAfter > WAD ? q.markAfter - WAD : WAD - q.markAfter;
        if (d1 <= d0) break;
        size /= 2n;
      }
      if (size === 0n) continue;
      const snap = await chain.snapshot();
      await setReserves(chain, p.pool, key, base, quote);
      if (await compareTrade(testMarket, 1, buy ? size : -size)) matched++;
      await chain.revert(snap);
    }
    expect(matched).toBeGreaterThanOrEqual(25);
  });

  it("reverts with the same error as the chain at the curve's edges", async () => {
    const key = await findMarketSlot(chain, p.pool, testMarket);
    // Buying the whole base reserve: InsufficientReserve(reserve, requested).
    await setReserves(chain, p.pool, key, 5n, 4n);
    expect(await compareTrade(testMarket, 1, 5n)).toBe(false);
    // Selling past uint128 on the base reserve: SafeCastOverflowedUintDowncast(128, value).
    await setReserves(chain, p.pool, key, MAX_U128 - 10n, MAX_U128 - 10n);
    expect(await compareTrade(testMarket, 1, -100n)).toBe(false);
    const expected = tsQuote({
      state: { baseReserve: MAX_U128 - 10n, quoteReserve: MAX_U128 - 10n },
      config: { feeBps: 10, minPositionBase: 1n },
      sizeDelta: -100n,
    });
    expect(expected).toEqual({ errorName: "SafeCastOverflowedUintDowncast" });
  });
});

describe("accountHealth recomputed from raw state (RISK 10)", () => {
  async function healthAt(owner: Address, blockNumber: bigint) {
    const at = { blockNumber } as const;
    const block = await chain.publicClient.getBlock(at);
    const pool = { address: p.pool, abi: perpPoolAbi } as const;
    const account = await chain.publicClient.readContract({
      ...pool,
      functionName: "account",
      args: [owner, 0n],
      ...at,
    });
    const inputs: PositionInput[] = [];
    for (let i = 0n; i < 32n; i++) {
      if (((account.marketMask >> Number(i)) & 1) === 0) continue;
      const [position, state, config, [index, status]] = await Promise.all([
        chain.publicClient.readContract({ ...pool, functionName: "position", args: [owner, 0n, i], ...at }),
        chain.publicClient.readContract({ ...pool, functionName: "marketState", args: [i], ...at }),
        chain.publicClient.readContract({ ...pool, functionName: "marketConfig", args: [i], ...at }),
        chain.publicClient.readContract({
          address: p.oracle,
          abi: oracleRouterAbi,
          functionName: "peek",
          args: [i],
          ...at,
        }),
      ]);
      inputs.push({ marketId: i, position, state, config, index, halted: status === 2, oracleStatus: status });
    }
    // The requirement nets over the pool's risk engine (the deployment sets one), as the lens's does.
    const engine = await getRiskEngine(chain.publicClient, { pool: p.pool, blockNumber });
    return { ts: accountHealthAt(account, inputs, block.timestamp, engine), inputs, timestamp: block.timestamp };
  }

  it("equals lens.accountHealth and lens.positions to the wei after funding accrues", async () => {
    await setPrice(chain, p, ETH, ETH_PRICE);
    await setPrice(chain, p, BTC, BTC_PRICE);
    const [a, b, c] = traders();
    if (!a || !b || !c) throw new Error("no traders");
    // Longs outweigh shorts on ETH: the mark rises above the index and the funding rate turns positive.
    expect(await compareTrade(ETH, 1, 80n * WAD)).toBe(true);
    expect(await compareTrade(ETH, 2, -40n * WAD)).toBe(true);
    expect(await compareTrade(BTC, 1, -3n * WAD)).toBe(true);
    expect(await compareTrade(BTC, 3, 2n * WAD)).toBe(true);
    await chain.testClient.increaseTime({ seconds: 601 });
    await chain.testClient.mine({ blocks: 1 });
    await setPrice(chain, p, ETH, ETH_PRICE);
    await setPrice(chain, p, BTC, BTC_PRICE + 50n * WAD);
    for (const m of [ETH, BTC])
      await send(chain, a, { address: p.pool, abi: perpPoolAbi, functionName: "updateFunding", args: [m] });
    const eth = await chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "marketState",
      args: [ETH],
    });
    expect(eth.fundingRate > 0n).toBe(true);
    await chain.testClient.increaseTime({ seconds: 977 });
    await chain.testClient.mine({ blocks: 1 });

    const blockNumber = await chain.publicClient.getBlockNumber();
    for (const t of [a, b, c]) {
      const owner = t.account.address;
      const { ts, inputs, timestamp } = await healthAt(owner, blockNumber);
      const lens = await chain.publicClient.readContract({
        address: p.lens,
        abi: perpLensAbi,
        functionName: "accountHealth",
        args: [owner, 0n],
        blockNumber,
      });
      // Every field the lens reports (the SDK's health also carries the requirement's parts: SPEC-19 §6).
      const shown = Object.fromEntries(Object.keys(lens).map((k) => [k, ts[k as keyof typeof ts]]));
      expect(shown, `health of ${owner}`).toEqual(lens);
      const views = await chain.publicClient.readContract({
        address: p.lens,
        abi: perpLensAbi,
        functionName: "positions",
        args: [owner, 0n],
        blockNumber,
      });
      const owedTs = inputs.map(({ position, state, config }) => {
        const { cumLong, cumShort } = cumNow(state, config, timestamp);
        return owed(position.size, position.size > 0n ? cumLong : cumShort, position.fundingEntry);
      });
      expect(owedTs).toEqual(views.map((v) => v.fundingOwed));
      expect(owedTs.some((o) => o !== 0n)).toBe(true);
    }
  });
});

describe("MarginMath.requirements vs the library (marginal tiers)", () => {
  /** Random tiers that pass validateTiers: caps increasing in whole units, ratios non-decreasing. */
  function randomTiers(r: ReturnType<typeof rng>): bigint {
    const tiers: Tier[] = [];
    let cap = 0n;
    let ib = 0n;
    let mb = 0n;
    for (let i = 0; i < 3; i++) {
      cap += r.between(1n, 10n ** 12n);
      mb = r.between(mb === 0n ? 1n : mb, 9998n);
      ib = r.between(ib > mb ? ib : mb + 1n, 10_000n);
      tiers.push({ notionalCap: cap * WAD, initialBps: ib, maintenanceBps: mb });
    }
    const packed = packTiers(tiers as [Tier, Tier, Tier]);
    validateTiers(packed);
    return packed;
  }

  it("equals MarginMath to the wei for random tiers, at, around and between every cap", async () => {
    const exposed = await deployContract(p.admin, chain.publicClient, {
      name: "MarginMathExposed",
      abi: marginMathExposedAbi,
      bytecode: marginMathExposedBytecode,
    });
    const read = { address: exposed, abi: marginMathExposedAbi } as const;
    const r = rng(0x52n);
    const cases: { packed: bigint; notional: bigint }[] = [];
    for (let t = 0; t < 24; t++) {
      const packed = t === 0 ? defaultConfig().tiers : randomTiers(r);
      cases.push({ packed, notional: 0n }, { packed, notional: 1n });
      for (let i = 0n; i < 3n; i++) {
        const cap = (packed >> (80n * i)) & ((1n << 48n) - 1n);
        const capWad = cap * WAD;
        for (const n of [capWad - 1n, capWad, capWad + 1n, capWad - r.between(0n, capWad / 10_000n)])
          cases.push({ packed, notional: n });
      }
      for (let k = 0; k < 4; k++) cases.push({ packed, notional: r.magnitude(130) });
    }
    const onChain = await Promise.all(
      cases.map(({ packed, notional }) =>
        Promise.all([
          chain.publicClient.readContract({ ...read, functionName: "requirements", args: [packed, notional] }),
          chain.publicClient.readContract({ ...read, functionName: "marginalRatios", args: [packed, notional] }),
        ]),
      ),
    );
    cases.forEach(({ packed, notional }, i) => {
      const [[initial, maint], [initialBps, maintBps]] = onChain[i] ?? [
        [-1n, -1n],
        [-1n, -1n],
      ];
      const ctx = `tiers ${packed} notional ${notional}`;
      expect(requirements(packed, notional), ctx).toEqual({ initial, maintenance: maint });
      expect(marginalRatios(packed, notional), ctx).toEqual({ initialBps, maintenanceBps: maintBps });
    });
    expect(cases.length).toBe(24 * 18);
  }, 120_000);
});
