// `perp quote` against a running `perp devnet`: what it shows an account (value, requirements, liquidation price
// after the trade, margin left) is what the chain holds once the trade is mined at the quote's timestamp, to the
// wei; a trade the margin check or the oracle's state refuses is flagged with the error the pool then reverts with.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpLensAbi } from "../../../ts/abi/generated";
import { runCli } from "../../../ts/cli/run";
import { parseDeployment } from "../../../ts/deploy/deployment";
import { findFreePort } from "../../../ts/devnet/anvil";
import { createDevClients, devAccount } from "../../../ts/devnet/clients";
import { getAccountState } from "../../../ts/pool/actions/getAccountState";
import { getRiskEngine } from "../../../ts/pool/actions/getRiskEngine";
import { liquidationPrice } from "../../../ts/pool/math/liquidationPrice";
import { type Devnet, perp, perpJson, type Run, startDevnet } from "./perpProcess";

// biome-ignore lint/suspicious/noExplicitAny: the CLI's parsed --json output, checked field by field below
type Json = Record<string, any>;

/** The runCli bin/perp.mjs calls, in this process (a child's tsx start-up costs seconds). */
async function inProcess(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { print: (l: string) => out.push(l), progress: (l: string) => err.push(l) };
  const code = await runCli(args, io, () => Promise.resolve("SIGINT"), { PATH: process.env.PATH });
  return { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
}

async function inProcessJson(args: string[]): Promise<Json> {
  const run = await inProcess([...args, "--json"]);
  if (run.code !== 0) throw new Error(`perp ${args.join(" ")} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Json;
}

const TRADER = 7;

describe("perp quote against a running `perp devnet`", { timeout: 120_000 }, () => {
  let dir: string;
  let file: string;
  let devnet: Devnet;
  let clients: ReturnType<typeof createDevClients>;
  let d: ReturnType<typeof parseDeployment>;
  const at = () => ["--deployment", file];
  const me = devAccount(TRADER).address;
  const asTrader = () => ["--account", String(TRADER), ...at()];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "perp-quote-"));
    file = path.join(dir, "deployment.json");
    devnet = await startDevnet(["--port", String(await findFreePort()), "--deployment", file]);
    clients = createDevClients(devnet.rpcUrl);
    d = parseDeployment(await readFile(file, "utf8"));
    const dep = await inProcess(["margin", "deposit", "5000", ...asTrader()]);
    expect(dep.code, dep.stderr).toBe(0);
  }, 240_000);
  afterAll(async () => {
    if (devnet) expect(await devnet.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it("shows notional, fee and price impact, not a price to pay, and what the trade does to the account", async () => {
    const human = await inProcess(["quote", "ETH", "-2", ...asTrader()]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).not.toMatch(/\bpay\b/);
    for (const label of [
      "notional",
      "average price",
      "fee",
      "price impact",
      "initial req.",
      "margin left",
      "liq. price",
    ]) {
      expect(human.stdout).toContain(label);
    }
    expect(human.stdout).toMatch(/position\s+0\.0000 -> -2\.0000 ETH/);

    const anonymous = await inProcessJson(["quote", "ETH", "-2", ...at()]);
    expect(anonymous.account).toBeNull();
    expect(anonymous.notional).toBe(anonymous.quote);
    // Selling below the mark: the average price is under it, by the impact shown.
    const impact = BigInt(anonymous.priceImpact);
    expect(impact > 0n).toBe(true);
    expect(BigInt(anonymous.averagePrice) < BigInt(anonymous.markBefore)).toBe(true);
  });

  it("the account after the trade is the chain's once the trade is mined at the quote's timestamp, to the wei", async () => {
    const quote = await inProcessJson(["quote", "ETH", "-2", ...asTrader()]);
    const a = quote.account as Json;
    expect(a.refusedWith).toBeNull();
    expect(BigInt(a.marginLeft) > 0n).toBe(true);
    expect(a.liquidationPriceBefore).toBeNull();
    const { timestamp } = await clients.publicClient.getBlock({ blockNumber: BigInt(quote.blockNumber) });
    await clients.testClient.setNextBlockTimestamp({ timestamp });

    const opened = await perpJson<Json>(["open", "ETH", "-2", ...asTrader()]);
    expect(opened.quote).toBe(quote.notional);
    expect(opened.fee).toBe(quote.fee);
    expect(opened.sizeAfter).toBe(a.sizeAfter);
    const health = await clients.publicClient.readContract({
      address: d.contracts.lens,
      abi: perpLensAbi,
      functionName: "accountHealth",
      args: [me, 0n],
    });
    expect(health.value.toString()).toBe(a.valueAfter);
    expect(health.initialRequirement.toString()).toBe(a.initialRequirementAfter);
    expect(health.maintenanceRequirement.toString()).toBe(a.maintenanceRequirementAfter);
    const s = await getAccountState(clients.publicClient, {
      pool: d.contracts.pool,
      oracle: d.contracts.oracle,
      owner: me,
    });
    expect(s.timestamp).toBe(timestamp);
    const engine = await getRiskEngine(clients.publicClient, { pool: d.contracts.pool });
    expect(liquidationPrice(s.account, s.positions, 0n, s.timestamp, engine)?.toString()).toBe(a.liquidationPriceAfter);
    // A short: liquidatable above the index.
    expect(BigInt(a.liquidationPriceAfter) > BigInt(quote.indexPrice)).toBe(true);

    const next = await inProcessJson(["quote", "ETH", "-1", ...asTrader()]);
    expect(next.account.initialRequirementBefore).toBe(a.initialRequirementAfter);
    expect(next.account.liquidationPriceBefore).not.toBeNull();
  });

  it("a trade beyond the margin is flagged InsufficientMargin with the shortfall, and the pool refuses it so", async () => {
    const quote = await inProcessJson(["quote", "ETH", "-40", ...asTrader()]);
    const a = quote.account as Json;
    expect(a.refusedWith).toBe("InsufficientMargin");
    expect(BigInt(a.marginLeft) < 0n).toBe(true);
    expect(BigInt(a.marginLeft)).toBe(BigInt(a.openValueAfter) - BigInt(a.initialRequirementAfter));
    const human = await inProcess(["quote", "ETH", "-40", ...asTrader()]);
    expect(human.stdout).toContain("REFUSED: the pool would revert InsufficientMargin");

    const before = await clients.publicClient.getBlockNumber();
    const run = await perp(["open", "ETH", "-40", ...asTrader()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("InsufficientMargin");
    expect(await clients.publicClient.getBlockNumber()).toBe(before);
  });
  it("several markets: quote previews each leg and the total, and trade sends them in one tradeLegs at the quote", async () => {
    const LEGS = 8;
    const who = ["--account", String(LEGS), ...at()];
    const dep = await inProcess(["margin", "deposit", "20000", ...who]);
    expect(dep.code, dep.stderr).toBe(0);
    // A negative size first: the operands keep their order (BTC -0.1, then ETH 3).
    const quote = await inProcessJson(["quote", "BTC", "-0.1", "ETH", "3", ...who]);
    expect((quote.legs as Json[]).map((l) => [l.market, l.sizeAfter])).toEqual([
      ["BTC", "-100000000000000000"],
      ["ETH", "3000000000000000000"],
    ]);
    expect(BigInt(quote.fee)).toBe((quote.legs as Json[]).reduce((sum, l) => sum + BigInt(l.fee), 0n));
    expect(quote.account.refusedWith).toBeNull();
    const human = await inProcess(["quote", "BTC", "-0.1", "ETH", "3", ...who]);
    expect(human.stdout).toMatch(/sell 0\.1000 BTC-PERP: notional/);
    expect(human.stdout).toMatch(/buy {2}3\.0000 ETH-PERP: notional/);
    expect(human.stdout).toMatch(/total\s+notional/);

    const { timestamp } = await clients.publicClient.getBlock({ blockNumber: BigInt(quote.blockNumber) });
    await clients.testClient.setNextBlockTimestamp({ timestamp });
    const traded = await perpJson<Json>(["trade", "BTC", "-0.1", "ETH", "3", ...who]);
    expect((traded.legs as Json[]).map((l) => [l.market, l.quote, l.fee, l.sizeAfter])).toEqual(
      (quote.legs as Json[]).map((l) => [l.market, l.quote, l.fee, l.sizeAfter]),
    );
    const health = await clients.publicClient.readContract({
      address: d.contracts.lens,
      abi: perpLensAbi,
      functionName: "accountHealth",
      args: [devAccount(LEGS).address, 0n],
    });
    expect(health.value.toString()).toBe(quote.account.valueAfter);
    // A long beside a short nets over the pool's risk engine: the preview's requirement is the netted one.
    expect(health.initialRequirement).toBeLessThan(health.additiveInitial);
    expect(health.initialRequirement.toString()).toBe(quote.account.initialRequirementAfter);
    expect(health.maintenanceRequirement.toString()).toBe(quote.account.maintenanceRequirementAfter);

    const malformed: [string[], RegExp][] = [
      [
        ["trade", "ETH", "1", "BTC"],
        /trade: expected pairs of market and size \(e\.g\. ETH 10 BTC -0\.33\), got 3 operands/,
      ],
      [["trade", "ETH", "1", "DOGE", "1"], /trade: unknown market "DOGE": this deployment lists ETH, BTC/],
      [["trade", "ETH", "1", "eth-perp", "-1"], /trade: ETH is listed twice/],
      [["quote", "ETH", "1", "BTC", "0"], /size "0": must not be zero/],
    ];
    const before = await clients.publicClient.getBlockNumber();
    for (const [args, message] of malformed) {
      const run = await inProcess([...args, ...who]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    expect(await clients.publicClient.getBlockNumber()).toBe(before);
  });

  it("a trade while the oracle is halted is flagged OracleHalted, reducing or not, and the pool refuses it so", async () => {
    // Every feed older than the oracle's maxAge (1 h in the devnet config): no usable price, the market halts.
    await clients.testClient.increaseTime({ seconds: 2 * 3600 });
    await clients.testClient.mine({ blocks: 1 });
    const adding = await inProcessJson(["quote", "ETH", "-1", ...asTrader()]);
    expect(adding.oracleStatus).toBe("halted");
    expect(adding.oracleRefusal).toBe("OracleHalted");
    expect((await inProcess(["quote", "ETH", "-1", ...asTrader()])).stdout).toContain(
      "REFUSED: the ETH oracle is halted: the pool would revert OracleHalted",
    );
    // The trader is short 2 from the trade above: buying 1 back reduces risk, and is refused all the same.
    const reducing = await inProcessJson(["quote", "ETH", "1", ...asTrader()]);
    expect(reducing.addsRisk).toBe(false);
    expect(reducing.oracleRefusal).toBe("OracleHalted");

    const run = await perp(["open", "ETH", "1", ...asTrader()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("OracleHalted");
  });
});
