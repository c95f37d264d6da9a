// The funding policy's TS mirror against a real chain, to the wei: FundingPolicy.next (ts/pool/math/fundingPolicy.ts)
// on inputs read from the chain equals the lens's forecast of an update now, and both equal what `updateFunding` then
// emits in a block at the same time (the same state: evm_snapshot / evm_revert); cumNow with a kicker equals the
// lens's indices; getFundingForecast and getFundingHistory read the same figures.
import { type Hash, parseEventLogs } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { perpLensAbi, perpPoolAbi } from "../../../ts/abi/generated";
import { WAD } from "../../../ts/money";
import { getFundingForecast, getFundingHistory } from "../../../ts/pool";
import {
  accrue,
  cumNow,
  FundingPolicy,
  type FundingPolicyInputs,
  fundingSiblings,
  maxNext,
  perSecond,
  siblingIds,
} from "../../../ts/pool/math";
import { min } from "../../../ts/pool/math/solidity";
import type { FundingOutcome, FundingParams } from "../../../ts/pool/types";
import { useChain } from "../harness";
import { tradeOnChain } from "./chainHelpers";
import { BTC, BTC_PRICE, deployProtocolFixture, ETH, ETH_PRICE, fundTrader, type Protocol, setPrice } from "./fixture";
import { DEFAULT_FUNDING_PARAMS, setDefaultFunding, setFundingParams } from "./fundingFixture";

const chain = useChain();
let p: Protocol;
const USDC = 10n ** 6n;
const ALICE = 1;
const BOB = 2;
const KEEPER = 7;

const setParams = (marketId: bigint, params: Partial<FundingParams>) => setFundingParams(chain, p, marketId, params);

const readView = (marketId: bigint, blockNumber: bigint) =>
  chain.publicClient.readContract({
    address: p.lens,
    abi: perpLensAbi,
    functionName: "marketView",
    args: [marketId],
    blockNumber,
  });
const readForecast = (marketId: bigint, blockNumber: bigint) =>
  chain.publicClient.readContract({
    address: p.lens,
    abi: perpLensAbi,
    functionName: "fundingForecast",
    args: [marketId],
    blockNumber,
  });

/** FundingPolicy.Inputs as the lens assembles them, from the pool's and the lens's views at `blockNumber`. */
async function inputsAt(marketId: bigint, blockNumber: bigint): Promise<FundingPolicyInputs> {
  const at = { address: p.pool, abi: perpPoolAbi, blockNumber } as const;
  const [view, config, state, params, own, capital] = await Promise.all([
    readView(marketId, blockNumber),
    chain.publicClient.readContract({ ...at, functionName: "marketConfig", args: [marketId] }),
    chain.publicClient.readContract({ ...at, functionName: "marketState", args: [marketId] }),
    chain.publicClient.readContract({ ...at, functionName: "fundingParams", args: [marketId] }),
    chain.publicClient.readContract({ ...at, functionName: "fundingSnapshot", args: [marketId] }),
    chain.publicClient.readContract({ ...at, functionName: "backstopCapital" }),
  ]);
  const siblings = await Promise.all(
    siblingIds(params).map((id) =>
      chain.publicClient.readContract({ ...at, functionName: "fundingSnapshot", args: [id] }),
    ),
  );
  return {
    twapMark: view.twapMark,
    twapIndex: view.twapIndex,
    vouched: view.oracleStatus === 0,
    varianceBps2: view.realizedVarianceBps2,
    fundingPeriod: BigInt(config.fundingPeriod),
    maxPremiumBps: BigInt(config.maxPremiumBps),
    longOI: state.longOpenInterest,
    shortOI: state.shortOpenInterest,
    // USDC tokens (6 decimals) to whole quote units, read only when the kicker is on (as the pool does).
    capitalWhole: params.kickerMaxE8 !== 0 ? capital / USDC : 0n,
    prevCharged: BigInt(own.charged),
    prevNet: BigInt(state.fundingNet),
    params,
    siblings: fundingSiblings(siblings, state.periodStart),
  };
}

