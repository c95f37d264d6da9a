// The backstop inventory's sale, seen and taken: after a liquidation with a penalty the backstop holds a long, the
// discount grows with time, `perp status` and `perp inventory` show the sale and the repeg state as the lens prices
// them, `perp inventory take` mines it (bad input refused before anything is sent, a revert decoded), and what the
// SDK's takeInventory returns is the chain's state after the mined block: sizes, budget, and the price = index -
// discount at that block's timestamp, to the wei.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oracleRouterAbi, perpLensAbi, perpPoolAbi } from "../../../ts/abi/generated";
import { runCli } from "../../../ts/cli/run";
import { stringifyDeployment } from "../../../ts/deploy/deployment";
import { WAD } from "../../../ts/money";
import { getInventorySales, takeInventory } from "../../../ts/pool";
import { inventoryDiscountPerBaseDown, inventorySalePrice, inventoryTakerQuote } from "../../../ts/pool/math";
import { useChain } from "../harness";
import { tradeOnChain } from "../sdk/chainHelpers";
import { deployProtocolFixture, ETH, fundTrader, type Protocol, send, setPrice } from "../sdk/fixture";
import type { Run } from "./perpProcess";

// biome-ignore lint/suspicious/noExplicitAny: the CLI's parsed --json output, checked field by field below
type Json = Record<string, any>;

const chain = useChain();
let p: Protocol;
let dir: string;
let file: string;
const USDC = 10n ** 6n;
const LIQUIDATED = 1;
const KEEPER = 7;
const TAKER = 2;
const SDK_TAKER = 3;

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

const readSale = (blockNumber?: bigint) =>
  chain.publicClient.readContract({
    address: p.lens,
    abi: perpLensAbi,
    functionName: "inventorySale",
    args: [ETH],
    ...(blockNumber === undefined ? {} : { blockNumber }),
  });

beforeAll(async () => {
  p = await deployProtocolFixture(chain);
  dir = await mkdtemp(path.join(tmpdir(), "perp-inventory-"));
  file = path.join(dir, "deployment.json");
  await writeFile(file, stringifyDeployment(p.deployment));
  // A 10 ETH long on 3,000 USDC, then ETH -12 %: liquidatable, still solvent, so the transfers pay a penalty.
  const trader = chain.wallet(LIQUIDATED);
  await fundTrader(chain, p, trader, 3_000n * USDC);
  await tradeOnChain(chain, p.pool, trader, ETH, 10n * WAD);
  await setPrice(chain, p, ETH, 1760n * WAD);
  await chain.testClient.increaseTime({ seconds: 1 });
  await chain.testClient.mine({ blocks: 1 });
  await send(chain, chain.wallet(KEEPER), {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "liquidate",
    args: [trader.account.address, 0n, (1n << 256n) - 1n],
  });
  // Five minutes for the discount to grow; the feeds are refreshed so the oracle stays Normal.
  await chain.testClient.increaseTime({ seconds: 300 });
  await setPrice(chain, p, ETH, 1760n * WAD);
  await fundTrader(chain, p, chain.wallet(TAKER), 3_000n * USDC);
  await fundTrader(chain, p, chain.wallet(SDK_TAKER), 3_000n * USDC);
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the backstop inventory's sale", { timeout: 60_000 }, () => {
  it("after a liquidation with a penalty, `perp inventory` shows the long held at a discount, as the lens prices it", async () => {
    const sale = await readSale();
    expect(sale.size).toBeGreaterThan(0n);
    expect(sale.budget).toBeGreaterThan(0n);
    expect(sale.discountPerBase).toBeGreaterThan(0n);
    expect(sale.pricePerBase).toBe(sale.indexPrice - sale.discountPerBase);

    const json = await cliJson(["inventory"]);
    const [row] = json.sales as Json[];
    expect(row?.market).toBe("ETH");
    expect(row?.size).toBe(sale.size.toString());
    expect(row?.pricePerBase).toBe(sale.pricePerBase.toString());
    expect(row?.budget).toBe(sale.budget.toString());
    const human = await cli(["inventory"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/ETH-PERP\s+\d+\.\d{4} long\s+1,760\.00/);
    expect(human.stdout).toContain("price now");
  });

  it("`perp status` shows each market's repeg state and the inventory sale", async () => {
    const run = await cli(["status"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Repeg");
    expect(run.stdout).toMatch(/ETH-PERP\s+(DUE|not due)\s+-?\d+\.\d{3}%/);
    expect(run.stdout).toContain("Backstop inventory for sale");
    expect(run.stdout).toMatch(/ETH-PERP\s+\d+\.\d{4} long/);
    const json = await cliJson(["status"]);
    expect((json.inventory as Json[])[0]?.marketId).toBe("0");
    expect(typeof (json.markets as Json[])[0]?.repegDue).toBe("boolean");
  });

  it("bad input is one line, exit 2, and nothing is sent", async () => {
    const before = await chain.publicClient.getBlockNumber();
    for (const args of [
      ["inventory", "take", "ETH", "-1"],
      ["inventory", "take", "ETH", "abc"],
      ["inventory", "take", "DOGE"],
      ["inventory", "take", "ETH", "--min-price", "1700"],
      ["inventory", "take", "ETH", "--max-price", "-5"],
      ["inventory", "take", "BTC"],
    ]) {
      const run = await cli([...args, "--account", String(TAKER)]);
      expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(2);
      expect(run.stderr.split("\n")[0]).toMatch(/^error: /);
    }
    expect(await chain.publicClient.getBlockNumber()).toBe(before);
  });

  it("a price limit the sale does not meet reverts: exit 1 with the decoded error, the inventory untouched", async () => {
    const before = await readSale();
    const run = await cli(["inventory", "take", "ETH", "--max-price", "1000", "--account", String(TAKER)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/SalePriceBeyondLimit: pricePerBase=1,7\d\d\.\d\d limit=1,000\.00/);
    expect((await readSale()).size).toBe(before.size);
  });

  it("`perp inventory take` takes it all at index - discount at the mined block, to the wei", async () => {
    const before = await readSale();
    const taker = chain.wallet(TAKER).account.address;
    const r = await cliJson(["inventory", "take", "ETH", "--account", String(TAKER)]);
    expect(BigInt(r.sizeDelta)).toBe(before.size);
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: r.hash });
    await expectMinedAtTheSalePrice(receipt.blockNumber, {
      sizeDelta: BigInt(r.sizeDelta),
      indexPrice: BigInt(r.indexPrice),
      discountPerBase: BigInt(r.discountPerBase),
      pricePerBase: BigInt(r.pricePerBase),
      quoteDelta: BigInt(r.quoteDelta),
      budgetLeft: BigInt(r.budgetLeft),
    });
    const position = await chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "position",
      args: [taker, 0n, ETH],
    });
    expect(position.size).toBe(before.size);
    expect(BigInt(r.sizeAfter)).toBe(before.size);
    expect((await readSale()).size).toBe(0n);
    expect((await cliJson(["inventory"])).sales).toEqual([]);
  });

  it("the SDK's takeInventory returns what was mined: the chain's sizes and budget after, price = index - discount", async () => {
    const wallet = chain.wallet(SDK_TAKER);
    const [before] = await getInventorySales(chain.publicClient, { lens: p.lens, marketId: ETH });
    expect(before?.size).toBeGreaterThan(WAD);
    const r = await takeInventory(wallet, { pool: p.pool, lens: p.lens, marketId: ETH, size: "1" });
    expect(r.sizeDelta).toBe(WAD);
    await expectMinedAtTheSalePrice(r.receipt.blockNumber, r);
    const position = await chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "position",
      args: [wallet.account.address, 0n, ETH],
    });
    expect(r.sizeAfter).toBe(position.size);
    expect(position.size).toBe(WAD);
    const after = await readSale(r.receipt.blockNumber);
    expect(after.size).toBe((before?.size ?? 0n) - WAD);
    expect(after.budget).toBe(r.budgetLeft);
    // The sale's clock restarted at the mined block: no discount in that second.
    expect(after.discountPerBase).toBe(0n);

    await expect(
      takeInventory(wallet, { pool: p.pool, lens: p.lens, marketId: ETH, size: "1", priceLimit: 1n }),
    ).rejects.toMatchObject({ name: "ContractRevertError", errorName: "SalePriceBeyondLimit" });
    await expect(
      takeInventory(wallet, { pool: p.pool, lens: p.lens, marketId: ETH, size: "-1" }),
    ).rejects.toMatchObject({ name: "InvalidParametersError" });
  });
});

