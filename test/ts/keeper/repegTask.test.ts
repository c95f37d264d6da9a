// The repeg task (ts/keeper/tasks/repegTask.ts): one step per market whose snapshot says `repegDue`, in every block
// while it stays due, none otherwise; a simulated revert (`RepegNotDue`) is an expected outcome.
import { describe, expect, it } from "vitest";
import { RepegTask, repegDue } from "../../../ts/keeper/tasks/repegTask";
import type { TickContext } from "../../../ts/keeper/tasks/task";
import type { Job, SubmitResult } from "../../../ts/keeper/tx/txManager";

const POOL = "0x00000000000000000000000000000000000000aa";

function tick(block: bigint, markets: { due: boolean; status?: number }[]) {
  const jobs: Job[] = [];
  const ctx = {
    head: { number: block, timestamp: 1_700_000_000n + block * 12n },
    snapshot: {
      markets: markets.map((m, i) => ({
        marketId: BigInt(i),
        view: { repegDue: m.due, oracleStatus: m.status ?? 0 },
      })),
    },
    addresses: { pool: POOL },
    submit: async (job: Job): Promise<SubmitResult> => {
      jobs.push(job);
      return { kind: "skipped", reason: "not due: RepegNotDue" };
    },
    log: { warn: () => undefined },
  } as unknown as TickContext;
  return { ctx, jobs };
}

describe("repeg task", () => {
  it("sends one step per due market in every block while due, and none for the others", async () => {
    const task = new RepegTask();
    task.start();
    for (const block of [100n, 101n, 102n]) {
      const { ctx, jobs } = tick(block, [{ due: true }, { due: false }, { due: true }]);
      await task.tick(ctx);
      expect(jobs.map((j) => j.key)).toEqual([`repeg:0:${block}`, `repeg:2:${block}`]);
      expect(jobs.every((j) => j.to === POOL && j.revertMeansNotDue === true)).toBe(true);
      expect(jobs.map((j) => j.slots)).toEqual([["repeg:0"], ["repeg:2"]]);
    }
    expect(task.health()).toEqual({ ok: true });
  });

  it("sends nothing when the lens's view is missing or the oracle is not Normal", () => {
    expect(repegDue(undefined)).toBe(false);
    expect(repegDue({ repegDue: true, oracleStatus: 1 })).toBe(false);
    expect(repegDue({ repegDue: false, oracleStatus: 0 })).toBe(false);
    expect(repegDue({ repegDue: true, oracleStatus: 0 })).toBe(true);
  });
});
