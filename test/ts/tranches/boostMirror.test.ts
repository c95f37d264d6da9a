// The SDK's boost (getBoost, claimBoost, ts/tranches/math/boost.ts) against real tranche vaults: points accrue as
// active shares × the stored multiplier × seconds, the projection to a later second is the chain's figure there to
// the unit, a request stops the escrowed shares' points, moved shares carry none, every holder's points sum to the
// total, and a claim returns what the mined transaction paid.
import { type Address, parseEventLogs } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { oracleRouterAbi, trancheVaultAbi } from "../../../ts/abi/generated";
import { ContractRevertError } from "../../../ts/errors";

import { boostPointsAt, claimBoost, type GetBoostReturnType, getBoost } from "../../../ts/tranches";
import { useChain } from "../harness";
import { ETH, ETH_PRICE, fundTrader, send, setPrice } from "../sdk/fixture";
import { deployLpFixture, type LpProtocol } from "./lpFixture";
import { tradeAndDistribute } from "./premium";

const chain = useChain();
let p: LpProtocol;
const JUNIOR_LP = 8;
const OTHER = 3;

beforeAll(async () => {
  p = await deployLpFixture(chain);
  await fundTrader(chain, p, chain.wallet(1), 100_000n * 10n ** 6n);
}, 120_000);

const lp = (i: number): Address => chain.wallet(i).account.address;

/** Mines one empty block at `timestamp`. */
async function mineAt(timestamp: bigint) {
  await chain.testClient.setNextBlockTimestamp({ timestamp });
  await chain.testClient.mine({ blocks: 1 });
}

async function boostAtHead(owner: Address): Promise<GetBoostReturnType> {
  return getBoost(chain.publicClient, p.deployment, "junior", owner);
}

/** A volatile hour: ETH jumps 6 % and the oracle stores it, then the junior vault takes the oracle's multiplier. */
async function volatileMarket(): Promise<void> {
  await setPrice(chain, p, ETH, (ETH_PRICE * 106n) / 100n);
  // A new second: the router answers a refresh in the second of its last observation from its cache.
  const { timestamp } = await chain.publicClient.getBlock();
  await chain.testClient.setNextBlockTimestamp({ timestamp: timestamp + 1n });
  await send(chain, chain.deployer, { address: p.oracle, abi: oracleRouterAbi, functionName: "refresh", args: [ETH] });
  await send(chain, chain.deployer, { address: p.junior, abi: trancheVaultAbi, functionName: "refreshBoost" });
}

describe("boost points", () => {
  it("points grow by active shares × the stored multiplier × seconds, and the projection is the chain's figure", async () => {
    await volatileMarket();
    const now = await boostAtHead(lp(JUNIOR_LP));
    expect(now.multiplierBps).toBeGreaterThan(10_000n); // the jump made the market volatile
    expect(now.oracleMultiplierBps).toBe(now.multiplierBps);
    expect(now.activeShares).toBeGreaterThan(0n);
    expect(now.pointsPerSecond).toBe(now.activeShares * now.multiplierBps);
    for (const dt of [1n, 3_600n, 86_400n + 7n]) {
      const t = now.timestamp + dt;
      await mineAt(t);
      const later = await boostAtHead(lp(JUNIOR_LP));
      expect(later.timestamp).toBe(t);
      expect(later.points).toBe(boostPointsAt(now.points, now.activeShares, now.multiplierBps, now.timestamp, t));
      expect(later.totalPoints).toBe(
        boostPointsAt(now.totalPoints, now.totalActiveShares, now.multiplierBps, now.timestamp, t),
      );
      expect(later.volatilityIndex).toBe(now.volatilityIndex + dt * now.multiplierBps);
      expect(later.claimable).toBe(now.claimableAt(t));
    }
  });

  it("a request stops the escrowed shares' points, moved shares carry none, and holders' points sum to the total", async () => {
    const shares = await chain.publicClient.readContract({
      address: p.junior,
      abi: trancheVaultAbi,
      functionName: "balanceOf",
      args: [lp(JUNIOR_LP)],
    });
    await send(chain, chain.wallet(JUNIOR_LP), {
      address: p.junior,
      abi: trancheVaultAbi,
      functionName: "requestWithdraw",
      args: [shares / 4n],
    });
    await send(chain, chain.wallet(JUNIOR_LP), {
      address: p.junior,
      abi: trancheVaultAbi,
      functionName: "transfer",
      args: [lp(OTHER), shares / 4n],
    });
    const [a, b] = [await boostAtHead(lp(JUNIOR_LP)), await boostAtHead(lp(OTHER))];
    expect(a.activeShares).toBe(shares - shares / 4n - shares / 4n);
    expect(b.activeShares).toBe(shares / 4n);
    expect(b.points).toBe(0n); // received in the head block: nothing accrued yet, nothing carried over
    await mineAt(a.timestamp + 600n);
    const [a2, b2] = [await boostAtHead(lp(JUNIOR_LP)), await boostAtHead(lp(OTHER))];
    expect(a2.points - a.points).toBe(a.activeShares * a.multiplierBps * 600n);
    expect(b2.points).toBe(b.activeShares * b.multiplierBps * 600n);
    // The only junior holders are these two (the vault's own escrow never accrues).
    expect(a2.points + b2.points).toBe(a2.totalPoints);
  });
});

describe("claimBoost", () => {
  it("pays pot × points / all points at the block it mines, the amount its BoostClaimed event says", async () => {
    // An hour of holding (anvil may mine the fixture's blocks within one second), then premium with its boost part.
    await chain.testClient.increaseTime({ seconds: 3_600 });
    await tradeAndDistribute(chain, p);
    const before = await boostAtHead(lp(JUNIOR_LP));
    expect(before.points).toBeGreaterThan(0n);
    expect(before.pot).toBeGreaterThan(0n);
    const r = await claimBoost(chain.wallet(JUNIOR_LP), p.deployment, "junior");
    const { timestamp } = await chain.publicClient.getBlock({ blockNumber: r.receipt.blockNumber });
    expect(r.assets).toBe(before.claimableAt(timestamp));
    expect(r.points).toBe(
      boostPointsAt(before.points, before.activeShares, before.multiplierBps, before.timestamp, timestamp),
    );
    const [event] = parseEventLogs({ abi: trancheVaultAbi, eventName: "BoostClaimed", logs: r.receipt.logs });
    expect(event?.args.assets).toBe(r.assets);
    const after = await boostAtHead(lp(JUNIOR_LP));
    expect(after.pot).toBe(before.pot - r.assets);
  }, 60_000);

  it("refuses a claim without points (NothingToClaim), decoded by name", async () => {
    const err = await claimBoost(chain.wallet(5), p.deployment, "junior").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractRevertError);
    expect((err as ContractRevertError).errorName).toBe("NothingToClaim");
  });
});
