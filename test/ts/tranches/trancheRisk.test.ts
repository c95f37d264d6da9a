// getTrancheRisk against a real anvil: capital, coverage and the loss to junior and senior at the standard
// shocks, checked against the account math (ts/pool/math mirrors the contracts) on the positions the test opened.
import { Percent } from "@uniswap/sdk-core";
import { beforeAll, describe, expect, it } from "vitest";
import { oracleRouterAbi, perpPoolAbi } from "../../../ts/abi/generated";
import { WAD } from "../../../ts/money";
import { InvalidParametersError } from "../../../ts/pool";
import { requirements, unrealizedPnl } from "../../../ts/pool/math/marginMath";
import {
  ALL_MARKETS,
  getBackstopInventory,
  getStressAllMarkets,
  getTrancheRisk,
  STANDARD_SHOCKS_BPS,
} from "../../../ts/tranches";
import { useChain } from "../harness";
import { tradeOnChain } from "../sdk/chainHelpers";
import {
  BTC,
  BTC_PRICE,
  deployProtocolFixture,
  ETH,
  ETH_PRICE,
  fundTrader,
  type Protocol,
  send,
  setPrice,
} from "../sdk/fixture";

const chain = useChain();
let p: Protocol;
const carol = () => chain.wallet(3); // 8x long ETH: a -20 % shock leaves bad debt
const alice = () => chain.wallet(1); // short BTC, well margined
const accounts = () => [{ owner: carol().account.address }, { owner: alice().account.address, subId: 0 }];

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  await fundTrader(chain, p, carol(), 5_000n * 10n ** 6n);
  await fundTrader(chain, p, alice(), 50_000n * 10n ** 6n);
  for (const [who, market, size] of [
    [carol(), ETH, 20n * WAD],
    [alice(), BTC, -(WAD / 2n)],
  ] as const) {
    const t = await tradeOnChain(chain, p.pool, who, market, size);
    if (!t.ok) throw new Error(`trade failed: ${t.message}`);
  }
});

/** Carol's value and maintenance requirement with the ETH index at `index` (no funding accrued: rate is 0). */
async function carolAt(index: bigint) {
  const owner = carol().account.address;
  const [account, position, config] = await Promise.all([
    chain.publicClient.readContract({ address: p.pool, abi: perpPoolAbi, functionName: "account", args: [owner, 0n] }),
    chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "position",
      args: [owner, 0n, ETH],
    }),
    chain.publicClient.readContract({ address: p.pool, abi: perpPoolAbi, functionName: "marketConfig", args: [ETH] }),
  ]);
  const value =
    account.collateral + unrealizedPnl(position.size, position.openNotional, index) + account.unsettledProfit;
  const notional = (position.size * index + WAD - 1n) / WAD;
  return { value, maintenance: requirements(config.tiers, notional).maintenance };
}