/** The sale as the pool priced it in `blockNumber`, recomputed from the state one block before with the SDK math. */
async function expectMinedAtTheSalePrice(
  blockNumber: bigint,
  mined: {
    sizeDelta: bigint;
    indexPrice: bigint;
    discountPerBase: bigint;
    pricePerBase: bigint;
    quoteDelta: bigint;
    budgetLeft: bigint;
  },
) {
  const prior = blockNumber - 1n;
  const at = { blockNumber: prior } as const;
  const [state, held, config, block, [index]] = await Promise.all([
    chain.publicClient.readContract({
      address: p.pool,
      abi: perpPoolAbi,
      functionName: "inventorySale",
      args: [ETH],
      ...at,
    }),
    readSale(prior).then((s) => s.size),
    chain.publicClient.readContract({ address: p.pool, abi: perpPoolAbi, functionName: "marketConfig", args: [ETH] }),
    chain.publicClient.getBlock({ blockNumber }),
    chain.publicClient.readContract({
      address: p.oracle,
      abi: oracleRouterAbi,
      functionName: "peek",
      args: [ETH],
      blockNumber,
    }),
  ]);
  expect(mined.indexPrice).toBe(index);
  const discount = inventoryDiscountPerBaseDown({
    index,
    rateBpsPerMinute: BigInt(state.discountRateBps),
    elapsed: block.timestamp - state.clockStart,
    budget: state.budget,
    held,
    penaltyBps: BigInt(config.liquidationPenaltyBps),
  });
  expect(discount).toBeGreaterThan(0n);
  expect(mined.discountPerBase).toBe(discount);
  expect(mined.pricePerBase).toBe(inventorySalePrice(index, discount, true));
  expect(mined.pricePerBase).toBe(index - discount);
  expect(mined.quoteDelta).toBe(inventoryTakerQuote(mined.sizeDelta, mined.pricePerBase, true));
}
