// getQueuedChanges against a real RiskTimelock owning the pool and the tail-risk oracle: a change that raises risk
// is listed with its decoded call and effective time (now + the longest exit time), becomes ready at its eta and
// leaves the queue once executed; a change that lowers risk applies at once and is never listed.
import { type Address, encodeFunctionData } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { perpPoolAbi, riskTimelockAbi, tailRiskOracleAbi } from "../../../ts/abi/generated";
import { DEFAULT_TAIL_RISK_PARAMS, getQueuedChanges } from "../../../ts/tranches";
import { useChain } from "../harness";
import { send } from "../sdk/fixture";
import { deployLpFixture, type LpProtocol, paramsStruct } from "./lpFixture";

const chain = useChain();
let p: LpProtocol;
let timelock: Address;

beforeAll(async () => {
  p = await deployLpFixture(chain);
  // The deployment's timelock (its admin is the deployer). The SDK fixture keeps the owner role with the deployer
  // (governance "owner"): hand the pool and the tail-risk oracle over, two-step, as a "timelock" deployment does.
  timelock = p.deployment.contracts.timelock;
  const owner = await chain.publicClient.readContract({ address: p.pool, abi: perpPoolAbi, functionName: "owner" });
  if (owner === timelock) return;
  for (const [target, abi] of [
    [p.pool, perpPoolAbi],
    [p.tailRiskOracle, tailRiskOracleAbi],
  ] as const) {
    await send(chain, chain.deployer, { address: target, abi, functionName: "transferOwnership", args: [timelock] });
    await send(chain, chain.deployer, {
      address: timelock,
      abi: riskTimelockAbi,
      functionName: "acceptOwnership",
      args: [target],
    });
  }
}, 120_000);

const propose = (target: Address, data: `0x${string}`) =>
  send(chain, chain.deployer, {
    address: timelock,
    abi: riskTimelockAbi,
    functionName: "propose",
    args: [target, data],
  });

describe("getQueuedChanges", () => {
  it("lists a risk-raising change decoded with its target's ABI, effective after the longest exit time", async () => {
    expect(await getQueuedChanges(chain.publicClient, p.deployment)).toEqual([]);
    const config = await chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "marketConfig",
      args: [0n],
    });
    const cheaper = { ...config, feeBps: config.feeBps - 1 }; // a lower fee raises risk
    await propose(
      p.pool,
      encodeFunctionData({ abi: perpPoolAbi, functionName: "setMarketConfig", args: [0n, cheaper] }),
    );
    const looser = { ...DEFAULT_TAIL_RISK_PARAMS, maxDailyBps: 3_000n };
    await propose(
      p.tailRiskOracle,
      encodeFunctionData({ abi: tailRiskOracleAbi, functionName: "setParams", args: [paramsStruct(looser)] }),
    );
    const [block, delay] = await Promise.all([
      chain.publicClient.getBlock(),
      chain.publicClient.readContract({ address: timelock, abi: riskTimelockAbi, functionName: "riskRaisingDelay" }),
    ]);
    const queued = await getQueuedChanges(chain.publicClient, p.deployment);
    expect(queued.map((c) => [c.targetName, c.functionName, c.raisesRisk, c.ready, c.heldBack])).toEqual([
      ["pool", "setMarketConfig", true, false, false],
      ["tailRiskOracle", "setParams", true, false, false],
    ]);
    const [fee, params] = queued;
    if (!fee || !params) throw new Error("expected two queued changes");
    expect(fee.args[0]).toBe(0n);
    expect((fee.args[1] as { feeBps: number }).feeBps).toBe(config.feeBps - 1);
    expect(fee.selector).toBe(fee.data.slice(0, 10));
    expect((params.args[0] as { maxDailyBps: number }).maxDailyBps).toBe(3_000);
    // The second proposal was mined in the head block; the first one block before (a second earlier or the same).
    expect(params.eta).toBe(block.timestamp + delay);
    expect(delay).toBeGreaterThan(0n);

    await chain.testClient.increaseTime({ seconds: Number(delay) });
    await chain.testClient.mine({ blocks: 1 });
    const ready = await getQueuedChanges(chain.publicClient, p.deployment);
    expect(ready.every((c) => c.ready)).toBe(true);
    await send(chain, chain.deployer, {
      address: timelock,
      abi: riskTimelockAbi,
      functionName: "execute",
      args: [fee.id],
    });
    const left = await getQueuedChanges(chain.publicClient, p.deployment);
    expect(left.map((c) => c.id)).toEqual([params.id]);
  }, 60_000);

  it("a risk-lowering change applies at once and is never queued", async () => {
    const config = await chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "marketConfig",
      args: [0n],
    });
    const dearer = { ...config, feeBps: config.feeBps + 5 };
    await propose(
      p.pool,
      encodeFunctionData({ abi: perpPoolAbi, functionName: "setMarketConfig", args: [0n, dearer] }),
    );
    expect(await getQueuedChanges(chain.publicClient, p.deployment)).toEqual([]);
    const now = await chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "marketConfig",
      args: [0n],
    });
    expect(now.feeBps).toBe(config.feeBps + 5);
  });
});
