// `perp funding` and the carry in `perp positions`, in process against an anvil with the funding policy's defaults
// (group 1 = ETH + BTC): the --json output is the lens's forecast at the block it names, with the carry derived from
// it; the tables name every market; a position's carry per day now and at worst follows the forecast.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpLensAbi, perpPoolAbi } from "../../../ts/abi/generated";
import { runCli } from "../../../ts/cli/run";
import { stringifyDeployment } from "../../../ts/deploy/deployment";
import { WAD } from "../../../ts/money";
import { perSecond } from "../../../ts/pool/math";
import { useChain } from "../harness";
import { tradeOnChain } from "../sdk/chainHelpers";
import { BTC, deployProtocolFixture, ETH, fundTrader, type Protocol, send } from "../sdk/fixture";
import { setDefaultFunding } from "../sdk/fundingFixture";
import type { Run } from "./perpProcess";

// biome-ignore lint/suspicious/noExplicitAny: the CLI's parsed --json output, checked field by field below
type Json = Record<string, any>;

const chain = useChain();
let p: Protocol;
let dir: string;
let file: string;
const USDC = 10n ** 6n;
const TRADER = 1;
const KEEPER = 7;

async function cli(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { print: (l: string) => out.push(l), progress: (l: string) => err.push(l) };
  const at = ["--deployment", file, "--rpc-url", chain.anvil.rpcUrl];
  const code = await runCli([...args, ...at], io, () => Promise.resolve("SIGINT"), { PATH: process.env.PATH });
  return { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
}

async function cliJson(args: string[]): Promise<Json> {
  const run = await cli([...args, "--json"]);
  if (run.code !== 0) throw new Error(`perp ${args.join(" ")} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Json;
}

/** A value as the CLI's JSON writes it (bigints as decimal strings). */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  dir = await mkdtemp(path.join(tmpdir(), "perp-funding-"));
  file = path.join(dir, "deployment.json");
  await writeFile(file, stringifyDeployment(p.deployment));
  await setDefaultFunding(chain, p);
  // A long ETH (the mark above the index), then both markets' updates: a rate is charged.
  const trader = chain.wallet(TRADER);
  await fundTrader(chain, p, trader, 100_000n * USDC);
  expect((await tradeOnChain(chain, p.pool, trader, ETH, 40n * WAD)).ok).toBe(true);
  await chain.testClient.increaseTime({ seconds: 600 });
  for (const id of [BTC, ETH]) {
    await send(chain, chain.wallet(KEEPER), {
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "updateFunding",
      args: [id],
    });
  }
  await chain.testClient.increaseTime({ seconds: 300 });
  await chain.testClient.mine({ blocks: 1 });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("perp funding", () => {
  it("--json is the lens's forecast at the block it names, for every market", async () => {
    const out = await cliJson(["funding"]);
    const blockNumber = BigInt(out.blockNumber);
    expect(out.markets.map((m: Json) => m.market)).toEqual(["ETH", "BTC"]);
    for (const [i, id] of [ETH, BTC].entries()) {
      const m = out.markets[i];
      const at = { address: p.lens, abi: perpLensAbi, args: [id], blockNumber } as const;
      const [forecast, view] = await Promise.all([
        chain.publicClient.readContract({ ...at, functionName: "fundingForecast" }),
        chain.publicClient.readContract({ ...at, functionName: "marketView" }),
      ]);
      expect(m.forecast).toEqual(asJson(forecast));
      expect(BigInt(m.rate.perSecond)).toBe(view.fundingRate);
      expect(BigInt(m.next.rate.perSecond)).toBe(forecast.next.ratePerSecond);
      expect(BigInt(m.max.rate.perSecond)).toBe(perSecond(forecast.maxNextPremium, view.twapIndex, 3600n));
      expect([m.cap, m.capEffective, m.extreme]).toEqual(
        asJson([forecast.next.cap, forecast.next.capEffective, forecast.next.extreme]),
      );
      expect(m.siblingIds).toEqual([String(id === ETH ? BTC : ETH)]);
    }
    // ETH's long pays: the rate is positive and a long's carry per day is what a short receives or more.
    const eth = out.markets[0];
    expect(BigInt(eth.rate.perSecond)).toBeGreaterThan(0n);
    expect(BigInt(eth.carryPerDay.long)).toBe(BigInt(eth.rate.perDay));
    expect(eth.display.capPerPeriod).toBe("0.5000%");
  });

  it("--market narrows to one market; the tables show rate, most next, cap, crowding", async () => {
    const one = await cliJson(["funding", "--market", "BTC"]);
    expect(one.markets.map((m: Json) => m.market)).toEqual(["BTC"]);
    const human = await cli(["funding"]);
    expect(human.code, human.stderr).toBe(0);
    for (const text of ["ETH-PERP", "BTC-PERP", "rate/h", "most next/h + kicker", "cap/period (now)", "0.5000%"]) {
      expect(human.stdout).toContain(text);
    }
    const bad = await cli(["funding", "--market", "DOGE"]);
    expect(bad.code).toBe(2);
  });

  it("perp positions: the carry per day at the current rate and at worst, from the same forecast", async () => {
    const owner = chain.wallet(TRADER).account.address;
    const [positions, funding] = await Promise.all([
      cliJson(["positions", "--owner", owner]),
      cliJson(["funding", "--market", "ETH"]),
    ]);
    const [row] = positions.positions;
    const f = funding.markets[0];
    expect(row.symbol).toBe("ETH");
    expect(BigInt(row.fundingPaidPerDay)).toBe((40n * WAD * BigInt(f.carryPerDay.long)) / WAD);
    expect(BigInt(row.worstFundingPaidPerDay)).toBe((40n * WAD * BigInt(f.max.carryPerDay)) / WAD);
    expect(BigInt(row.worstFundingPaidPerDay)).toBeGreaterThan(BigInt(row.fundingPaidPerDay));
    const human = await cli(["positions", "--owner", owner]);
    expect(human.stdout).toContain("worst/day");
  });
});
