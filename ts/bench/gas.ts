// Section 2 of `npm run bench`: every operation of the README's gas table on a live anvil, compared with the
// committed forge snapshots (snapshots/PoolGas.json, snapshots/BackstopGas.json).
import { readFileSync } from "node:fs";
import { encodeFunctionData, type Hex, hexToBytes } from "viem";
import { perpPoolAbi, testUsdcAbi, trancheVaultAbi } from "../abi/generated";
import { parseDeploymentConfig } from "../deploy/config";
import { deployProtocol } from "../deploy/deployProtocol";
import { startAnvil } from "../devnet/anvil";
import { createDevClients } from "../devnet/clients";
import {
  type Actors,
  backstopGasSetUp,
  type Fixture,
  liquidationGasSetUp,
  oracleGasSetUp,
  poolGasSetUp,
  type ScenarioContext,
  scenarios,
} from "./gasScenarios";
import { LiveChain } from "./liveChain";

export type GasRow = { name: string; live: bigint; forge: bigint | undefined; readme: bigint | undefined };

/** The README's gas table: `| \`name\` (note) | 119,263 | ...` -> name -> gas. */
export function readmeGasTable(markdown: string): Map<string, bigint> {
  const table = new Map<string, bigint>();
  for (const line of markdown.split("\n")) {
    const m = /^\|[^|`]*`([^`]+)`[^|]*\|\s*([\d,]+)\s*\|/.exec(line);
    if (m?.[1] && m[2]) table.set(m[1], BigInt(m[2].replaceAll(",", "")));
  }
  return table;
}

/** A measurement in a state the snapshot does not cover, with the difference the EVM's rules predict. */
export type GasVariant = {
  name: string;
  /** The snapshot it differs from. */
  from: string;
  live: bigint;
  forge: bigint;
  expectedDelta: bigint;
  why: string;
};

/** EIP-2028 calldata cost: 16 gas per non-zero byte, 4 per zero byte. */
export function calldataGas(data: Hex): bigint {
  return hexToBytes(data).reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
}

/** EIP-3529: an SSTORE that clears a slot set before the transaction refunds 4,800 gas. */
const CLEAR_REFUND = 4_800n;

const E6 = 10n ** 6n;

/** snapshots/<fixture>.json: the file forge's gas test of that name writes. */
function forgeSnapshot(fixture: Fixture): Map<string, bigint> {
  const json = JSON.parse(readFileSync(`snapshots/${fixture}.json`, "utf8")) as Record<string, string>;
  return new Map(Object.entries(json).map(([name, gas]) => [name, BigInt(gas)]));
}

const FIXTURES: readonly Fixture[] = ["PoolGas", "BackstopGas", "LiquidationGas", "OracleGas"];

/** Deploys on a fresh anvil, replays PoolFixture.setUp, then each scenario from its fixture's setUp. */
export async function measureGas(): Promise<{ rows: GasRow[]; variants: GasVariant[] }> {
  const anvil = await startAnvil();
  try {
    const clients = createDevClients(anvil.rpcUrl);
    // Every deployment block at one timestamp, as forge's setUp (time-weighted accumulators stay at zero).
    await clients.testClient.request({ method: "anvil_setBlockTimestampInterval", params: [0] } as never);
    const d = await deployProtocol(clients, parseDeploymentConfig());
    const chain = new LiveChain(clients, anvil.rpcUrl, clients.chain);
    // Every actor is funded before the first snapshot: a revert would take back later balances.
    const names = ["alice", "bob", "carol", "liquidator", "juniorLp", "seniorLp", "newLp"] as const;
    await chain.actor("early");
    const a = {} as Actors & { seniorLp: `0x${string}` };
    for (const n of names) a[n] = await chain.actor(n);
    const owner = await chain.actorAt(d.deployer);
    const minter = await chain.actor("fixture");
    await chain.manualMining();
    await clients.testClient.request({ method: "anvil_removeBlockTimestampInterval", params: [] } as never);

    // PoolFixture.setUp after the deployment: the two LP deposits and the capital sync.
    const lp = (who: `0x${string}`, vault: `0x${string}`, amount: bigint) => [
      {
        from: minter,
        call: { address: d.contracts.usdc, abi: testUsdcAbi, functionName: "mint", args: [who, amount] },
      },
      {
        from: who,
        call: { address: d.contracts.usdc, abi: testUsdcAbi, functionName: "approve", args: [vault, amount] },
      },
      { from: who, call: { address: vault, abi: trancheVaultAbi, functionName: "deposit", args: [amount, who] } },
    ];
    await chain.block([
      ...lp(a.juniorLp, d.contracts.junior, 2_000_000n * E6),
      ...lp(a.seniorLp, d.contracts.senior, 6_000_000n * E6),
    ]);
    await chain.block([
      {
        from: minter,
        call: { address: d.contracts.pool, abi: perpPoolAbi, functionName: "syncBackstopCapital", args: [] },
      },
    ]);

    const ctx: ScenarioContext = { chain, d, a };
    const base = { id: await chain.snapshot(), now: chain.now };
    const rows: GasRow[] = [];
    const readme = readmeGasTable(readFileSync("README.md", "utf8"));
    const all = scenarios(owner, minter);
    for (const fixture of FIXTURES) {
      await chain.revert(base.id, base.now);
      base.id = await chain.snapshot();
      if (fixture === "PoolGas") await poolGasSetUp(ctx, minter);
      else if (fixture === "BackstopGas") await backstopGasSetUp(ctx, minter);
      else if (fixture === "LiquidationGas") await liquidationGasSetUp(ctx, minter);
      else await oracleGasSetUp(ctx, owner);
      const forge = forgeSnapshot(fixture);
      let setUp = { id: await chain.snapshot(), now: chain.now };
      for (const s of all.filter((x) => x.fixture === fixture)) {
        rows.push({ name: s.name, live: await s.run(ctx), forge: forge.get(s.name), readme: readme.get(s.name) });
        await chain.revert(setUp.id, setUp.now);
        setUp = { id: await chain.snapshot(), now: chain.now };
      }
    }
    const order = all.map((s) => s.name);
    rows.sort((x, y) => order.indexOf(x.name) - order.indexOf(y.name));

    // Variants from PoolGas's setUp: what a measurement in another state shows, and why.
    await chain.revert(base.id, base.now);
    await poolGasSetUp(ctx, minter);
    const pg = { id: await chain.snapshot(), now: chain.now };
    const poolGas = forgeSnapshot("PoolGas");
    const snap = (name: string) => poolGas.get(name) ?? 0n;
    const variants: GasVariant[] = [];
    // 1. carol deposits her whole balance: her USDC balance slot is cleared (refund), and the amount has one
    //    more non-zero calldata byte than the snapshot's 1,000 USDC.
    const all10k = await chain.last([
      {
        from: a.carol,
        call: { address: d.contracts.pool, abi: perpPoolAbi, functionName: "depositMargin", args: [0n, 10_000n * E6] },
      },
    ]);
    const snapshotInput = encodeFunctionData({
      abi: perpPoolAbi,
      functionName: "depositMargin",
      args: [0n, 1000n * E6],
    });
    variants.push({
      name: "depositMargin of the whole wallet",
      from: "depositMargin",
      live: all10k.gasUsed,
      forge: snap("depositMargin"),
      expectedDelta: calldataGas(all10k.input) - calldataGas(snapshotInput) - CLEAR_REFUND,
      why: "the sender's USDC balance goes to 0: EIP-3529 refunds 4,800; +16-4 per extra non-zero calldata byte",
    });
    await chain.revert(pg.id, pg.now);
    pg.id = await chain.snapshot();
    // 2. A trade with no oracle refresh earlier in its block pays the feed reads: the "(first in block)" number.
    const alone = await chain.lastGas(
      [
        {
          from: a.alice,
          call: {
            address: d.contracts.pool,
            abi: perpPoolAbi,
            functionName: "trade",
            args: [a.alice, 0n, 0n, 10n * 10n ** 18n, (1n << 256n) - 1n, chain.now + 1n],
          },
        },
      ],
      chain.now + 1n,
    ); // the next timestamp: setUp's refresh cached this one
    variants.push({
      name: "openPosition new, alone in its block",
      from: "openPosition new",
      live: alone,
      forge: snap("openPosition new"),
      expectedDelta: snap("openPosition new (first in block)") - snap("openPosition new"),
      why: "the oracle's per-timestamp cache is cold: 3 feed calls (cold accounts) + median + cache write",
    });
    return { rows, variants };
  } finally {
    await anvil.stop();
  }
}
