// Earn page, LP economics ([5/6]): the junior's share of premium now and its inputs, my boost in each tranche with a
// "Claim boost" button, the junior exit gate, and the risk timelock's queued changes. Every number from the SDK
// (ts/tranches) at the page's block. A deployment from before [5/6] (no tail-risk oracle, vaults without boost or
// gate, no timelock) shows "not deployed" for what it lacks; the rest of the page is unaffected.
import { type Address, isAddressEqual, toFunctionSelector, zeroAddress } from "viem";
import { call, readContract } from "viem/actions";
import { perpPoolAbi } from "../../abi/generated";
import type { ClaimGatedError } from "../../tranches/actions/claim";
import { claimBoost } from "../../tranches/actions/claimBoost";
import { type GetBoostReturnType, getBoost } from "../../tranches/actions/getBoost";
import { type GetExitGateReturnType, getExitGate } from "../../tranches/actions/getExitGate";
import { type GetJuniorShareReturnType, getJuniorShare } from "../../tranches/actions/getJuniorShare";
import { getQueuedChanges, type QueuedChange } from "../../tranches/actions/getQueuedChanges";
import { type LpEconomicsDeployment, resolveTimelock } from "../../tranches/lpDeployment";
import type { Ctx } from "./context";
import { chainNow } from "./context";
import { fill, h, stat } from "./dom";
import { duration, pct, short, usd6, when } from "./fmt";
import { actionRow, submit } from "./form";

const SIDES = ["junior", "senior"] as const;
type Side = (typeof SIDES)[number];
const WEEK = 7n * 86_400n;
const NOT_DEPLOYED = "not deployed";

/** bps as "62.50 %". */
const bps = (v: bigint) => pct(v, 10_000n);
/** A multiplier in bps as "1.25×". */
const times = (v: bigint) => `${(Number(v) / 10_000).toFixed(2)}×`;

/** True when `vault` answers `signature` (a [5/6] vault does; an older one reverts without data). */
async function answers(ctx: Ctx, vault: Address, signature: string, blockNumber: bigint): Promise<boolean> {
  try {
    const r = await call(ctx.publicClient, { to: vault, data: toFunctionSelector(signature), blockNumber });
    return (r.data ?? "0x").length > 2;
  } catch {
    return false;
  }
}

/**
 * The deployment as the LP-economics actions take it: a tail-risk oracle or timelock the file names as the zero
 * address (or not at all) is left to the actions to find on chain (`backstop.tailRiskOracle()`, the pool's owner).
 */
function lpDeployment(ctx: Ctx): LpEconomicsDeployment {
  const c = ctx.deployment.contracts as LpEconomicsDeployment["contracts"];
  const named = (a: Address | undefined) => (a && !isAddressEqual(a, zeroAddress) ? a : undefined);
  return { contracts: { ...c, tailRiskOracle: named(c.tailRiskOracle), timelock: named(c.timelock) } };
}

/** A junior claim the exit gate held back entirely (the transaction mined and recorded it), in words. */
export function gatedClaimText(ctx: Ctx, err: ClaimGatedError): string {
  return (
    `Held back by the junior exit gate: 0 % of your request is claimable now (${usd6(ctx.usdc, err.aheadAssets)} ` +
    `USDC queued ahead of you, ${usd6(ctx.usdc, err.capacity)} USDC of room above the floor). Your request keeps ` +
    "its place and its claim window restarted: claim again when junior's coverage is back."
  );
}

type Data = {
  /** The share, or why it could not be read (a backstop from before [5/6] has no `tailRiskOracle()`). */
  share: GetJuniorShareReturnType | string;
  /** Each panel below holds its reading, or why it failed (a failing view must not stop the rest of the page). */
  boosts: Record<Side, GetBoostReturnType | string> | null;
  boostDeployed: boolean;
  gate: GetExitGateReturnType | null | string;
  timelock: Address | null;
  /** The pool's owner (the timelock when it governs). */
  poolOwner: Address;
  queued: QueuedChange[] | string;
};

