// `perp` end to end, as a user runs it: a `perp devnet` child process, then one `perp` child process per
// command against it (trader journey, LP journey, stress against the lens, bad input, a fork of the devnet).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { perpLensAbi, trancheVaultAbi } from "../../../ts/abi/generated";
import { runCli } from "../../../ts/cli/run";
import { parseDeployment } from "../../../ts/deploy/deployment";
import { type AnvilInstance, findFreePort, startAnvil } from "../../../ts/devnet/anvil";
import { createDevClients, devAccount } from "../../../ts/devnet/clients";
import { type Devnet, perp, perpJson, type Run, startDevnet } from "./perpProcess";

/** The same runCli bin/perp.mjs calls, in this process: the child processes' tsx start-up costs seconds each. */
async function inProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { print: (l: string) => out.push(l), progress: (l: string) => err.push(l) };
  const code = await runCli(args, io, () => Promise.resolve("SIGINT"), { PATH: process.env.PATH, ...env });
  return { code, stdout: out.map((l) => `${l}\n`).join(""), stderr: err.map((l) => `${l}\n`).join("") };
}

async function inProcessJson(args: string[]): Promise<Json> {
  const run = await inProcess([...args, "--json"]);
  if (run.code !== 0) throw new Error(`perp ${args.join(" ")} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Json;
}

const USAGE_HINT = "Run `perp help` (in a clone: `npm run perp -- help`) for usage.";
const TRADER = "9";
const LP = "8";

// biome-ignore lint/suspicious/noExplicitAny: the CLI's parsed --json output, checked field by field below
type Json = Record<string, any>;

describe("perp (bin/perp.mjs) against a running `perp devnet`", { timeout: 120_000 }, () => {
  let dir: string;
  let file: string;
  let devnet: Devnet;
  let clients: ReturnType<typeof createDevClients>;
  let d: ReturnType<typeof parseDeployment>;
  const at = () => ["--deployment", file];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "perp-"));
    file = path.join(dir, "deployment.json");
    devnet = await startDevnet(["--port", String(await findFreePort()), "--deployment", file]);
    clients = createDevClients(devnet.rpcUrl);
    d = parseDeployment(await readFile(file, "utf8"));
  }, 240_000);
  afterAll(async () => {
    if (devnet) expect(await devnet.stop()).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the deployment file with the node's URL, which every other command defaults to", async () => {
    const json = JSON.parse(await readFile(file, "utf8")) as Json;
    expect(json.rpcUrl).toBe(devnet.rpcUrl);
    const status = await inProcess(["status", ...at()]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(d.contracts.pool);
    expect(status.stdout).toMatch(/ETH-PERP/);
    expect(status.stdout).toMatch(/coverage/);
  });

  it("stress ETH -12 BTC -4 prints the lens's joint stack; positions shows what netting frees for a hedged account", async () => {
    const run = await inProcessJson(["stress", "ETH", "-12", "BTC", "-4", ...at()]);
    const accounts = run.accounts as { owner: `0x${string}`; subId: string }[];
    const lens = await clients.publicClient.readContract({
      address: d.contracts.lens,
      abi: perpLensAbi,
      functionName: "stressTestJoint",
      args: [[-1200n, -400n], accounts.map((a) => a.owner), accounts.map((a) => BigInt(a.subId))],
    });
    expect(run.result).toEqual(JSON.parse(JSON.stringify(lens, (_k, v) => (typeof v === "bigint" ? v.toString() : v))));
    const human = await inProcess(["stress", "ETH", "-12", "BTC", "-4", ...at()]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Stress: ETH \u221212 %, BTC \u22124 %: \d+ of \d+ accounts fall/);

    // The seed's alice (dev account 3): long 10 ETH, short 0.5 BTC, netted by the default grid (while the oracles are
    // Normal: this runs before the LP journey moves the clock past the feeds' max age).
    const alice = devAccount(3).address;
    const pos = await inProcessJson(["positions", "--owner", alice, ...at()]);
    const health = await clients.publicClient.readContract({
      address: d.contracts.lens,
      abi: perpLensAbi,
      functionName: "accountHealth",
      args: [alice, 0n],
    });
    expect(pos.netting.maintenance).toBe(health.maintenanceRequirement.toString());
    expect(pos.netting.additiveMaintenance).toBe(health.additiveMaintenance.toString());
    expect(BigInt(pos.netting.freedMaintenance)).toBe(health.additiveMaintenance - health.maintenanceRequirement);
    expect(BigInt(pos.netting.freedMaintenance) > 0n).toBe(true);
    const text = await inProcess(["positions", "--owner", alice, ...at()]);
    expect(text.stdout).toMatch(/netting: maintenance [\d,.]+ \(without netting [\d,.]+: frees [\d,.]+, [\d.]+%\)/);
    expect(text.stdout).toContain(`binding scenario ${pos.netting.bindingScenario}`);
  });

  it("a trader deposits, quotes, opens a short at the quoted price, sees its liquidation price, closes and withdraws", async () => {
    const me = devAccount(Number(TRADER)).address;
    const dep = await perpJson<Json>(["margin", "deposit", "5000", "--account", TRADER, ...at()]);
    expect(dep.amount).toBe("5000000000");
    expect(dep.collateral).toBe((5000n * 10n ** 18n).toString());

    const quote = await inProcessJson(["quote", "ETH", "-0.5", "--account", TRADER, ...at()]);
    const opened = await perpJson<Json>(["open", "ETH", "-0.5", "--account", TRADER, ...at()]);
    // Nothing traded in between: the mined trade is the quote, to the wei.
    expect(opened.quote).toBe(quote.quote);
    expect(opened.fee).toBe(quote.fee);
    expect(opened.sizeAfter).toBe("-500000000000000000");

    const pos = await inProcessJson(["positions", "--owner", me, ...at()]);
    const [p] = pos.positions as Json[];
    expect(p?.symbol).toBe("ETH");
    expect(p?.size).toBe("-500000000000000000");
    // A short falls when the index rises: its liquidation price is above the index, and the lens agrees.
    const liq = BigInt(p?.liquidationPrice);
    const index = BigInt(p?.indexPrice);
    expect(liq > index).toBe(true);
    const shockAt = ((liq - index) * 10_000n) / index;
    const stressAt = (bps: bigint) =>
      clients.publicClient.readContract({
        address: d.contracts.lens,
        abi: perpLensAbi,
        functionName: "stressTest",
        args: [0n, bps, [me], [0n]],
      });
    expect((await stressAt(shockAt + 1n)).accounts[0]?.liquidatable).toBe(true);
    expect((await stressAt(shockAt - 1n)).accounts[0]?.liquidatable).toBe(false);
    const human = await inProcess(["positions", "--account", TRADER, ...at()]);
    expect(human.stdout).toMatch(/ETH-PERP\s+-0\.5000/);
    expect(human.stdout).toContain("funding/day");

    const closed = await perpJson<Json>(["close", "ETH", "--account", TRADER, ...at()]);
    expect(closed.sizeAfter).toBe("0");
    const out = await perpJson<Json>(["margin", "withdraw", "1000", "--account", TRADER, ...at()]);
    expect(out.amount).toBe("1000000000");
  });

  it("devnet --fork-url forks the running devnet: its deployment is there, and trades on the fork stay there", async () => {
    const forkFile = path.join(dir, "fork.json");
    const fork = await startDevnet([
      "--fork-url",
      devnet.rpcUrl,
      "--port",
      String(await findFreePort()),
      "--deployment",
      forkFile,
      "--no-seed",
    ]);
    try {
      expect(fork.stderr()).toContain(`(fork of ${devnet.rpcUrl})`);
      const onFork = ["--deployment", file, "--rpc-url", fork.rpcUrl];
      const status = await inProcessJson(["status", ...onFork]);
      expect(status.deployment.contracts.pool).toBe(d.contracts.pool);
      const opened = await perpJson<Json>(["open", "BTC", "0.01", "--account", TRADER, ...onFork]);
      expect(opened.sizeAfter).toBe("10000000000000000");
      const there = await inProcessJson(["positions", "--account", TRADER, ...onFork]);
      const here = await inProcessJson(["positions", "--account", TRADER, ...at()]);
      expect(there.positions).toHaveLength(1);
      expect(here.positions).toHaveLength(0);
    } finally {
      expect(await fork.stop()).toBe(0);
    }
  });

  it("an LP deposits, sees both tranches, requests, cancels, requests again, claims after the cooldown and settles after the settlement delay", async () => {
    const dep = await perpJson<Json>(["tranche", "deposit", "junior", "2000", "--account", LP, ...at()]);
    expect(dep.assets).toBe("2000000000");
    const view = await inProcessJson(["tranches", "--account", LP, ...at()]);
    expect(view.tranches.junior.lp.shares).toBe(dep.shares);
    expect(view.tranches.junior.expectedLoss.map((s: Json) => s.shockBps)).toEqual([
      "-1000",
      "-2000",
      "-3000",
      "-5000",
    ]);
    expect(BigInt(view.tranches.senior.totalAssets) > 0n).toBe(true);
    const human = await inProcess(["tranches", ...at()]);
    expect(human.stdout).toMatch(/^\s+junior\s+senior$/m);
    expect(human.stdout).toContain("expected loss at -30%");

    const req = await perpJson<Json>(["tranche", "request-withdraw", "junior", "500", "--account", LP, ...at()]);
    expect(BigInt(req.assetsAtRequest) >= 500_000_000n).toBe(true);
    const cancel = await perpJson<Json>(["tranche", "cancel", "junior", "--account", LP, ...at()]);
    expect(BigInt(cancel.returned) + BigInt(cancel.burned)).toBe(BigInt(req.shares));

    const all = await perpJson<Json>(["tranche", "request-withdraw", "junior", "--account", LP, ...at()]);
    const early = await perp(["tranche", "claim", "junior", "--account", LP, ...at()]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/CooldownActive: unlockTime=\d{4}-\d\d-\d\dT/);
    const cooldown = await clients.publicClient.readContract({
      address: d.contracts.junior,
      abi: trancheVaultAbi,
      functionName: "cooldown",
    });
    await clients.testClient.increaseTime({ seconds: Number(cooldown) });
    await clients.testClient.mine({ blocks: 1 });
    // Step one fixes the cap and starts the settlement delay; run again after it, the claim settles and pays.
    const started = await perpJson<Json>(["tranche", "claim", "junior", "--account", LP, ...at()]);
    expect(started.step).toBe("started");
    expect(started.shares).toBe(all.shares);
    expect(BigInt(started.assetsCap) <= BigInt(all.assetsAtRequest)).toBe(true);
    const settling = await perpJson<Json>(["tranche", "claim", "junior", "--account", LP, ...at()]);
    expect(settling.step).toBe("settling");
    const delay = await clients.publicClient.readContract({
      address: d.contracts.junior,
      abi: trancheVaultAbi,
      functionName: "settlementDelay",
    });
    await clients.testClient.increaseTime({ seconds: Number(delay) });
    await clients.testClient.mine({ blocks: 1 });
    const claimed = await perpJson<Json>(["tranche", "claim", "junior", "--account", LP, ...at()]);
    expect(claimed.step).toBe("settled");
    expect(claimed.shares).toBe(all.shares);
    expect(BigInt(claimed.assets) <= BigInt(started.assetsCap)).toBe(true);
  });

  it("stress prints the lens's liquidation stack for the accounts found in the pool's events", async () => {
    const run = await perpJson<Json>(["stress", "--shock", "-30%", "--market", "ETH", ...at()]);
    const accounts = run.accounts as { owner: `0x${string}`; subId: string }[];
    expect(accounts.map((a) => a.owner)).toContain(devAccount(Number(TRADER)).address);
    const lens = await clients.publicClient.readContract({
      address: d.contracts.lens,
      abi: perpLensAbi,
      functionName: "stressTest",
      args: [0n, -3000n, accounts.map((a) => a.owner), accounts.map((a) => BigInt(a.subId))],
    });
    expect(run.result).toEqual(JSON.parse(JSON.stringify(lens, (_k, v) => (typeof v === "bigint" ? v.toString() : v))));
    const human = await inProcess(["stress", "--shock", "-30%", ...at()]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Stress: every market -30%: \d+ of \d+ accounts fall/);
    expect(human.stdout).toMatch(/junior pays\s+senior pays\s+socialized/);
  });

  describe("bad input", () => {
    let other: AnvilInstance;
    beforeAll(async () => {
      other = await startAnvil({ chainId: 1337 });
    });
    afterAll(async () => {
      await other.stop();
    });

    it("answers each with one line and exit 2, sending nothing", async () => {
      const before = await clients.publicClient.getBlockNumber();
      const cases: [string[], RegExp][] = [
        [["margin", "deposit", "10", "--acount", TRADER], /unknown option '--acount' \(Did you mean --account\?\)$/],
        [["margin", "deposit", "-5", "--account", TRADER], /amount "-5": must be greater than zero/],
        [["margin", "withdraw", "ten", "--account", TRADER], /amount "ten": expected a number/],
        [["open", "DOGE", "1", "--account", TRADER], /unknown market "DOGE": this deployment lists ETH, BTC/],
        [["open", "ETH", "0", "--account", TRADER], /size "0": must not be zero/],
        [["stress", "--shock", "-120%"], /--shock -120%: expected a non-zero shock above -100%/],
        [["stress", "ETH", "-12", "BTC"], /expected pairs MARKET MOVE, e.g. ETH -12 BTC -4/],
        [["stress", "ETH", "-12", "--shock", "-5%"], /not both/],
        [["tranche", "deposit", "mezzanine", "5", "--account", LP], /tranche "mezzanine": expected junior or senior/],
        [["margin", "deposit", "10"], /no key: set PERP_PRIVATE_KEY or pass --account N/],
        [
          ["positions", "--rpc-url", other.rpcUrl],
          /wrong chain: .* is chain 1337, the deployment .* is on chain 31337/,
        ],
      ];
      // Two as child processes (what a user sees), the rest in-process.
      const runs: Run[] = [];
      for (const [i, [args]] of cases.entries()) runs.push(await (i < 2 ? perp : inProcess)([...args, ...at()]));
      runs.push(await inProcess(["status", "--deployment", path.join(dir, "missing.json")]));
      cases.forEach(([args, message], i) => {
        const run = runs[i];
        expect(run?.code, `${args.join(" ")}\n${run?.stderr}`).toBe(2);
        const lines = run?.stderr.trimEnd().split("\n") ?? [];
        expect(lines, args.join(" ")).toHaveLength(2);
        expect(lines[0]).toMatch(message);
        expect(lines[1]).toBe(USAGE_HINT);
      });
      const missing = runs.at(-1);
      expect(missing?.code).toBe(2);
      expect(missing?.stderr).toMatch(/^error: no deployment at .*missing\.json: run `perp devnet`/);
      expect(await clients.publicClient.getBlockNumber()).toBe(before);
    });

    it("a reverted transaction exits 1 with the reason in USDC", async () => {
      const run = await perp(["margin", "withdraw", "99999", "--account", "7", ...at()]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(
        /^error: withdrawMargin: InsufficientCollateral: requested=99,999\.00 USDC available=0\.00 USDC \(contract revert\)$/m,
      );
    });
  });
});
