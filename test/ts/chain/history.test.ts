// ts/chain history plumbing against a real anvil: the block at a timestamp (binary search, cached), a contract's
// deployment block, and event logs fetched in chunks (split when the node refuses a range).
import { createPublicClient, custom, getAbiItem } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { testUsdcAbi, testUsdcBytecode } from "../../../ts/abi/generated";
import { createBlockTimestampCache, getBlockAtTimestamp } from "../../../ts/chain/blockAtTimestamp";
import { getDeploymentBlock } from "../../../ts/chain/deploymentBlock";
import { getLastLogInChunks, getLogsInChunks } from "../../../ts/chain/logsInChunks";
import { deployContract } from "../../../ts/devnet/deploy";
import { useChain } from "../harness";

const chain = useChain();
const transfer = getAbiItem({ abi: testUsdcAbi, name: "Transfer" });

type Mined = { number: bigint; timestamp: bigint };
let mined: Mined[];
let usdc: `0x${string}`;
let deployedAt: bigint;

beforeAll(async () => {
  usdc = await deployContract(chain.deployer, chain.publicClient, {
    abi: testUsdcAbi,
    bytecode: testUsdcBytecode,
    name: "TestUSDC",
  });
  deployedAt = await chain.publicClient.getBlockNumber();
  // Uneven gaps between blocks (and one repeated second), with a mint in some of them.
  for (const [i, gap] of [5, 0, 3600, 1, 86_400, 7, 7, 600, 2, 100_000].entries()) {
    if (gap > 0) await chain.testClient.increaseTime({ seconds: gap });
    if (i % 3 === 0) {
      const hash = await chain.deployer.writeContract({
        address: usdc,
        abi: testUsdcAbi,
        functionName: "mint",
        args: [chain.wallet(1).account.address, BigInt(i + 1)],
      });
      await chain.publicClient.waitForTransactionReceipt({ hash });
    } else {
      await chain.testClient.mine({ blocks: 1 });
    }
  }
  const head = await chain.publicClient.getBlockNumber();
  mined = [];
  for (let n = 0n; n <= head; n++) {
    const b = await chain.publicClient.getBlock({ blockNumber: n });
    mined.push({ number: n, timestamp: b.timestamp });
  }
});

/** The last block with timestamp <= t, by a linear scan. */
const scan = (t: bigint) => mined.filter((b) => b.timestamp <= t).at(-1);

describe("getBlockAtTimestamp", () => {
  it("finds the last block at or before every timestamp, as a linear scan does", async () => {
    const cache = createBlockTimestampCache();
    const first = mined[0]?.timestamp ?? 0n;
    const last = mined.at(-1)?.timestamp ?? 0n;
    const probes = new Set<bigint>([first, last, last + 1_000n]);
    for (const b of mined) for (const d of [-1n, 0n, 1n]) if (b.timestamp + d >= first) probes.add(b.timestamp + d);
    for (const t of probes) {
      const want = scan(t);
      const got = await getBlockAtTimestamp(chain.publicClient, t, { cache, confirmations: 0n });
      expect({ t, number: got.number, timestamp: got.timestamp }).toEqual({
        t,
        number: want?.number,
        timestamp: want?.timestamp,
      });
      expect(got.beforeRange).toBe(false);
    }
  });

  it("says when the time is before the searched range", async () => {
    const from = mined[5];
    if (!from) throw new Error("too few blocks");
    const got = await getBlockAtTimestamp(chain.publicClient, from.timestamp - 1n, { fromBlock: from.number });
    expect(got).toEqual({ number: from.number, timestamp: from.timestamp, beforeRange: true });
  });

  it("caches only headers at least `confirmations` below the head", async () => {
    const cache = createBlockTimestampCache();
    const head = mined.at(-1)?.number ?? 0n;
    await getBlockAtTimestamp(chain.publicClient, mined[7]?.timestamp ?? 0n, { cache, confirmations: 4n });
    expect(cache.size).toBeGreaterThan(0);
    for (const [n, t] of cache) {
      expect(head - n).toBeGreaterThanOrEqual(4n);
      expect(t).toBe(mined[Number(n)]?.timestamp);
    }
  });
});

describe("getDeploymentBlock", () => {
  it("is the block of the deployment receipt", async () => {
    expect(await getDeploymentBlock(chain.publicClient, usdc)).toBe(deployedAt);
  });
});

describe("getLogsInChunks", () => {
  it("returns the same logs as one eth_getLogs, for any chunk size", async () => {
    const head = mined.at(-1)?.number ?? 0n;
    const all = await chain.publicClient.getLogs({ address: usdc, event: transfer, fromBlock: 0n, toBlock: head });
    expect(all.length).toBe(4);
    for (const chunkSize of [1n, 2n, 3n, 1000n]) {
      const got = await getLogsInChunks(chain.publicClient, {
        address: usdc,
        event: transfer,
        fromBlock: 0n,
        toBlock: head,
        chunkSize,
      });
      expect(got.map((l) => [l.blockNumber, l.args.value])).toEqual(all.map((l) => [l.blockNumber, l.args.value]));
      const last = await getLastLogInChunks(chain.publicClient, {
        address: usdc,
        event: transfer,
        fromBlock: 0n,
        toBlock: head,
        chunkSize,
      });
      expect(last?.blockNumber).toBe(all.at(-1)?.blockNumber);
    }
  });

  it("splits a range the node refuses as too large, down to what it accepts", async () => {
    const head = mined.at(-1)?.number ?? 0n;
    const ranges: bigint[] = [];
    // A node that answers at most 2 blocks per eth_getLogs, like a capped public RPC.
    const capped = createPublicClient({
      transport: custom(
        {
          async request({ method, params }) {
            if (method === "eth_getLogs") {
              const [{ fromBlock, toBlock }] = params as [{ fromBlock: `0x${string}`; toBlock: `0x${string}` }];
              const span = BigInt(toBlock) - BigInt(fromBlock) + 1n;
              ranges.push(span);
              if (span > 2n) throw new Error("query exceeds max block range 2");
            }
            return chain.publicClient.request({ method, params } as never);
          },
        },
        { retryCount: 0 },
      ),
    });
    const got = await getLogsInChunks(capped, { address: usdc, event: transfer, fromBlock: 0n, toBlock: head });
    expect(got.length).toBe(4);
    expect(ranges.filter((r) => r <= 2n).reduce((s, r) => s + r, 0n)).toBe(head + 1n);
  });

  it("throws an error that is not about the range as it is", async () => {
    const failing = createPublicClient({
      transport: custom(
        {
          async request() {
            throw new Error("connection refused");
          },
        },
        { retryCount: 0 },
      ),
    });
    await expect(
      getLogsInChunks(failing, { address: usdc, event: transfer, fromBlock: 0n, toBlock: 10n }),
    ).rejects.toThrow(/connection refused/);
  });
});