describe("getTrancheRisk", () => {
  it("reports capital and coverage of the open interest at the index", async () => {
    const r = await getTrancheRisk(chain.publicClient, { lens: p.lens, accounts: accounts() });
    const oi = 20n * ETH_PRICE + BTC_PRICE / 2n; // 40,000 + 30,000
    expect(r.coverage.juniorCapital).toBe(2_000_000n * WAD);
    expect(r.coverage.seniorCapital).toBe(6_000_000n * WAD);
    expect(r.coverage.openInterestNotional).toBe(oi);
    expect(r.coverage.coverageBps).toBe((8_000_000n * WAD * 10_000n) / oi);
    expect(r.coverage.display.coverage?.toFixed(2)).toBe("11428.57");
    expect(r.coverage.display.openInterest.toExact()).toBe("70000");
    expect(r.collateral.decimals).toBe(6);
  });

  it("gives each standard shock's loss per market to junior first, as the account math predicts", async () => {
    const r = await getTrancheRisk(chain.publicClient, { lens: p.lens, accounts: accounts() });
    expect(r.shocks.map((s) => s.shockBps)).toEqual([...STANDARD_SHOCKS_BPS]);
    let sawBadDebt = false;
    for (const s of r.shocks) {
      expect(s.markets.map((m) => m.marketId)).toEqual([ETH, BTC]);
      const [eth, btc] = s.markets;
      if (!eth || !btc) throw new Error("missing market");
      const shocked = (ETH_PRICE * (10_000n + s.shockBps)) / 10_000n;
      expect(eth.shockedIndex).toBe(shocked);
      const c = await carolAt(shocked);
      const badDebt = c.value < 0n ? -c.value : 0n;
      expect(eth.accounts[0]).toMatchObject({ value: c.value, maintenanceRequirement: c.maintenance, badDebt });
      expect(eth.accounts[0]?.liquidatable).toBe(c.value < c.maintenance);
      expect(eth.totalBadDebt).toBe(badDebt); // alice holds no ETH
      expect(eth.juniorLoss).toBe(badDebt < eth.juniorCapital ? badDebt : eth.juniorCapital);
      expect(eth.seniorLoss).toBe(badDebt - eth.juniorLoss);
      expect(eth.socialized).toBe(0n);
      expect(eth.display.juniorLoss.quotient.toString()).toBe((eth.juniorLoss / 10n ** 12n).toString()); // token units
      if (badDebt > 0n) {
        sawBadDebt = true;
        expect(s.worstMarket?.marketId).toBe(ETH);
        const ofCapital = new Percent(badDebt.toString(), (2_000_000n * WAD).toString());
        expect(eth.display.juniorLossOfCapital?.equalTo(ofCapital)).toBe(true);
        expect(eth.display.seniorLossOfCapital?.equalTo(0)).toBe(true);
      }
      // A BTC drop only helps alice's short; carol holds no BTC.
      expect(btc.totalBadDebt).toBe(0n);
      expect(btc.liquidatableCount).toBe(0n);
    }
    expect(sawBadDebt).toBe(true); // -20 % already takes carol (5,000 margin, 40,000 long) below zero
  });

  it("shocks only the markets and by the shocks asked for", async () => {
    const r = await getTrancheRisk(chain.publicClient, {
      lens: p.lens,
      accounts: accounts(),
      shocksBps: [2500],
      marketIds: [BTC],
    });
    expect(r.shocks).toHaveLength(1);
    expect(r.shocks[0]?.markets.map((m) => [m.marketId, m.shockBps, m.shockedIndex])).toEqual([
      [BTC, 2500n, (BTC_PRICE * 12_500n) / 10_000n],
    ]);
    const aliceStress = r.shocks[0]?.markets[0]?.accounts[1];
    expect(aliceStress?.value).toBeLessThan(50_000n * WAD); // a BTC rally costs the short
  });

  it("refuses shocks outside the lens's range and a market id above 31 before any RPC call", async () => {
    for (const bad of [{ shocksBps: [-10_000] }, { shocksBps: [] }, { marketIds: [32] }]) {
      await expect(
        getTrancheRisk(chain.publicClient, { lens: p.lens, accounts: accounts(), ...bad }),
      ).rejects.toBeInstanceOf(InvalidParametersError);
    }
  });

  it("with every market shocked together, adds up the single-market losses of single-market accounts", async () => {
    const r = await getTrancheRisk(chain.publicClient, { lens: p.lens, accounts: accounts() });
    for (const s of r.shocks) {
      const all = await getStressAllMarkets(chain.publicClient, {
        lens: p.lens,
        shockBps: s.shockBps,
        accounts: accounts(),
      });
      expect(s.allMarkets?.marketId).toBe(ALL_MARKETS);
      expect(s.allMarkets?.totalBadDebt).toBe(all.totalBadDebt);
      // carol holds only ETH and alice only BTC: the joint shock's bad debt is the sum over markets.
      expect(all.totalBadDebt).toBe(s.markets.reduce((t, m) => t + m.totalBadDebt, 0n));
      expect(all.accounts.map((a) => a.value)).toEqual([
        s.markets[0]?.accounts[0]?.value,
        s.markets[1]?.accounts[1]?.value,
      ]);
    }
    const none = await getTrancheRisk(chain.publicClient, { lens: p.lens, accounts: accounts(), allMarkets: false });
    expect(none.shocks.every((s) => s.allMarkets === null)).toBe(true);
  });

  it("reads the backstop inventory a liquidation left and its unrealized loss at the index", async () => {
    expect((await getBackstopInventory(chain.publicClient, { lens: p.lens })).positions).toEqual([]);
    // -20 % ETH: carol is insolvent, so one step transfers her whole 20 ETH long to the backstop at 1,600.
    // In two steps of 10 %, each observed by the oracle, so the jump breaker (15 %) does not trip.
    for (const price of [1800n * WAD, 1600n * WAD]) {
      await setPrice(chain, p, ETH, price);
      await send(chain, chain.wallet(6), {
        address: p.oracle,
        abi: oracleRouterAbi,
        functionName: "refresh",
        args: [ETH],
      });
      await chain.testClient.increaseTime({ seconds: 1 });
    }
    await send(chain, chain.wallet(6), {
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "liquidate",
      args: [carol().account.address, 0n, 2n ** 255n],
    });
    await setPrice(chain, p, ETH, 1500n * WAD);
    await chain.testClient.increaseTime({ seconds: 1 });
    await send(chain, chain.wallet(6), {
      address: p.oracle,
      abi: oracleRouterAbi,
      functionName: "refresh",
      args: [ETH],
    });
    const inv = await getBackstopInventory(chain.publicClient, { lens: p.lens });
    expect(inv.positions.map((x) => [x.marketId, x.size])).toEqual([[ETH, 20n * WAD]]);
    const [x] = inv.positions;
    if (!x) throw new Error("no inventory");
    expect(x.pnl).toBe(unrealizedPnl(x.size, x.openNotional, 1500n * WAD) - x.fundingOwed);
    expect(x.openNotional).toBe(20n * 1600n * WAD); // taken over at the index
    expect(inv.unrealizedPnl).toBe(x.pnl);
    expect(inv.lossTokens).toBe((-x.pnl + 10n ** 12n - 1n) / 10n ** 12n); // the loss, rounded up to token units
    expect(inv.display.loss.quotient.toString()).toBe(inv.lossTokens.toString());

    // The stress test then counts the inventory's loss at each shocked index (junior first).
    const r = await getTrancheRisk(chain.publicClient, { lens: p.lens, accounts: [], shocksBps: [-1000] });
    const eth = r.shocks[0]?.markets[0];
    expect(eth?.inventoryLoss).toBe(-unrealizedPnl(x.size, x.openNotional, 1350n * WAD) + x.fundingOwed);
  });
});
