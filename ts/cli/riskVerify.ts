// The work of `perp risk verify` (loaded only when it runs).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { table } from "../display/table";
import { verifyPostedFigure } from "../risk/verifyPosted";
import type { RiskVerifyFlags } from "./commands/riskVerify";
import { UsageError } from "./errors";
import type { CommandContext } from "./io";
import { answer } from "./output";
import { openSession } from "./session";

const flagsSchema = z.object({
  block: z.string().regex(/^\d+$/, "--block: a block number").transform(BigInt).optional(),
  workers: z
    .string()
    .regex(/^\d{1,3}$/, "--workers: a number of threads (0: none)")
    .transform(Number)
    .optional(),
  out: z.string().min(1, "--out: a directory").optional(),
});

export async function riskVerifyCommand(ctx: CommandContext, flags: RiskVerifyFlags) {
  const parsed = flagsSchema.safeParse(flags);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("; "));
  const f = parsed.data;
  const s = await openSession(flags, ctx.env);
  let tenth = -1;
  const v = await verifyPostedFigure(s.publicClient, s.deployment, {
    block: f.block,
    workers: f.workers,
    onStage: (line) => ctx.io.progress(line),
    onProgress: (done, total) => {
      const t = Math.floor((done * 10) / total);
      if (t === tenth) return;
      tenth = t;
      ctx.io.progress(`[paths] ${t * 10} %`);
    },
  });
  let written: string | undefined;
  if (f.out) {
    await mkdir(f.out, { recursive: true });
    written = path.join(f.out, "report.json");
    await writeFile(written, v.canonicalText);
  }
  const { figure } = v;
  answer(ctx.io, flags.json, { ok: v.ok, figure, rows: v.rows, ...(written ? { reportJson: written } : {}) }, () => [
    `Posted figure for block ${figure.blockNumber} (seed ${figure.seed}, ${figure.paths} paths, posted in block ${figure.postedInBlock}): ${v.ok ? "reproduced" : "MISMATCH"}`,
    table(
      ["", "posted", "reproduced", ""],
      v.rows.map((r) => [r.check, r.posted, r.reproduced, r.ok === null ? "" : r.ok ? "ok" : "MISMATCH"]),
    ),
    "  (the hash is keccak256 of report.json without its `code` field: which checkout ran it is not part of the figure)",
    ...(written ? [`  reproduced report.json written to ${written}`] : []),
  ]);
  if (!v.ok) ctx.setExitCode(1);
}
