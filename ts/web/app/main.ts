// The page: reads /config.json, connects a wallet (a dev account on the devnet, else an injected one), shows
// Earn / Trade / Risk and refreshes the visible one on every new block.
import type { Address } from "viem";
import { createPublicClient, defineChain, http } from "viem";
import { parseDeployment } from "../../deploy/deployment";
import { usdcToken } from "../../pool/format";
import { RPC_PATH, WEB_CONFIG_PATH, webConfigSchema } from "../config";
import type { Ctx, Section } from "./context";
import { fill, h } from "./dom";
import { earnSection } from "./earn";
import { short } from "./fmt";
import { riskSection } from "./risk";
import { tradeSection } from "./trade";
import { devAddresses, devWallet, injectedProvider, injectedWallet } from "./wallet";
import "./style.css";

const POLL_MS = 1_000;
const TABS = [
  ["earn", "Earn"],
  ["trade", "Trade"],
  ["risk", "Risk"],
] as const;
type Tab = (typeof TABS)[number][0];

async function boot() {
  const config = webConfigSchema.parse(await (await fetch(WEB_CONFIG_PATH)).json());
  const deployment = parseDeployment(config.deployment);
  const rpcUrl = new URL(RPC_PATH, location.href).toString();
  const chain = defineChain({
    id: config.chainId,
    name: config.chainId === 31_337 ? "Anvil" : `Chain ${config.chainId}`,
    nativeCurrency: { decimals: 18, name: "Ether", symbol: "ETH" },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({
    chain,
    transport: http(rpcUrl, { retryCount: 0 }),
    cacheTime: 0,
    pollingInterval: 250,
  });
  const block = await publicClient.getBlock();
  const devs = config.devAccounts > 0 ? await devAddresses(config.devAccounts) : [];
  const names = new Map<string, string>(Object.entries(config.labels).map(([a, n]) => [a.toLowerCase(), n]));

  let refreshQueued = false;
  let refreshing = false;
  const ctx: Ctx = {
    config,
    deployment,
    chain,
    rpcUrl,
    publicClient,
    usdc: usdcToken(config.chainId, deployment.contracts.usdc),
    wallet: null,
    head: { number: block.number, timestamp: block.timestamp, seenAt: performance.now() },
    poke: () => void refresh(),
    label: (a: Address) => names.get(a.toLowerCase()) ?? short(a),
  };

  const sections: Record<Tab, Section> = { earn: earnSection(ctx), trade: tradeSection(ctx), risk: riskSection(ctx) };
  const panes = {} as Record<Tab, HTMLElement>;
  const status = h("span", { class: "chain", "data-testid": "chain-status" });
  const who = h("span", { class: "who", "data-testid": "connected" }, "not connected");
  const nav = h("nav", {});
  let active: Tab = (location.hash.slice(1) as Tab) || "earn";

  // Wallet picker: dev accounts on the devnet, and an injected wallet when the browser has one.
  const picker = h("select", { "data-testid": "wallet-picker" }, h("option", { value: "" }, "Connect…"));
  devs.forEach((a, i) => {
    picker.append(h("option", { value: `dev:${i}` }, `#${i} ${names.get(a.toLowerCase()) ?? "dev"} ${short(a)}`));
  });
  if (injectedProvider()) picker.append(h("option", { value: "injected" }, "Browser wallet"));
  picker.addEventListener("change", async () => {
    const v = picker.value;
    try {
      if (v.startsWith("dev:")) ctx.wallet = await devWallet(Number(v.slice(4)), chain, rpcUrl);
      else if (v === "injected") ctx.wallet = await injectedWallet(injectedProvider() as never, chain);
      else ctx.wallet = null;
    } catch (err) {
      ctx.wallet = null;
      fill(who, `wallet: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    fill(who, ctx.wallet ? ctx.label(ctx.wallet.account.address) : "not connected");
    if (ctx.wallet) who.title = ctx.wallet.account.address;
    void refresh();
  });

  for (const [tab, title] of TABS) {
    const pane = h("main", { "data-testid": `page-${tab}`, hidden: tab !== active });
    sections[tab].mount(pane);
    panes[tab] = pane;
    nav.append(h("a", { href: `#${tab}`, "data-testid": `tab-${tab}`, class: tab === active ? "active" : "" }, title));
  }
  window.addEventListener("hashchange", () => {
    active = (location.hash.slice(1) as Tab) || "earn";
    for (const [tab] of TABS) panes[tab].hidden = tab !== active;
    for (const a of nav.querySelectorAll("a")) a.classList.toggle("active", a.getAttribute("href") === `#${active}`);
    void refresh();
  });

  document.body.replaceChildren(
    h("header", {}, h("h1", {}, "tranche-perp"), nav, h("div", { class: "wallet" }, picker, who), status),
    ...Object.values(panes),
  );

  /** Re-reads the head and redraws the visible section; one at a time, a request during one runs once after. */
  async function refresh(): Promise<void> {
    if (refreshing) {
      refreshQueued = true;
      return;
    }
    refreshing = true;
    try {
      const b = await publicClient.getBlock();
      if (b.number !== ctx.head.number)
        ctx.head = { number: b.number, timestamp: b.timestamp, seenAt: performance.now() };
      await sections[active].refresh();
      document.body.dataset.block = ctx.head.number.toString();
      document.body.dataset.ready = `${active}:${ctx.head.number}:${ctx.wallet?.account.address ?? ""}`;
      fill(status, `chain ${config.chainId} · block ${ctx.head.number}`);
    } catch (err) {
      fill(status, `RPC error: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    } finally {
      refreshing = false;
      if (refreshQueued) {
        refreshQueued = false;
        void refresh();
      }
    }
  }

  await refresh();
  setInterval(async () => {
    try {
      if ((await publicClient.getBlockNumber()) !== ctx.head.number) void refresh();
    } catch {
      // the next poll retries; the status line shows errors from refresh()
    }
  }, POLL_MS);
}

boot().catch((err) => {
  document.body.replaceChildren(h("pre", { class: "status error" }, `Could not start: ${String(err)}`));
});
