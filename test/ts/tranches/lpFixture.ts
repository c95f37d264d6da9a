// The LP-economics chain fixture: the SDK fixture's protocol with a TailRiskOracle wired into the backstop (the
// deployer owns it and is its steward, so tests set parameters and post figures directly), and helpers to post.
import { type Address, getAddress, zeroAddress } from "viem";
import { backstopAbi, tailRiskOracleAbi, tailRiskOracleBytecode } from "../../../ts/abi/generated";
import type { DevClients } from "../../../ts/devnet/clients";
import { deployContract } from "../../../ts/devnet/deploy";
import { DEFAULT_TAIL_RISK_PARAMS, type TailRiskParams } from "../../../ts/tranches";
import { deployProtocolFixture, type Protocol, send } from "../sdk/fixture";

export type LpProtocol = Protocol & { tailRiskOracle: Address };

/** Params as the contract's struct takes them. */
export function paramsStruct(p: TailRiskParams) {
  return {
    multiplierBps: Number(p.multiplierBps),
    minShareBps: Number(p.minShareBps),
    maxShareBps: Number(p.maxShareBps),
    maxStepBps: Number(p.maxStepBps),
    maxDailyBps: Number(p.maxDailyBps),
    maxAge: Number(p.maxAge),
    coverageMultipleBps: Number(p.coverageMultipleBps),
    referenceShockBps: Number(p.referenceShockBps),
  };
}

/**
 * The protocol with a tail-risk oracle: the deployment's own when it wires one (and the deployer still owns it),
 * else a TailRiskOracle(pool, owner = steward = deployer, defaults) set on the backstop with `boostShareBps`.
 */
export async function deployLpFixture(chain: DevClients, boostShareBps = 0n): Promise<LpProtocol> {
  const p = await deployProtocolFixture(chain);
  const wired = await chain.publicClient.readContract({
    address: p.backstop,
    abi: backstopAbi,
    functionName: "tailRiskOracle",
  });
  if (wired !== zeroAddress) return { ...p, tailRiskOracle: wired };
  const tailRiskOracle = await deployContract(chain.deployer, chain.publicClient, {
    name: "TailRiskOracle",
    abi: tailRiskOracleAbi,
    bytecode: tailRiskOracleBytecode,
    args: [
      p.pool,
      chain.deployer.account.address,
      chain.deployer.account.address,
      paramsStruct(DEFAULT_TAIL_RISK_PARAMS),
    ],
  });
  await send(chain, chain.deployer, {
    address: p.backstop,
    abi: backstopAbi,
    functionName: "setLpEconomics",
    args: [tailRiskOracle, boostShareBps],
  });
  return { ...p, tailRiskOracle: getAddress(tailRiskOracle) };
}

/** Posts a figure for the head's block from the steward (the deployer); returns the block it was mined in. */
export async function postFigure(
  chain: DevClients,
  oracle: Address,
  f: { juniorEs99: bigint; juniorCapital: bigint; stressLoss?: bigint; seed?: bigint; paths?: number },
): Promise<bigint> {
  const head = await chain.publicClient.getBlockNumber();
  const hash = await chain.deployer.writeContract({
    address: oracle,
    abi: tailRiskOracleAbi,
    functionName: "post",
    args: [
      {
        juniorEs99: f.juniorEs99,
        juniorCapital: f.juniorCapital,
        stressLoss: f.stressLoss ?? 0n,
        blockNumber: head,
        seed: f.seed ?? 1n,
        paths: f.paths ?? 100,
        reportHash: `0x${"ab".repeat(32)}`,
      },
    ],
    gas: 1_000_000n,
  });
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`post reverted (${hash})`);
  return receipt.blockNumber;
}