type Roll = { inputs: FundingPolicyInputs; outcome: FundingOutcome; hash: Hash };

/**
 * At the market's next due time T: the TS policy on the chain's inputs == the lens's forecast in a block at T; then,
 * from the same state, `updateFunding` mined at T emits the same figures. The update stays.
 */
async function rollAndCompare(marketId: bigint): Promise<Roll> {
  const [view, head] = await Promise.all([
    chain.publicClient.readContract({
      address: p.lens,
      abi: perpLensAbi,
      functionName: "marketView",
      args: [marketId],
    }),
    chain.publicClient.getBlock(),
  ]);
  const t = view.nextFundingUpdate > head.timestamp ? view.nextFundingUpdate : head.timestamp + 1n;
  const before = await chain.snapshot();
  await chain.testClient.setNextBlockTimestamp({ timestamp: t });
  await chain.testClient.mine({ blocks: 1 });
  const block = await chain.publicClient.getBlockNumber();
  const [inputs, forecast] = await Promise.all([inputsAt(marketId, block), readForecast(marketId, block)]);
  const outcome = FundingPolicy.next(inputs);
  expect(outcome).toEqual(forecast.next);
  expect(forecast.maxNextPremium).toBe(maxNext(inputs.params, outcome.cap, inputs.prevCharged));
  expect(forecast.chargedPremium).toBe(inputs.prevCharged);
  await chain.revert(before);

  await chain.testClient.setNextBlockTimestamp({ timestamp: t });
  const hash = await chain.wallet(KEEPER).writeContract({
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "updateFunding",
    args: [marketId],
    gas: 5_000_000n,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  expect(receipt.status).toBe("success");
  const [event] = parseEventLogs({ abi: perpPoolAbi, eventName: "FundingUpdated", logs: receipt.logs });
  expect(event?.args).toEqual({
    marketId,
    ratePerSecond: outcome.ratePerSecond,
    kickerPerSecond: outcome.kickerPerSecond,
    twapMark: inputs.twapMark,
    twapIndex: inputs.twapIndex,
    premium: outcome.premium,
    blended: outcome.blended,
    charged: outcome.charged,
    kicker: outcome.kicker,
    capEffective: outcome.capEffective,
  });
  // The rate and the kicker the market now charges.
  const state = await chain.publicClient.readContract({
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "marketState",
    args: [marketId],
  });
  expect([state.fundingRate, state.fundingKicker]).toEqual([outcome.ratePerSecond, outcome.kickerPerSecond]);
  return { inputs, outcome, hash };
}

/** Inputs for the chain-free cases: ETH at 2,000, 1 long and 1 short, the defaults with a 1 % kicker threshold. */
function pureInputs(): FundingPolicyInputs {
  return {
    twapMark: ETH_PRICE,
    twapIndex: ETH_PRICE,
    vouched: true,
    varianceBps2: 0n,
    fundingPeriod: 3600n,
    maxPremiumBps: 50n,
    longOI: WAD,
    shortOI: WAD,
    capitalWhole: 0n,
    prevCharged: 0n,
    prevNet: 0n,
    params: { ...DEFAULT_FUNDING_PARAMS, capE8: 500_000, kickerThresholdBps: 100 },
    siblings: [],
  };
}

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  await setDefaultFunding(chain, p);
  await fundTrader(chain, p, chain.wallet(ALICE), 200_000n * USDC);
  await fundTrader(chain, p, chain.wallet(BOB), 200_000n * USDC);
});

