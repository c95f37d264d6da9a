// getLpPosition against a real anvil: shares and value by the vault's math, a request's value at request vs now,
// its unlock and claim window at exact block times, and what the claim and the cancel then actually did.
import { parseEventLogs } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { testUsdcAbi, trancheVaultAbi } from "../../../ts/abi/generated";
import { getLpPosition } from "../../../ts/tranches";
import { useChain } from "../harness";
import { deployProtocolFixture, fundTrader, mintUsdc, type Protocol, send } from "../sdk/fixture";
import { tradeAndDistribute } from "./premium";

const chain = useChain();
let p: Protocol;
const lp = () => chain.wallet(5);
const DEPOSIT = 100_000n * 10n ** 6n;
const JUNIOR = 2_000_000n * 10n ** 6n; // the fixture's junior LP
const VIRTUAL = 10n ** 6n; // virtual shares (and one virtual asset)

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  await fundTrader(chain, p, chain.wallet(1), 100_000n * 10n ** 6n);
  await mintUsdc(chain, p, lp().account.address, DEPOSIT);
  await send(chain, lp(), { address: p.usdc, abi: testUsdcAbi, functionName: "approve", args: [p.junior, DEPOSIT] });
  await send(chain, lp(), {
    address: p.junior,
    abi: trancheVaultAbi,
    functionName: "deposit",
    args: [DEPOSIT, lp().account.address],
  });
});

async function request(shares: bigint) {
  const hash = await lp().writeContract({
    address: p.junior,
    abi: trancheVaultAbi,
    functionName: "requestWithdraw",
    args: [shares],
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: trancheVaultAbi, eventName: "WithdrawRequested", logs: receipt.logs });
  if (!event) throw new Error("no WithdrawRequested");
  const block = await chain.publicClient.getBlock({ blockNumber: receipt.blockNumber });
  return { ...event.args, unlockTime: BigInt(event.args.unlockTime), requestedAt: block.timestamp };
}

async function mineAt(timestamp: bigint) {
  await chain.testClient.setNextBlockTimestamp({ timestamp });
  await chain.testClient.mine({ blocks: 1 });
}

const position = () => getLpPosition(chain.publicClient, { vault: p.junior, owner: lp().account.address });

describe("getLpPosition", () => {
  it("values the LP's shares by the vault's math and shows no request", async () => {
    const me = await position();
    // First deposit after the fixture's 2M: shares = assets x (supply + 10^6) / (assets + 1), rounded down.
    const shares = (DEPOSIT * (JUNIOR * VIRTUAL + VIRTUAL)) / (JUNIOR + 1n);
    expect(me.shares).toBe(shares);
    expect(me.value).toBe((shares * (JUNIOR + DEPOSIT + 1n)) / (JUNIOR * VIRTUAL + shares + VIRTUAL));
    expect(me.value).toBeLessThanOrEqual(DEPOSIT); // a round trip never gains
    expect(me.display.value.quotient.toString()).toBe(me.value.toString());
    expect(me.display.value.currency.symbol).toBe("USDC");
    expect(me.request).toBeNull();
    expect([me.cooldown, me.claimWindow]).toEqual([7n * 86_400n, 2n * 86_400n]);
  });

  it("follows a request through cooldown to the claim window; the claim's settlement pays what it said", async () => {
    const before = (await position()).shares;
    const half = before / 2n;
    const r = await request(half);
    let me = await position();
    expect(me.shares).toBe(before - half); // the other half stays liquid
    expect(me.request).toMatchObject({
      shares: half,
      assetsAtRequest: r.assetsAtRequest,
      valueNow: r.assetsAtRequest,
      claimableNow: r.assetsAtRequest,
      requestedAt: r.requestedAt,
      unlockTime: r.unlockTime,
      claimDeadline: r.unlockTime + me.claimWindow,
      status: "cooldown",
      secondsToUnlock: r.unlockTime - me.now,
      secondsToDeadline: r.unlockTime + me.claimWindow - me.now,
    });
    expect(me.request?.cancel).toEqual({ returnedShares: half, burnedShares: 0n, assets: 0n, cooldownLost: 0n });

    // Premium arrives during the cooldown: the escrowed shares are worth more, but a claim pays at most the request.
    await tradeAndDistribute(chain, p);
    await mineAt(r.unlockTime);
    me = await position();
    expect(me.now).toBe(r.unlockTime);
    expect(me.request?.status).toBe("claimable");
    expect(me.request?.secondsToUnlock).toBe(0n);
    expect(me.request?.valueNow).toBeGreaterThan(r.assetsAtRequest);
    expect(me.request?.claimableNow).toBe(r.assetsAtRequest);
    expect(me.request?.cancel.cooldownLost).toBe(me.cooldown);

    // Step one fixes the cap; after the settlement delay, anyone settles and the owner is paid at most that.
    const hash = await lp().writeContract({ address: p.junior, abi: trancheVaultAbi, functionName: "claim" });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    const [started] = parseEventLogs({ abi: trancheVaultAbi, eventName: "ClaimStarted", logs: receipt.logs });
    expect(started?.args.assetsCap).toBe(me.request?.claimableNow);
    expect((await position()).request).toBeNull();
    await mineAt(BigInt(started?.args.settleAt ?? 0n));
    const settle = await lp().writeContract({
      address: p.junior,
      abi: trancheVaultAbi,
      functionName: "settleClaim",
      args: [lp().account.address],
    });
    const settled = await chain.publicClient.waitForTransactionReceipt({ hash: settle });
    const [claimed] = parseEventLogs({ abi: trancheVaultAbi, eventName: "WithdrawClaimed", logs: settled.logs });
    expect(claimed?.args.assets).toBe(me.request?.claimableNow);
  });

  it("marks a request past its claim window as expired; the cancel returns what it said", async () => {
    const all = (await position()).shares;
    const r = await request(all);
    const deadline = r.unlockTime + (await position()).claimWindow;
    await mineAt(deadline);
    expect((await position()).request?.status).toBe("claimable"); // the deadline second is still inside
    await mineAt(deadline + 1n);
    const me = await position();
    expect(me.shares).toBe(0n);
    expect(me.request).toMatchObject({ status: "expired", secondsToUnlock: 0n, secondsToDeadline: 0n });
    const cancel = me.request?.cancel;
    expect(cancel?.cooldownLost).toBe(me.cooldown);

    await send(chain, lp(), { address: p.junior, abi: trancheVaultAbi, functionName: "cancelWithdraw" });
    expect((await position()).shares).toBe(cancel?.returnedShares);
    expect(cancel?.returnedShares).toBe(all);
  });

  it("refuses a bad owner before any RPC call", async () => {
    await expect(getLpPosition(chain.publicClient, { vault: p.junior, owner: "0xabc" })).rejects.toThrow(
      /owner: must be a 0x-prefixed 20-byte hex address/,
    );
  });
});
