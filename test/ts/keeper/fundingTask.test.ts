// The funding task (ts/keeper/tasks/fundingTask.ts): one update per market whose interval has passed, the due ones
// by gross open-interest notional, largest first (a group's liquid market is measured before its siblings blend it).
import { describe, expect, it } from "vitest";
import { FundingTask, fundingOrder } from "../../../ts/keeper/tasks/fundingTask";
import type { TickContext } from "../../../ts/keeper/tasks/task";
import type { Job, SubmitResult } from "../../../ts/keeper/tx/txManager";

const POOL = "0x00000000000000000000000000000000000000aa";
const WAD = 10n ** 18n;
const NOW = 1_700_000_000n;

type M = { next: bigint | undefined; long: bigint; short: bigint; index: bigint };

function tick(markets: M[]) {
  const jobs: Job[] = [];
  const ctx = {
    head: { number: 100n, timestamp: NOW },
    snapshot: {
      markets: markets.map((m, i) => ({
        marketId: BigInt(i),
        state: { longOpenInterest: m.long * WAD, shortOpenInterest: m.short * WAD, periodStart: 7 },
        pricing: { index: m.index * WAD },
        view: m.next === undefined ? undefined : { nextFundingUpdate: m.next },
      })),
    },
    addresses: { pool: POOL },
    submit: async (job: Job): Promise<SubmitResult> => {
      jobs.push(job);
      return { kind: "skipped", reason: "not due: FundingNotDue" };
    },
    log: { warn: () => undefined },
  } as unknown as TickContext;
  return { ctx, jobs };
}

describe("funding task", () => {
  it("updates the due markets only, the larger gross open-interest notional first", async () => {
    const task = new FundingTask();
    task.start();
    const { ctx, jobs } = tick([
      // ETH: 300 base at 2,000 = 600k gross; BTC: 15 base at 60,000 = 900k gross; SOL not due; XRP without a view.
      { next: NOW - 1n, long: 200n, short: 100n, index: 2000n },
      { next: NOW, long: 5n, short: 10n, index: 60_000n },
      { next: NOW + 1n, long: 1_000_000n, short: 0n, index: 100n },
      { next: undefined, long: 1n, short: 0n, index: 1n },
    ]);
    await task.tick(ctx);
    expect(jobs.map((j) => j.key)).toEqual(["funding:1:7", "funding:0:7"]);
    expect(jobs.map((j) => j.slots)).toEqual([["funding:1"], ["funding:0"]]);
    expect(jobs.every((j) => j.to === POOL)).toBe(true);
    expect(task.health()).toEqual({ ok: true });
  });

  it("orders equal gross notionals by market id, so the order is stable", () => {
    const m = (id: bigint, long: bigint) => ({
      marketId: id,
      state: { longOpenInterest: long, shortOpenInterest: 0n },
      pricing: { index: WAD },
    });
    const order = fundingOrder([m(2n, 5n), m(0n, 5n), m(1n, 9n)] as never[]) as { marketId: bigint }[];
    expect(order.map((x) => x.marketId)).toEqual([1n, 0n, 2n]);
  });
});