export function lpEconomics(ctx: Ctx): { el: HTMLElement; refresh(): Promise<void> } {
  const share = h("div", { class: "stats", "data-testid": "junior-share-panel" });
  const boost = h("div", { "data-testid": "boost-panel" });
  const gate = h("div", { class: "stats", "data-testid": "exit-gate-panel" });
  const queue = h("div", { "data-testid": "queued-changes" });
  const boostStats = {} as Record<Side, HTMLElement>;
  const claimButtons = {} as Record<Side, HTMLElement>;
  const claimRows = SIDES.map((side) => {
    boostStats[side] = h("div", { class: "stats" });
    const row = actionRow({
      testid: `${side}-boost-claim`,
      button: "Claim boost",
      withInput: false,
      onSubmit: (_i, button, status) =>
        submit(
          ctx,
          status,
          button,
          () => ({ ok: true, value: null }),
          async () => {
            const r = await claimBoost(ctx.wallet as never, lpDeployment(ctx), side);
            return `Boost claimed: ${usd6(ctx.usdc, r.assets)} USDC for ${r.points} points (block ${r.receipt.blockNumber}).`;
          },
        ),
    });
    claimButtons[side] = row.row;
    return h("div", { class: `boost ${side}` }, h("h3", {}, `${side} boost`), boostStats[side], row.row);
  });
  fill(boost, h("div", { class: "pair" }, ...claimRows));

  const el = h(
    "section",
    { class: "card wide", "data-testid": "lp-economics" },
    h("h2", {}, "LP economics"),
    h("h3", {}, "Junior share of premium"),
    share,
    h("h3", {}, "Boost for staying through volatility"),
    boost,
    h("h3", {}, "Junior exit gate"),
    gate,
    h("h3", {}, "Queued parameter changes"),
    queue,
  );

  async function read(): Promise<Data> {
    const blockNumber = ctx.head.number;
    const owner = ctx.wallet?.account.address;
    const d = lpDeployment(ctx);
    const [shareNow, boostDeployed, gateDeployed, timelock, poolOwner] = await Promise.all([
      getJuniorShare(ctx.publicClient, d, { blockNumber }).catch((err: unknown) => firstLine(err)),
      answers(ctx, d.contracts.junior, "boostMultiplierBps()", blockNumber),
      answers(ctx, d.contracts.junior, "exitGate()", blockNumber),
      resolveTimelock(ctx.publicClient, d, blockNumber),
      readContract(ctx.publicClient, {
        address: d.contracts.pool,
        abi: perpPoolAbi,
        functionName: "owner",
        blockNumber,
      }),
    ]);
    const boostOf = (side: Side) =>
      getBoost(ctx.publicClient, d, side, owner as Address, { blockNumber }).catch(firstLine);
    const [boosts, gateNow, queued] = await Promise.all([
      boostDeployed && owner
        ? Promise.all([boostOf("junior"), boostOf("senior")]).then(([junior, senior]) => ({ junior, senior }))
        : Promise.resolve(null),
      gateDeployed ? getExitGate(ctx.publicClient, d, owner, { blockNumber }).catch(firstLine) : Promise.resolve(null),
      timelock ? getQueuedChanges(ctx.publicClient, d, { blockNumber }).catch(firstLine) : Promise.resolve([]),
    ]);
    return { share: shareNow, boosts, boostDeployed, gate: gateNow, timelock, poolOwner, queued };
  }

  function drawShare(s: GetJuniorShareReturnType | string) {
    if (typeof s === "string") {
      fill(share, stat("Junior share now", NOT_DEPLOYED, "junior-share", s));
      return;
    }
    const f = s.figure;
    const p = s.params;
    fill(
      share,
      stat("Junior share now", bps(s.shareBps), "junior-share"),
      stat(
        "Source",
        s.source === "posted" ? "posted figure" : "capital rule",
        "junior-share-source",
        "the posted figure while it is fresh and both tranches hold capital; else junior weight × capital",
      ),
      stat("Capital rule would give", bps(s.capitalRuleShareBps), "junior-share-capital-rule"),
      s.oracle === null ? stat("Tail-risk oracle", NOT_DEPLOYED, "junior-share-oracle") : null,
      s.oracle !== null && f === null ? stat("Posted figure", "none yet", "junior-share-figure") : null,
      f ? stat("ES99 (junior, 1 day)", usd6(ctx.usdc, f.juniorEs99), "junior-share-es99") : null,
      f ? stat("Junior capital (posted)", usd6(ctx.usdc, f.juniorCapital), "junior-share-capital") : null,
      f ? stat("Stress loss (posted)", usd6(ctx.usdc, f.stressLoss), "junior-share-stress") : null,
      f
        ? stat("Report block", f.blockNumber.toString(), "junior-share-block", `seed ${f.seed}, ${f.paths} paths`)
        : null,
      f
        ? stat(
            "Posted",
            `${duration(f.ageSeconds)} ago${f.fresh ? "" : " (stale)"}`,
            "junior-share-age",
            `at ${when(f.postedAt)}; report ${f.reportHash}`,
          )
        : null,
      f
        ? stat(
            "Target / after bounds",
            `${bps(f.targetShareBps)} / ${bps(f.shareBps)}`,
            "junior-share-target",
            "clamp(m × ES99 / capital, lo, hi), then the per-post and per-day limits",
          )
        : null,
      p ? stat("Bounds", `${bps(p.minShareBps)} – ${bps(p.maxShareBps)}`, "junior-share-bounds") : null,
      p
        ? stat(
            "Moves at most",
            `${bps(p.maxStepBps)} a post, ${bps(p.maxDailyBps)} a day`,
            undefined,
            `m = ${times(p.multiplierBps)}; a figure older than ${duration(p.maxAge)} falls back to the capital rule`,
          )
        : null,
    );
  }

  function drawBoost(data: Data) {
    for (const side of SIDES) {
      const b = data.boosts?.[side] ?? null;
      claimButtons[side].hidden = b === null || typeof b === "string";
      if (!data.boostDeployed) {
        fill(boostStats[side], stat("Boost", NOT_DEPLOYED, `${side}-boost-multiplier`));
        continue;
      }
      if (!b) {
        fill(boostStats[side], h("p", { class: "muted" }, "Connect a wallet to see your boost points."));
        continue;
      }
      if (typeof b === "string") {
        fill(boostStats[side], stat("Boost", "unavailable", `${side}-boost-multiplier`, b));
        continue;
      }
      const inAWeek = b.claimableAt(b.timestamp + WEEK);
      fill(
        boostStats[side],
        stat("Multiplier now", times(b.multiplierBps), `${side}-boost-multiplier`, "clamp(σ / σ reference, 1, cap)"),
        b.oracleMultiplierBps !== b.multiplierBps
          ? stat("Oracle says", times(b.oracleMultiplierBps), `${side}-boost-oracle-multiplier`)
          : null,
        stat("My points", b.points.toString(), `${side}-boost-points`, "shares × bps-seconds, outside a request"),
        stat("Share of all points", pct(b.points, b.totalPoints), `${side}-boost-share`),
        stat("Boost pot", usd6(ctx.usdc, b.pot), `${side}-boost-pot`),
        stat("Claimable now", usd6(ctx.usdc, b.claimable), `${side}-boost-claimable`),
        stat(
          "A claim in 7 days",
          usd6(ctx.usdc, inAWeek),
          `${side}-boost-expected`,
          "what a claim would pay if nothing moves meanwhile: no new premium, claim, transfer or multiplier change",
        ),
      );
    }
  }

  function drawGate(g: GetExitGateReturnType | null | string) {
    if (!g) {
      fill(gate, stat("Exit gate", NOT_DEPLOYED, "gate-floor"));
      return;
    }
    if (typeof g === "string") {
      fill(gate, stat("Exit gate", "unavailable", "gate-floor", g), h("p", { class: "muted" }, g));
      return;
    }
    const mine = g.mine;
    fill(
      gate,
      mine && mine.requested > 0n
        ? stat(
            "Your claim",
            `${mine.claimablePercent?.toFixed(0) ?? "0"} % claimable now`,
            "gate-mine",
            "of what your junior request still asks for",
          )
        : stat("Your claim", ctx.wallet ? "no junior request" : "connect a wallet", "gate-mine"),
      mine && mine.requested > 0n ? stat("Requested", usd6(ctx.usdc, mine.requested), "gate-requested") : null,
      mine && mine.requested > 0n ? stat("Claimable now", usd6(ctx.usdc, mine.claimable), "gate-claimable") : null,
      mine && mine.requested > 0n ? stat("Queue ahead of you", usd6(ctx.usdc, mine.ahead), "gate-ahead") : null,
      stat(
        "Floor",
        usd6(ctx.usdc, g.floor),
        "gate-floor",
        g.fromEs99 ? "c × the posted ES99 (fresh)" : "c × the stressed loss at the reference shock",
      ),
      stat("Floor from", g.fromEs99 ? "posted ES99" : "stress loss", "gate-floor-source"),
      stat("Capacity above it", usd6(ctx.usdc, g.capacity), "gate-capacity", "net assets − settling claims − floor"),
      stat("Queued junior exits", usd6(ctx.usdc, g.queued), "gate-queued"),
      stat("Senior exits", "never gated"),
    );
  }

  function drawQueue({ timelock, poolOwner, queued }: Data) {
    if (timelock && !isAddressEqual(timelock, poolOwner)) {
      fill(
        queue,
        h(
          "p",
          { class: "muted", "data-testid": "queued-none" },
          `The pool's owner is ${ctx.label(poolOwner)}, not the timelock: parameter changes apply at once.`,
        ),
      );
      return;
    }
    if (!timelock) {
      fill(
        queue,
        h(
          "p",
          { class: "muted", "data-testid": "queued-none" },
          `Timelock ${NOT_DEPLOYED}: the owner sets parameters.`,
        ),
      );
      return;
    }
    if (typeof queued === "string") {
      fill(queue, h("p", { class: "muted", "data-testid": "queued-none" }, `Queue unavailable: ${queued}`));
      return;
    }
    if (queued.length === 0) {
      fill(
        queue,
        h("p", { class: "muted", "data-testid": "queued-none" }, `Nothing queued (timelock ${short(timelock)}).`),
      );
      return;
    }
    const now = chainNow(ctx.head);
    fill(
      queue,
      h(
        "table",
        {},
        h(
          "tr",
          {},
          h("th", {}, "#"),
          h("th", {}, "Target"),
          h("th", {}, "Change"),
          h("th", {}, "Risk"),
          h("th", {}, "Effective"),
        ),
        ...queued.map((c) => {
          const call = `${c.functionName ?? c.selector}(${c.args.map(argText).join(", ")})`;
          return h(
            "tr",
            { "data-testid": `queued-change-${c.id}` },
            h("td", {}, c.id.toString()),
            h("td", {}, c.targetName === "unknown" ? short(c.target) : c.targetName),
            h("td", { title: call }, call.length > 90 ? `${call.slice(0, 89)}…` : call),
            h("td", {}, c.raisesRisk ? "raises" : "lowers"),
            h(
              "td",
              { "data-testid": `queued-change-${c.id}-eta`, "data-eta": c.eta.toString() },
              `${when(c.eta)} (${c.eta <= now ? "ready" : `in ${duration(c.eta - now)}`})`,
            ),
          );
        }),
      ),
    );
  }

  return {
    el,
    async refresh() {
      const data = await read();
      drawShare(data.share);
      drawBoost(data);
      drawGate(data.gate);
      drawQueue(data);
    },
  };
}

function firstLine(err: unknown): string {
  return err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err);
}

/** A decoded argument for a table cell: bigints as decimals, structs as JSON. */
function argText(v: unknown): string {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return v.startsWith("0x") && v.length === 42 ? short(v as Address) : v;
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
}
