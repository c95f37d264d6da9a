// Earn: junior and senior side by side, every number from the SDK (ts/tranches) at one block.
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { testUsdcAbi } from "../../abi/generated";
import type { BlockTimestampCache } from "../../chain/blockAtTimestamp";
import { getAccounts } from "../../pool/actions/getAccounts";
import { cancelWithdraw } from "../../tranches/actions/cancelWithdraw";
import { ClaimGatedError } from "../../tranches/actions/claim";
import { claimOrSettle } from "../../tranches/actions/claimOrSettle";
import { deposit } from "../../tranches/actions/deposit";
import { getBackstopInventory } from "../../tranches/actions/getBackstopInventory";
import { type GetLpPositionReturnType, getLpPosition } from "../../tranches/actions/getLpPosition";
import { type GetPremiumAprReturnType, getPremiumApr } from "../../tranches/actions/getPremiumApr";
import { type GetTrancheReturnType, getTranche } from "../../tranches/actions/getTranche";
import { type GetTrancheRiskReturnType, getTrancheRisk } from "../../tranches/actions/getTrancheRisk";
import { requestWithdraw } from "../../tranches/actions/requestWithdraw";
import { type Ctx, chainNow, type Section } from "./context";
import { fill, h, stat } from "./dom";
import { earnCharts } from "./earnCharts";
import { base, duration, pct, sharesText, usd, usd6, wadPct, when } from "./fmt";
import { actionRow, submit } from "./form";
import { parseShares, parseUsdc } from "./inputs";
import { gatedClaimText, lpEconomics } from "./lpEconomics";

type Side = "junior" | "senior";
const SIDES: Side[] = ["junior", "senior"];
const WINDOW_LABEL: Record<string, string> = { "86400": "1 d", "604800": "7 d", "2592000": "30 d" };

type SideData = {
  tranche: GetTrancheReturnType;
  apr: GetPremiumAprReturnType;
  me: GetLpPositionReturnType | null;
};

