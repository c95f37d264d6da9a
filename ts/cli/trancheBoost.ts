// The work of `perp tranche boost [--tranche junior|senior] [--claim]` (loaded only when it runs): an LP's boost
// points, what a claim pays now and in a day if nothing moves, and the claim itself.
import { formatUsdc } from "../display/amounts";
import { claimBoost, type GetBoostReturnType, getBoost, type TrancheName } from "../tranches";
import { UsageError } from "./errors";
import type { CommandContext } from "./io";
import { durationText } from "./lpEconomics";
import { answer } from "./output";
import { openSession, openSignedSession, ownerOf, type SessionFlags } from "./session";
import { parseSide } from "./values";

export type TrancheBoostFlags = SessionFlags & { owner?: string; tranche?: string; claim?: boolean };

const DAY = 86_400n;
const multiple = (bps: bigint) => `${Number((Number(bps) / 10_000).toFixed(4))}×`;
const shareOf = (part: bigint, whole: bigint) =>
  whole === 0n ? "0 %" : `${(Number((part * 1_000_000n) / whole) / 10_000).toFixed(2)} %`;

export async function trancheBoostCommand(ctx: CommandContext, flags: TrancheBoostFlags) {
  const tranches: TrancheName[] = flags.tranche ? [parseSide(flags.tranche)] : ["junior", "senior"];
  if (flags.claim) return claim(ctx, flags, tranches);
  const s = await openSession(flags, ctx.env);
  const owner = ownerOf(flags, ctx.env, s.chain.id);
  if (!owner)
    throw new UsageError("tranche boost: whose boost? pass --owner ADDRESS, --account N or set PERP_PRIVATE_KEY");
  const block = await s.publicClient.getBlockNumber();
  const views = await Promise.all(
    tranches.map((t) => getBoost(s.publicClient, s.deployment, t, owner, { blockNumber: block })),
  );
  const data = views.map((b) => ({ ...withoutFn(b), claimableInADay: b.claimableAt(b.timestamp + DAY) }));
  answer(ctx.io, flags.json, { owner, block, tranches: data }, () => [
    `Boost of ${owner} at block ${block}`,
    ...views.flatMap((b) => lines(b)),
  ]);
}

function lines(b: GetBoostReturnType): string[] {
  const refresh =
    b.oracleMultiplierBps === b.multiplierBps
      ? ""
      : ` (the oracle asks ${multiple(b.oracleMultiplierBps)}: refreshBoost applies it)`;
  return [
    `  ${b.tranche}: ${b.points} points of ${b.totalPoints} (${shareOf(b.points, b.totalPoints)}), accruing at ${multiple(b.multiplierBps)}${refresh}`,
    `    ${b.activeShares === 0n ? "no shares accruing (none held, or all in a withdrawal request)" : `${b.pointsPerSecond} points a second on shares not in a request`}`,
    `    pot ${formatUsdc(b.pot)} USDC: claimable now ${formatUsdc(b.claimable)} USDC, in ${durationText(DAY)} if nothing moves ${formatUsdc(b.claimableAt(b.timestamp + DAY))} USDC`,
  ];
}

function withoutFn(b: GetBoostReturnType) {
  const { claimableAt: _f, ...rest } = b;
  return rest;
}

async function claim(ctx: CommandContext, flags: TrancheBoostFlags, tranches: TrancheName[]) {
  const s = await openSignedSession(flags, ctx.env);
  const views = await Promise.all(tranches.map((t) => getBoost(s.publicClient, s.deployment, t, s.address)));
  const due = views.filter((b) => b.claimable > 0n);
  if (due.length === 0) {
    const why = views.map((b) =>
      b.points === 0n
        ? `${b.tranche}: you have no boost points`
        : `${b.tranche}: your ${b.points} points are worth less than 1 unit of a ${formatUsdc(b.pot)} USDC pot (they are kept)`,
    );
    throw new UsageError(`tranche boost --claim: nothing to claim (${why.join("; ")})`);
  }
  const claimed: { tranche: TrancheName; assets: bigint; points: bigint; hash: string }[] = [];
  for (const b of due) {
    const r = await claimBoost(s.wallet, s.deployment, b.tranche);
    claimed.push({ tranche: b.tranche, assets: r.assets, points: r.points, hash: r.hash });
  }
  answer(ctx.io, flags.json, { owner: s.address, claimed }, () =>
    claimed.map(
      (c) => `Claimed ${formatUsdc(c.assets)} USDC of ${c.tranche} boost for ${c.points} points (tx ${c.hash})`,
    ),
  );
}
