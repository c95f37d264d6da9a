// Risk — the liquidation stack: a shock slider per market (and all together), or a joint shock (one move per market,
// every account margined with netting at those prices) → the accounts that fall, the bad debt, and the waterfall
// drawn; the numbers are the SDK's getStress / getStressAllMarkets / getStressJoint (the lens, at the head block:
// every requirement netted over the pool's risk engine, which math.stressTest / stressTestJoint mirror to the wei).
// Below it, the last `perp risk report` (riskReport.ts), then the backstop's inventory.
import { formatMoveBps } from "../../display/scenario";
import { getAccounts } from "../../pool/actions/getAccounts";
import type { StressResult } from "../../pool/types";
import { getStress } from "../../tranches/actions/getStress";
import { ALL_MARKETS, getStressAllMarkets } from "../../tranches/actions/getStressAllMarkets";
import { getStressJoint } from "../../tranches/actions/getStressJoint";
import type { Ctx, Section } from "./context";
import { fill, h, s, stat } from "./dom";
import { readableError } from "./errors";
import { pct, price, usd } from "./fmt";
import { shockSchema } from "./inputs";
import { inventorySection } from "./inventory";
import { riskReportSection } from "./riskReport";

export function riskSection(ctx: Ctx): Section {
  const inventory = inventorySection(ctx);
  const report = riskReportSection();
  const market = h("select", { "data-testid": "shock-market" }, h("option", { value: "all" }, "All markets together"));
  const slider = h("input", { type: "range", min: -90, max: 50, step: 1, value: -30, "data-testid": "shock-slider" });
  const label = h("output", { "data-testid": "shock-label" }, "-30 %");
  const totals = h("div", { class: "stats", "data-testid": "stress-totals" });
  const chart = h("div", { class: "chart", "data-testid": "waterfall" });
  const fallen = h("div", {});
  const error = h("div", { class: "status" });
  const jointInputs = ctx.deployment.markets.map((m) => ({
    market: m,
    input: h("input", {
      type: "number",
      step: "0.01",
      value: m.symbol === "ETH" ? -12 : -4,
      "aria-label": `${m.symbol} move in percent`,
      "data-testid": `joint-${m.symbol}`,
    }),
  }));
  const jointButton = h("button", { type: "button", "data-testid": "joint-run" }, "Stress jointly");
  let seq = 0;

  /** The joint shock: each market's move (percent, 0 = stays put), every account margined with netting. */
  async function runJoint() {
    const shocks: bigint[] = [];
    for (const { market: m, input } of jointInputs) {
      const bps = shockSchema.safeParse(Math.round(Number(input.value || "0") * 100));
      if (!bps.success) {
        error.className = "status error";
        error.textContent = `${m.symbol}: a move between -99 % and +100 %`;
        return;
      }
      shocks[m.marketId] = BigInt(bps.data);
    }
    const mine = ++seq;
    const blockNumber = ctx.head.number;
    try {
      const { lens, pool } = ctx.deployment.contracts;
      const accounts = await getAccounts(ctx.publicClient, {
        pool,
        fromBlock: ctx.deployment.startBlock,
        toBlock: blockNumber,
      });
      const r = await getStressJoint(ctx.publicClient, {
        lens,
        shockBps: Array.from(shocks, (x) => x ?? 0n),
        accounts,
        blockNumber,
      });
      if (mine !== seq) return;
      label.textContent = ctx.deployment.markets
        .filter((m) => (shocks[m.marketId] ?? 0n) !== 0n)
        .map((m) => `${m.symbol} ${formatMoveBps(shocks[m.marketId] ?? 0n)}`)
        .join(", ");
      draw(r, blockNumber, accounts.length);
      totals.dataset.market = "joint";
      error.className = "status";
      error.textContent = "";
    } catch (err) {
      if (mine !== seq) return;
      error.className = "status error";
      error.textContent = readableError(err, ctx.usdc);
    }
  }

  async function run() {
    const pct = shockSchema.safeParse(Number(slider.value) * 100);
    if (!pct.success) return;
    const shockBps = BigInt(pct.data);
    label.textContent = `${Number(slider.value) > 0 ? "+" : ""}${slider.value} %`;
    const mine = ++seq;
    const blockNumber = ctx.head.number;
    try {
      const { lens, pool } = ctx.deployment.contracts;
      const accounts = await getAccounts(ctx.publicClient, {
        pool,
        fromBlock: ctx.deployment.startBlock,
        toBlock: blockNumber,
      });
      const r =
        market.value === "all"
          ? await getStressAllMarkets(ctx.publicClient, { lens, shockBps, accounts, blockNumber })
          : await getStress(ctx.publicClient, {
              lens,
              marketId: BigInt(market.value),
              shockBps,
              accounts,
              blockNumber,
            });
      if (mine !== seq) return; // a later move of the slider already asked again
      draw(r, blockNumber, accounts.length);
      error.className = "status";
      error.textContent = "";
    } catch (err) {
      if (mine !== seq) return;
      error.className = "status error";
      error.textContent = readableError(err, ctx.usdc);
    }
  }

  function draw(r: StressResult, blockNumber: bigint, scanned: number) {
    totals.dataset.block = blockNumber.toString();
    totals.dataset.market = r.marketId === ALL_MARKETS ? "all" : r.marketId.toString();
    totals.dataset.shock = r.shockBps.toString();
    fill(
      totals,
      stat("Accounts that fall", `${r.liquidatableCount} of ${scanned}`, "stress-count"),
      r.marketId === ALL_MARKETS ? null : stat("Shocked index", price(ctx.usdc, r.shockedIndex), "stress-index"),
      stat("Bad debt", usd(ctx.usdc, r.totalBadDebt), "stress-bad-debt"),
      stat("Junior pays", usd(ctx.usdc, r.juniorLoss), "stress-junior"),
      stat("Senior pays", usd(ctx.usdc, r.seniorLoss), "stress-senior"),
      stat("Socialized", usd(ctx.usdc, r.socialized), "stress-socialized"),
      stat("Inventory loss at the shock", usd(ctx.usdc, r.inventoryLoss), "stress-inventory"),
      stat("Read at block", blockNumber.toString()),
    );
    fill(chart, waterfall(r));
    const falling = r.accounts.filter((a) => a.liquidatable);
    fill(
      fallen,
      falling.length === 0
        ? h("p", { class: "muted" }, "No account falls at this shock.")
        : h(
            "table",
            { "data-testid": "stress-accounts" },
            h("tr", {}, ...["Account", "Value at the shock", "Maintenance", "Bad debt"].map((t) => h("th", {}, t))),
            ...falling.map((a) =>
              h(
                "tr",
                {},
                h("td", {}, `${ctx.label(a.owner)}${a.subId ? ` #${a.subId}` : ""}`),
                h("td", {}, usd(ctx.usdc, a.value)),
                h("td", {}, usd(ctx.usdc, a.maintenanceRequirement)),
                h("td", { class: a.badDebt > 0n ? "short" : "" }, usd(ctx.usdc, a.badDebt)),
              ),
            ),
          ),
    );
  }

  /**
   * The waterfall: one bar of the bad debt split into what junior, senior and socialization pay, then each
   * tranche's capital with the part the shock takes (each bar is that tranche's own capital, so a small loss shows).
   */
  function waterfall(r: StressResult): SVGElement {
    const W = 640;
    const rowH = 44;
    const left = 150;
    const span = W - left - 190;
    const px = (part: bigint, whole: bigint) =>
      whole === 0n || part === 0n ? 0 : Math.max(2, (Number((part * 10_000n) / whole) / 10_000) * span);
    const svg = s("svg", { viewBox: `0 0 ${W} ${4 * rowH + 10}`, role: "img", "aria-label": "loss waterfall" });
    const label = (y: number, name: string, sub: string) =>
      svg.append(
        s("text", { x: 0, y: y + 15, class: "bar-label" }, name),
        s("text", { x: 0, y: y + 31, class: "bar-sub" }, sub),
      );
    // Row 0: the bad debt, stacked junior | senior | socialized.
    label(8, "Bad debt", usd(ctx.usdc, r.totalBadDebt, 0));
    let x = left;
    svg.append(s("rect", { x: left, y: 8, width: span, height: 26, class: "cap" }));
    for (const [part, cls] of [
      [r.juniorLoss, "junior"],
      [r.seniorLoss, "senior"],
      [r.socialized, "social"],
    ] as const) {
      const w = px(part, r.totalBadDebt);
      svg.append(s("rect", { x, y: 8, width: w, height: 26, class: `loss ${cls}` }));
      x += w;
    }
    const rows: [string, bigint, bigint, string][] = [
      ["Junior", r.juniorLoss, r.juniorCapital, "junior"],
      ["Senior", r.seniorLoss, r.seniorCapital, "senior"],
      ["Socialized", r.socialized, r.totalBadDebt, "social"],
    ];
    rows.forEach(([name, loss, whole, cls], i) => {
      const y = 8 + (i + 1) * rowH;
      label(y, name, `pays ${usd(ctx.usdc, loss, 0)}`);
      svg.append(
        s("rect", { x: left, y, width: span, height: 26, class: "cap" }),
        s("rect", {
          x: left,
          y,
          width: px(loss, whole),
          height: 26,
          class: `loss ${cls}`,
          "data-testid": `bar-${cls}`,
        }),
        s(
          "text",
          { x: left + span + 6, y: y + 18, class: "bar-cap" },
          cls === "social" ? `${pct(loss, whole)} of debt` : `${pct(loss, whole)} of ${usd(ctx.usdc, whole, 0)}`,
        ),
      );
    });
    return svg;
  }

  return {
    mount(root) {
      for (const m of ctx.deployment.markets) market.append(h("option", { value: m.marketId }, m.symbol));
      slider.addEventListener("input", () => void run());
      market.addEventListener("change", () => void run());
      jointButton.addEventListener("click", () => void runJoint());
      root.append(
        h(
          "section",
          { class: "card wide" },
          h("h2", {}, "The liquidation stack"),
          h(
            "p",
            { class: "muted" },
            "Shock the index; every account is valued at the shocked index, the insolvent ones' bad debt runs margin → junior → senior → socialized. Liquidation settles at the index, so this is what a crash would realize.",
          ),
          h("div", { class: "controls" }, market, slider, label),
          h(
            "div",
            { class: "controls", "data-testid": "joint-shock" },
            h("span", { class: "muted" }, "Joint shock, % per market:"),
            ...jointInputs.flatMap(({ market: m, input }) => [h("label", {}, m.symbol), input]),
            jointButton,
          ),
          error,
          totals,
          chart,
          h("h3", {}, "Accounts that fall"),
          fallen,
        ),
      );
      report.mount(root);
      inventory.mount(root);
    },
    async refresh() {
      await Promise.all([run(), inventory.refresh(), report.refresh()]);
    },
  };
}