export function earnSection(ctx: Ctx): Section {
  const cards = {} as Record<
    Side,
    { stats: HTMLElement; mine: HTMLElement; countdown: HTMLElement; requestOnly: HTMLElement }
  >;
  const latest = {} as Partial<Record<Side, SideData>>;
  const summary = h("div", { class: "stats" });
  const inventory = h("div", {});
  let wallet: HTMLElement;
  const charts = earnCharts(ctx);
  const economics = lpEconomics(ctx);

  function sideCard(side: Side): HTMLElement {
    const vault = ctx.deployment.contracts[side];
    const stats = h("div", { class: "stats" });
    const mine = h("div", { class: "stats" });
    const countdown = h("div", { class: "countdown", "data-testid": `${side}-countdown` });
    const requestOnly = h("div", { class: "row", hidden: true });
    cards[side] = { stats, mine, countdown, requestOnly };

    const dep = actionRow({
      testid: `${side}-deposit`,
      placeholder: "USDC to deposit",
      button: "Deposit",
      onSubmit: (input, button, status) =>
        submit(
          ctx,
          status,
          button,
          () => parseUsdc(input.value),
          async (amount) => {
            const r = await deposit(ctx.wallet as never, { vault, amount });
            input.value = "";
            return `Deposited ${usd6(ctx.usdc, amount)} USDC for ${sharesText(r.shares, latest[side]?.tranche.decimals ?? 12)} shares (block ${r.receipt.blockNumber}).`;
          },
        ),
    });
    const max = h("button", { type: "button", class: "ghost", "data-testid": `${side}-request-max` }, "max");
    const req = actionRow({
      testid: `${side}-request`,
      placeholder: "shares to withdraw",
      button: "Request withdrawal",
      extra: [max],
      onSubmit: (input, button, status) =>
        submit(
          ctx,
          status,
          button,
          () => {
            const me = latest[side]?.me;
            return parseShares(input.value, latest[side]?.tranche.decimals ?? 12, me?.shares ?? 0n);
          },
          async (shares) => {
            const r = await requestWithdraw(ctx.wallet as never, { vault, shares });
            input.value = "";
            return `Requested: claimable from ${when(r.unlockTime)}.`;
          },
        ),
    });
    max.addEventListener("click", () => {
      const d = latest[side];
      if (d?.me) req.input.value = sharesText(d.me.shares, d.tranche.decimals);
    });
    const cancel = actionRow({
      testid: `${side}-cancel`,
      button: "Cancel request",
      withInput: false,
      onSubmit: (_i, button, status) =>
        submit(
          ctx,
          status,
          button,
          () => ({ ok: true, value: null }),
          async () => {
            const r = await cancelWithdraw(ctx.wallet as never, { vault });
            return `Cancelled: ${sharesText(r.returned, latest[side]?.tranche.decimals ?? 12)} shares back.`;
          },
        ),
    });
    const claimRow = actionRow({
      testid: `${side}-claim`,
      button: "Claim",
      withInput: false,
      onSubmit: (_i, button, status) =>
        submit(
          ctx,
          status,
          button,
          () => ({ ok: true, value: null }),
          async () => {
            const owner = (ctx.wallet as { account: { address: Address } }).account.address;
            const r = await claimOrSettle(ctx.wallet as never, { vault, owner }).catch((err: unknown) => {
              if (err instanceof ClaimGatedError) return { step: "gated" as const, err };
              throw err;
            });
            if (r.step === "gated") return gatedClaimText(ctx, r.err);
            if (r.step === "settled") return `Settled: ${usd6(ctx.usdc, r.assets)} USDC paid.`;
            const at = new Date(Number(r.settleAt) * 1000).toLocaleTimeString();
            return `Claim settling: at most ${usd6(ctx.usdc, r.assetsCap)} USDC; press Claim again after ${at}.`;
          },
        ),
    });
    requestOnly.append(cancel.row, claimRow.row);
    return h(
      "section",
      { class: `card ${side}`, "data-testid": `${side}-card` },
      h("h2", {}, side === "junior" ? "Junior — first loss, larger premium" : "Senior — pays only after junior"),
      stats,
      h("h3", {}, "My position"),
      mine,
      countdown,
      dep.row,
      req.row,
      requestOnly,
    );
  }

  return {
    mount(root) {
      wallet = h("div", { class: "stats" });
      root.append(
        h("section", { class: "card wide" }, h("h2", {}, "Backstop"), summary, inventory),
        economics.el,
        h("div", { class: "pair" }, ...SIDES.map(sideCard)),
        charts.el,
        h("section", { class: "card wide" }, h("h3", {}, "Wallet"), wallet),
      );
      setInterval(() => drawCountdowns(), 1000);
    },
    async refresh() {
      const blockNumber = ctx.head.number;
      charts.refresh();
      const owner = ctx.wallet?.account.address;
      const accounts = await getAccounts(ctx.publicClient, {
        pool: ctx.deployment.contracts.pool,
        fromBlock: ctx.deployment.startBlock,
        toBlock: blockNumber,
      });
      const [risk, inv, sides, balance] = await Promise.all([
        getTrancheRisk(ctx.publicClient, { lens: ctx.deployment.contracts.lens, accounts }),
        getBackstopInventory(ctx.publicClient, { lens: ctx.deployment.contracts.lens }),
        Promise.all(SIDES.map((side) => readSide(ctx, ctx.deployment.contracts[side], owner, blockNumber))),
        owner ? usdcBalance(ctx, owner) : Promise.resolve(null),
        economics.refresh(),
      ]);
      drawSummary(risk, inv);
      SIDES.forEach((side, i) => {
        const d = sides[i] as SideData;
        latest[side] = d;
        drawSide(side, d, risk);
      });
      fill(wallet, stat("USDC in wallet", balance === null ? "—" : usd6(ctx.usdc, balance), "wallet-usdc"));
      drawCountdowns();
    },
  };

  function drawSummary(risk: GetTrancheRiskReturnType, inv: Awaited<ReturnType<typeof getBackstopInventory>>) {
    const c = risk.coverage;
    fill(
      summary,
      stat("Junior capital", usd(ctx.usdc, c.juniorCapital)),
      stat("Senior capital", usd(ctx.usdc, c.seniorCapital)),
      stat("Open interest (at index)", usd(ctx.usdc, c.openInterestNotional)),
      stat(
        "Coverage",
        c.coverageBps === (1n << 256n) - 1n ? "∞" : pct(c.coverageBps, 10_000n),
        "coverage",
        "(junior + senior) / open interest",
      ),
      stat("Inventory PnL (at index)", usd(ctx.usdc, inv.unrealizedPnl), "inventory-pnl"),
      stat(
        "Inventory loss counted",
        usd6(ctx.usdc, inv.lossTokens),
        undefined,
        "already against the tranches, junior first",
      ),
    );
    fill(
      inventory,
      inv.positions.length === 0
        ? h("p", { class: "muted" }, "The backstop holds no inventory (no liquidation has transferred a position yet).")
        : h(
            "table",
            {},
            h("tr", {}, h("th", {}, "Market"), h("th", {}, "Size"), h("th", {}, "Notional"), h("th", {}, "PnL")),
            ...inv.positions.map((p) =>
              h(
                "tr",
                {},
                h("td", {}, marketName(ctx, p.marketId)),
                h("td", {}, base(p.size)),
                h("td", {}, usd(ctx.usdc, p.notional)),
                h("td", {}, usd(ctx.usdc, p.pnl)),
              ),
            ),
          ),
    );
  }

  function drawSide(side: Side, d: SideData, risk: GetTrancheRiskReturnType) {
    const { stats, mine } = cards[side];
    const capital = side === "junior" ? risk.coverage.juniorCapital : risk.coverage.seniorCapital;
    const windows = d.apr.windows.map((w) =>
      stat(
        `APR trailing ${WINDOW_LABEL[w.window.toString()] ?? duration(w.window)}${w.complete ? "" : " (so far)"}`,
        wadPct(w.apr),
        `${side}-apr-${w.window}`,
      ),
    );
    const losses = risk.shocks.map((s) => {
      const o = s.allMarkets ?? s.worstMarket;
      const loss = o ? (side === "junior" ? o.juniorLoss : o.seniorLoss) : 0n;
      return stat(
        `Loss at ${Number(s.shockBps) / 100} %`,
        `${usd(ctx.usdc, loss)} (${pct(loss, capital)})`,
        `${side}-loss-${-s.shockBps / 100n}`,
        "every market shocked together, every account liquidated at the shocked index",
      );
    });
    fill(
      stats,
      stat("Capital", usd6(ctx.usdc, d.tranche.totalAssets), `${side}-capital`),
      stat("Share price", usd6(ctx.usdc, d.tranche.sharePrice, 6)),
      ...windows,
      stat("APR streaming now", wadPct(d.apr.streaming.apr), `${side}-apr-now`),
      stat("Premium still vesting", usd6(ctx.usdc, d.apr.streaming.unvested)),
      ...losses,
      stat("Cooldown", duration(d.tranche.cooldown), `${side}-cooldown`),
      stat("Claim window", duration(d.tranche.claimWindow)),
      d.tranche.isWiped ? stat("State", "wiped") : null,
    );
    const me = d.me;
    cards[side].requestOnly.hidden = !me?.request;
    if (!me) {
      fill(mine, h("p", { class: "muted" }, "Connect a wallet to see your shares."));
      return;
    }
    fill(
      mine,
      stat("My shares", sharesText(me.shares, d.tranche.decimals), `${side}-my-shares`),
      stat("Value", usd6(ctx.usdc, me.value), `${side}-my-value`),
      me.request
        ? stat("Requested shares", sharesText(me.request.shares, d.tranche.decimals), `${side}-req-shares`)
        : null,
      me.request ? stat("Claim pays now", usd6(ctx.usdc, me.request.claimableNow)) : null,
      me.request ? stat("Cancel would cost", usd6(ctx.usdc, me.request.cancel.assets)) : null,
    );
  }

  function drawCountdowns() {
    const now = chainNow(ctx.head);
    for (const side of SIDES) {
      const r = latest[side]?.me?.request;
      const el = cards[side]?.countdown;
      if (!el) continue;
      if (!r) {
        fill(el);
        continue;
      }
      if (now < r.unlockTime) fill(el, `Claimable in ${duration(r.unlockTime - now)} (from ${when(r.unlockTime)})`);
      else if (now <= r.claimDeadline) fill(el, `Claimable now — window closes in ${duration(r.claimDeadline - now)}`);
      else fill(el, "Claim window expired: cancel and request again");
    }
  }
}

/** Block-timestamp lookups getPremiumApr reuses across refreshes (past blocks never change). */
const aprCache: BlockTimestampCache = new Map();

async function readSide(ctx: Ctx, vault: Address, owner: Address | undefined, blockNumber: bigint): Promise<SideData> {
  const [tranche, apr, me] = await Promise.all([
    getTranche(ctx.publicClient, { vault }),
    getPremiumApr(ctx.publicClient, { vault, blockNumber, cache: aprCache }),
    owner ? getLpPosition(ctx.publicClient, { vault, owner, blockNumber }) : Promise.resolve(null),
  ]);
  return { tranche, apr, me };
}

export function usdcBalance(ctx: Ctx, owner: Address): Promise<bigint> {
  return readContract(ctx.publicClient, {
    address: ctx.deployment.contracts.usdc,
    abi: testUsdcAbi,
    functionName: "balanceOf",
    args: [owner],
  });
}

export function marketName(ctx: Ctx, marketId: bigint): string {
  return ctx.deployment.markets.find((m) => BigInt(m.marketId) === marketId)?.symbol ?? `#${marketId}`;
}
