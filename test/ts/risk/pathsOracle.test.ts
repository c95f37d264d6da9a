// estimateMarketParams against a real anvil: the protocol as `npm start` deploys it (ETH and BTC, 3 feeds each),
// then 40 rounds of feed moves with both markets refreshed in one block. The chain estimate must equal the pure
// estimator run on the prices and block times the test itself set; before the rounds, the fallbacks apply.
import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { oracleRouterAbi, settableFeedAbi } from "../../../ts/abi/generated";
import { parseDeploymentConfig } from "../../../ts/deploy/config";
import type { Deployment } from "../../../ts/deploy/deployment";
import { deployProtocol } from "../../../ts/deploy/deployProtocol";
import { estimateMarketParams } from "../../../ts/risk/paths/calibrate";
import { estimateFromHistory, type PricePoint } from "../../../ts/risk/paths/estimator";
import { YEAR_SECONDS } from "../../../ts/risk/paths/gbm";
import { pathRandom } from "../../../ts/risk/paths/random";
import { useChain } from "../harness";

const chain = useChain();
const ROUNDS = 40;
const GAS = 5_000_000n;

let deployment: Deployment;
let deployedAt: bigint;
let afterRounds: bigint;
const points: PricePoint[][] = [[], []];

async function setAnswer(feed: Address, answer: bigint): Promise<void> {
  const hash = await chain.deployer.writeContract({
    address: feed,
    abi: settableFeedAbi,
    functionName: "setAnswer",
    args: [answer],
    gas: GAS,
  });
  await chain.publicClient.waitForTransactionReceipt({ hash });
}

beforeAll(async () => {
  deployment = await deployProtocol(chain, parseDeploymentConfig());
  deployedAt = await chain.publicClient.getBlockNumber();
  // A month later (the deployment's own refreshes fall out of the 7-day window), 40 rounds 60–120 s apart: GBM
  // moves of ETH (σ 0.8) and BTC (σ 0.6) with ρ 0.7, every feed set, then both markets refreshed in one block.
  await chain.testClient.increaseTime({ seconds: 30 * 86_400 });
  const r = pathRandom("oracle-history", 0);
  const price = [2000, 60_000];
  for (let round = 0; round < ROUNDS; round++) {
    const gap = 60 + Math.floor(r.uniform() * 61);
    const dt = gap / YEAR_SECONDS;
    const e1 = r.normal();
    const e2 = 0.7 * e1 + Math.sqrt(1 - 0.49) * r.normal();
    price[0] = (price[0] as number) * Math.exp(0.8 * Math.sqrt(dt) * e1);
    price[1] = (price[1] as number) * Math.exp(0.6 * Math.sqrt(dt) * e2);
    await chain.testClient.increaseTime({ seconds: gap });
    const answers = price.map((p) => BigInt(Math.round(p * 1e8)));
    for (const [m, market] of deployment.markets.entries()) {
      for (const feed of market.feeds) await setAnswer(feed, answers[m] as bigint);
    }
    await chain.testClient.setAutomine(false);
    const hashes = await Promise.all(
      [0n, 1n].map((marketId, i) =>
        chain.wallet(i + 1).writeContract({
          address: deployment.contracts.oracle,
          abi: oracleRouterAbi,
          functionName: "refresh",
          args: [marketId],
          gas: GAS,
        }),
      ),
    );
    await chain.testClient.mine({ blocks: 1 });
    await chain.testClient.setAutomine(true);
    const receipts = await Promise.all(hashes.map((hash) => chain.publicClient.waitForTransactionReceipt({ hash })));
    expect(receipts.map((x) => [x.status, x.blockNumber])).toEqual([
      ["success", receipts[0]?.blockNumber],
      ["success", receipts[0]?.blockNumber],
    ]);
    const block = await chain.publicClient.getBlock({ blockNumber: receipts[0]?.blockNumber as bigint });
    answers.forEach((a, m) => {
      points[m]?.push({ timestamp: Number(block.timestamp), price: Number(a) / 1e8 });
    });
  }
  afterRounds = await chain.publicClient.getBlockNumber();
}, 120_000);

describe("estimateMarketParams", () => {
  it("estimates σ and ρ from the oracle's refreshes, as the pure estimator does on the same prices and times", async () => {
    const got = await estimateMarketParams(chain.publicClient, deployment, afterRounds, { chunkSize: 7n });
    const want = estimateFromHistory([
      { symbol: "ETH", points: points[0] ?? [], volReferenceBps: 8000 },
      { symbol: "BTC", points: points[1] ?? [], volReferenceBps: 6000 },
    ]);
    expect(got.markets.map((m) => [m.marketId, m.symbol, m.source])).toEqual([
      [0, "ETH", `oracle: ${ROUNDS - 1} returns`],
      [1, "BTC", `oracle: ${ROUNDS - 1} returns`],
    ]);
    got.markets.forEach((m, i) => {
      expect(m.sigmaAnnual).toBeCloseTo(want.markets[i]?.sigmaAnnual as number, 9);
    });
    expect(got.correlation[0]?.[1]).toBeCloseTo(want.correlation[0]?.[1] as number, 9);
    expect(got.correlationSource).toBe(`ETH/BTC oracle: ${ROUNDS - 1} returns`);
    expect(got.window.toBlock).toBe(afterRounds);
    expect(got.window.toTimestamp - got.window.fromTimestamp).toBe(7n * 86_400n);
  });

  it("falls back to volReferenceBps and ρ 0.8 where the oracle has too little history", async () => {
    const got = await estimateMarketParams(chain.publicClient, deployment, deployedAt);
    expect(got.markets.map((m) => [m.symbol, m.sigmaAnnual])).toEqual([
      ["ETH", 0.8],
      ["BTC", 0.6],
    ]);
    for (const m of got.markets) expect(m.source).toMatch(/^default \(\d+ returns < 30\): volReferenceBps \d+$/);
    expect(got.correlation).toEqual([
      [1, 0.8],
      [0.8, 1],
    ]);
  });

  it("uses only the lookback window: 10 minutes back leaves too few returns", async () => {
    const got = await estimateMarketParams(chain.publicClient, deployment, afterRounds, { lookbackSeconds: 600 });
    for (const m of got.markets) expect(m.source).toMatch(/^default \((\d|1\d) returns < 30\)/);
  });
});
