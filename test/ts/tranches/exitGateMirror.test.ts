// The junior exit gate as the SDK reads it (getExitGate) and mirrors it (exitGateMirror: the queue in shares, the
// floor's shares rounded up, views in assets rounded down) against real vaults, to the unit: two requests queued
// behind a posted figure's floor, the first claimable in full, the second in part ("40 % claimable now"); the partial
// claim's cap is the mirror's; a floor above the tranche holds every claim back (ClaimGatedError, the request stays).
import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { tailRiskOracleAbi, trancheVaultAbi } from "../../../ts/abi/generated";
import { ClaimGatedError, claim, exitGateMirror, getExitGate, toAssetsDown } from "../../../ts/tranches";
import { useChain } from "../harness";
import { send } from "../sdk/fixture";
import { deployLpFixture, type LpProtocol, postFigure } from "./lpFixture";

const chain = useChain();
let p: LpProtocol;
const FIRST = 8; // the junior LP (2M)
const SECOND = 3;
let firstShares: bigint;
let secondShares: bigint;

const lp = (i: number): Address => chain.wallet(i).account.address;
const junior = () => ({ address: p.junior, abi: trancheVaultAbi }) as const;
const read = <T>(functionName: string, args: readonly unknown[] = []) =>
  chain.publicClient.readContract({ ...junior(), functionName, args } as never) as Promise<T>;

beforeAll(async () => {
  p = await deployLpFixture(chain);
  const all = await read<bigint>("balanceOf", [lp(FIRST)]);
  secondShares = all / 4n;
  firstShares = (all * 2n) / 5n;
  await send(chain, chain.wallet(FIRST), { ...junior(), functionName: "transfer", args: [lp(SECOND), secondShares] });
  await send(chain, chain.wallet(FIRST), { ...junior(), functionName: "requestWithdraw", args: [firstShares] });
  await send(chain, chain.wallet(SECOND), { ...junior(), functionName: "requestWithdraw", args: [secondShares] });
  const cooldown = await read<bigint>("cooldown");
  await chain.testClient.increaseTime({ seconds: Number(cooldown) + 1 });
  await chain.testClient.mine({ blocks: 1 });
}, 120_000);

/** The vault's figures the mirror takes, at the head: claims settling are this test's two LPs' pending claims. */
async function tranche() {
  const [net, supply, writtenOff, [settling1], [settling2], [floor]] = await Promise.all([
    read<bigint>("totalAssets"),
    read<bigint>("totalSupply"),
    read<bigint>("writtenOffSupply"),
    read<readonly [bigint, bigint, bigint]>("pendingClaim", [lp(FIRST)]),
    read<readonly [bigint, bigint, bigint]>("pendingClaim", [lp(SECOND)]),
    chain.publicClient.readContract({
      address: p.tailRiskOracle,
      abi: tailRiskOracleAbi,
      functionName: "juniorExitFloor",
    }),
  ]);
  return { net, priced: supply - writtenOff - 1n, settlingShares: settling1 + settling2, floor };
}

async function request(owner: Address, aheadShares: bigint) {
  const [shares, assets] = await read<readonly [bigint, bigint, bigint]>("withdrawRequest", [owner]);
  return { shares, assets, aheadShares };
}

describe("junior exit gate", () => {
  it("queues in shares behind the floor: the first request claimable in full, the second in part, as mirrored", async () => {
    const t0 = await tranche();
    // A floor (1.5 × ES99) of about half the tranche: room for the first request and a part of the second.
    const es99 = (t0.net * 2n) / 5n;
    await postFigure(chain, p.tailRiskOracle, { juniorEs99: (es99 * 5n) / 6n, juniorCapital: t0.net });
    const t = await tranche();
    expect(t.floor).toBeGreaterThan(0n);
    const gate = await getExitGate(chain.publicClient, p.deployment, lp(SECOND));
    const first = await getExitGate(chain.publicClient, p.deployment, lp(FIRST));
    const m1 = exitGateMirror(t, await request(lp(FIRST), 0n));
    const m2 = exitGateMirror(t, await request(lp(SECOND), firstShares));
    expect(gate.floor).toBe(t.floor);
    expect(gate.fromEs99).toBe(true);
    expect(gate.capacity).toBe(m1.capacity);
    expect(gate.queued).toBe(toAssetsDown(firstShares + secondShares, t.net, t.priced));
    expect(first.mine).toMatchObject({ claimable: m1.claimable, ahead: 0n, claimableBps: 10_000n });
    expect(gate.mine).toMatchObject({ claimable: m2.claimable, ahead: m2.ahead });
    expect(m2.claimShares).toBeGreaterThan(0n);
    expect(m2.claimShares).toBeLessThan(secondShares);
    expect(gate.mine?.claimablePercent?.toFixed(0)).toBe(
      (((m2.claimable ?? 0n) * 100n) / (gate.mine?.requested ?? 1n)).toString(),
    );

    // The second LP claims: only the mirrored part starts settling, at the mirrored cap.
    const started = await claim(chain.wallet(SECOND), { vault: p.junior });
    expect(started.shares).toBe(m2.claimShares);
    expect(started.assetsCap).toBe(m2.claimable);
    const [left] = await read<readonly [bigint, bigint, bigint]>("withdrawRequest", [lp(SECOND)]);
    expect(left).toBe(secondShares - (m2.claimShares ?? 0n));
    // The settling part now holds capacity back: the first request's claimable follows the mirror again.
    const after = await tranche();
    expect(after.settlingShares).toBe(m2.claimShares);
    const again = await getExitGate(chain.publicClient, p.deployment, lp(FIRST));
    expect(again.mine?.claimable).toBe(exitGateMirror(after, await request(lp(FIRST), 0n)).claimable);
  }, 60_000);

  it("a floor above the tranche holds every claim back: ClaimGatedError, the request keeps its shares", async () => {
    const t0 = await tranche();
    await postFigure(chain, p.tailRiskOracle, { juniorEs99: t0.net, juniorCapital: t0.net });
    const gate = await getExitGate(chain.publicClient, p.deployment, lp(FIRST));
    expect(gate.capacity).toBe(0n);
    expect(gate.mine).toMatchObject({ claimable: 0n, claimableBps: 0n });
    const err = await claim(chain.wallet(FIRST), { vault: p.junior }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimGatedError);
    expect((err as ClaimGatedError).capacity).toBe(0n);
    const [shares] = await read<readonly [bigint, bigint, bigint]>("withdrawRequest", [lp(FIRST)]);
    expect(shares).toBe(firstShares);
  }, 60_000);

  it("senior exits are never gated: the whole request is claimable", async () => {
    const senior = await chain.publicClient.readContract({
      address: p.senior,
      abi: trancheVaultAbi,
      functionName: "exitGate",
    });
    expect(senior[0]).toBe(0n);
    expect(senior[2]).toBe(0n);
  });
});