describe("FundingPolicy mirror", () => {
  it("derives the cap from the base tier: 10 % of IM - MM = 50 bps per period, as the pool stored it", async () => {
    const params = await chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "fundingParams",
      args: [ETH],
    });
    expect(FundingPolicy.deriveCapE8(1000n, 1000n, 500n, 50n)).toBe(500_000n);
    expect(BigInt(params.capE8)).toBe(500_000n);
    expect(FundingPolicy.cap(params, 50n)).toBe(5n * 10n ** 9n);
    expect(FundingPolicy.deriveCapE8(10_000n, 1000n, 500n, 10n)).toBe(100_000n); // the absolute cap binds
    expect(FundingPolicy.deriveCapE8(0n, 1000n, 500n, 50n)).toBe(0n);
    expect(siblingIds(params)).toEqual([BTC]);
  });

  it("truncates signed divisions toward zero as Solidity does", () => {
    expect(FundingPolicy.premiumOf(ETH_PRICE - 1n, ETH_PRICE, 10n ** 12n)).toBe(0n);
    expect(FundingPolicy.premiumOf(ETH_PRICE - 2000n * 10n ** 6n, ETH_PRICE, 10n ** 12n)).toBe(-1n);
    expect(FundingPolicy.perSecond(-1n, 10n ** 15n, 3600n)).toBe(0n);
    expect(FundingPolicy.perSecond(-(3600n * 10n ** 12n) - 1n, WAD, 3600n)).toBe(-WAD - 277n); // floor: -278
  });

  it("an index the oracle does not vouch for charges nothing, and the caps and notionals still show", () => {
    const o = FundingPolicy.next({ ...pureInputs(), vouched: false });
    expect([o.premium, o.blended, o.charged, o.kicker, o.ratePerSecond, o.kickerPerSecond]).toEqual([
      0n,
      0n,
      0n,
      0n,
      0n,
      0n,
    ]);
    expect([o.cap, o.capEffective, o.gross, o.net]).toEqual([5n * 10n ** 9n, 5n * 10n ** 9n, 4000n, 0n]);
  });

  it("a sibling's blend weight is bounded by its push cost over twice the gross notional", () => {
    // w = 30 %: the OI share gives 30 % * 2000 / 6000 = 10 %; the push cost 10 * 1e12 / (2 * 4000) = 1.25e9 binds.
    const sibling = { premium: -(10n ** 9n), gross: 2000n, net: 0n, pushCost: 10n, fresh: true };
    const o = FundingPolicy.next({ ...pureInputs(), twapMark: ETH_PRICE + ETH_PRICE / 1000n, siblings: [sibling] });
    expect(o.premium).toBe(10n ** 9n);
    expect(o.blendWeight).toBe(1_250_000_000n);
    expect(o.blended).toBe(10n ** 9n - (1_250_000_000n * 2n * 10n ** 9n) / 10n ** 12n);
    // A sibling measured before this market's last update is not blended again.
    const stale = FundingPolicy.next({
      ...pureInputs(),
      twapMark: ETH_PRICE + ETH_PRICE / 1000n,
      siblings: [{ ...sibling, fresh: false }],
    });
    expect([stale.blended, stale.blendWeight]).toEqual([10n ** 9n, 0n]);
  });

  it("the kicker: the own net counts only with the same sign as at the last update; no capital is all crowding", () => {
    // A stale sibling (not fresh) still adds its net: the kicker reads every sibling's latest exposure.
    const sibling = { premium: 0n, gross: 0n, net: -3000n, pushCost: 0n, fresh: false };
    const base = { ...pureInputs(), longOI: 3n * WAD, shortOI: 0n, capitalWhole: 100_000n, siblings: [sibling] };
    // Own net +6000 now, -1000 before: it did not persist, the group's net is the sibling's.
    const flipped = FundingPolicy.next({ ...base, prevNet: -1000n });
    expect([flipped.groupNet, flipped.crowdingBps]).toEqual([-3000n, 300n]);
    // 3 % against a 1 % threshold: past twice the threshold, the kicker's most (5 bps), paid by the shorts.
    expect(flipped.kicker).toBe(-(5n * 10n ** 8n));
    // Persisted +4000 of +6000: the group's net is +1000, under the 1 % threshold.
    const persisted = FundingPolicy.next({ ...base, prevNet: 4000n });
    expect([persisted.groupNet, persisted.crowdingBps, persisted.kicker]).toEqual([1000n, 100n, 0n]);
    const noCapital = FundingPolicy.next({ ...base, prevNet: 4000n, capitalWhole: 0n });
    expect(noCapital.crowdingBps).toBe((1n << 256n) - 1n);
    expect(noCapital.kicker).toBe(5n * 10n ** 8n);
    expect(noCapital.kickerPerSecond).toBe(FundingPolicy.perSecond(5n * 10n ** 8n, ETH_PRICE, 3600n));
  });

  it("a group of two: the sibling updated first is blended into the other once, to the wei, and the change is limited", async () => {
    // ETH's mark above its index, BTC's below.
    expect((await tradeOnChain(chain, p.pool, chain.wallet(ALICE), ETH, 60n * WAD)).ok).toBe(true);
    expect((await tradeOnChain(chain, p.pool, chain.wallet(BOB), BTC, -2n * WAD)).ok).toBe(true);
    const btc = await rollAndCompare(BTC);
    expect(btc.outcome.premium).toBeLessThan(0n);
    expect(btc.outcome.blendWeight).toBe(0n); // ETH has not measured since BTC's last update
    const eth = await rollAndCompare(ETH);
    expect(eth.inputs.siblings.map((s) => s.fresh)).toEqual([true]);
    expect(eth.outcome.blendWeight).toBeGreaterThan(0n);
    expect(eth.outcome.blended).toBeLessThan(eth.outcome.premium); // pulled toward BTC's negative premium
    // The change limit: one step (12.5 bps = 1.25e9) from the previous charged premium (0).
    expect(eth.outcome.charged).toBe(eth.outcome.blended > 1_250_000_000n ? 1_250_000_000n : eth.outcome.blended);
    // A sibling measurement blends once: BTC, not measured since ETH's update, is not fresh for ETH's next one.
    const again = await rollAndCompare(ETH);
    expect(again.inputs.siblings.map((s) => s.fresh)).toEqual([false]);
    expect(again.outcome.blendWeight).toBe(0n);

    // getFundingHistory: the three updates as emitted, with their block times.
    const history = await getFundingHistory(chain.publicClient, { pool: p.pool, fromBlock: p.deployment.startBlock });
    expect(history.map((h) => [h.marketId, h.charged, h.kicker, h.transactionHash])).toEqual([
      [BTC, btc.outcome.charged, 0n, btc.hash],
      [ETH, eth.outcome.charged, 0n, eth.hash],
      [ETH, again.outcome.charged, 0n, again.hash],
    ]);
    const ethOnly = await getFundingHistory(chain.publicClient, { pool: p.pool, marketId: ETH, fromBlock: 0n });
    expect(ethOnly).toHaveLength(2);
    const block = await chain.publicClient.getBlock({ blockNumber: ethOnly[1]?.blockNumber ?? 0n });
    expect(ethOnly[1]?.timestamp).toBe(block.timestamp);
  });

  it("the crowding kicker: a net the backstop carried since the last update, above the threshold, charges the crowded side; cumNow includes it", async () => {
    // Threshold 1 % of the tranche capital (8M): alice's ~120k long is 1.5 %, half-way to the kicker's maximum.
    await setParams(ETH, { kickerThresholdBps: 100 });
    expect((await tradeOnChain(chain, p.pool, chain.wallet(ALICE), ETH, 60n * WAD)).ok).toBe(true);
    const first = await rollAndCompare(ETH);
    expect(first.outcome.kicker).toBe(0n); // the net did not persist through an update yet
    expect(first.outcome.net).toBeGreaterThan(0n);
    const second = await rollAndCompare(ETH);
    expect(second.outcome.groupNet).toBe(min(first.outcome.net, second.outcome.net));
    expect(second.outcome.crowdingBps).toBeGreaterThan(100n);
    expect(second.outcome.kicker).toBeGreaterThan(0n);
    expect(second.outcome.kickerPerSecond).toBeGreaterThan(0n);

    // The indices accrue the kicker on the longs: the TS cumNow equals the lens's at a later block.
    await chain.testClient.increaseTime({ seconds: 1234 });
    await chain.testClient.mine({ blocks: 1 });
    const head = await chain.publicClient.getBlock();
    const [state, config, view] = await Promise.all([
      chain.publicClient.readContract({ address: p.pool, abi: perpPoolAbi, functionName: "marketState", args: [ETH] }),
      chain.publicClient.readContract({ address: p.pool, abi: perpPoolAbi, functionName: "marketConfig", args: [ETH] }),
      readView(ETH, head.number),
    ]);
    expect(state.fundingKicker).toBe(second.outcome.kickerPerSecond);
    const cum = cumNow(state, config, head.timestamp);
    expect(cum).toEqual({ cumLong: view.cumFundingLong, cumShort: view.cumFundingShort });
    const withoutKicker = cumNow({ ...state, fundingKicker: 0n }, config, head.timestamp);
    const dt = head.timestamp - BigInt(state.lastAccrual);
    expect(cum.cumLong - withoutKicker.cumLong).toBe(state.fundingKicker * dt);
    expect(cum.cumShort).toBe(withoutKicker.cumShort);

    // getFundingForecast: the same block's lens figures, and the carry a long pays includes the kicker.
    const [f] = await getFundingForecast(chain.publicClient, { lens: p.lens, marketId: ETH, blockNumber: head.number });
    if (!f) throw new Error("no forecast");
    const forecast = await readForecast(ETH, head.number);
    expect(f.forecast).toEqual(forecast);
    expect(f.kicker.perSecond).toBe(second.outcome.kickerPerSecond);
    const day = accrue(
      view.fundingRate,
      view.fundingKicker,
      86_400n,
      view.longOpenInterest,
      view.shortOpenInterest,
      config.fundingBudgetPerSecond * 86_400n,
    );
    expect(f.carryPerDay).toEqual({ long: day.dLong, short: -day.dShort });
    expect(f.carryPerDay.long).toBe((view.fundingRate + view.fundingKicker) * 86_400n);
    expect(f.max.kickerPremium).toBe(500_000_000n);
    expect(f.max.rate.perSecond).toBe(perSecond(forecast.maxNextPremium, view.twapIndex, 3600n));
    expect(f.max.carryPerDay).toBe((f.max.rate.perSecond + f.max.kickerRate.perSecond) * 86_400n);
    expect(f.kickerThresholdBps).toBe(100n);
  });

  it("an extreme session tightens the cap: the charged premium stops at half of it", async () => {
    // No change limit, so the premium reaches the cap; an extreme threshold the index's moves exceed.
    await setParams(ETH, { maxChangeBps: 0, extremeVolBps: 1000, extremeCapBps: 5000 });
    expect((await tradeOnChain(chain, p.pool, chain.wallet(ALICE), ETH, 90n * WAD)).ok).toBe(true);
    for (const price of [(ETH_PRICE * 101n) / 100n, ETH_PRICE, (ETH_PRICE * 101n) / 100n]) {
      await chain.testClient.increaseTime({ seconds: 30 });
      await setPrice(chain, p, ETH, price);
      await setPrice(chain, p, BTC, BTC_PRICE);
      expect((await tradeOnChain(chain, p.pool, chain.wallet(BOB), ETH, -(WAD / 100n))).ok).toBe(true);
    }
    const roll = await rollAndCompare(ETH);
    expect(roll.outcome.extreme).toBe(true);
    expect(roll.outcome.capEffective).toBe(roll.outcome.cap / 2n);
    expect(roll.outcome.premium).toBeGreaterThan(roll.outcome.capEffective);
    expect(roll.outcome.charged).toBe(roll.outcome.capEffective);
  });
});
