// The Risk tab with the last `perp risk report`, in a real browser against a deployed protocol: first no report (the
// page says which command makes one), then a synthetic report written into the server's out dir the way the CLI
// writes it (report.json, the figures, report.html): the tab shows its figures and every plot as a loaded image, the
// stress tools still answer, and report.html renders on its own. Screenshots in test-results/web/.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDeploymentConfig } from "../../ts/deploy/config";
import { deployProtocol } from "../../ts/deploy/deployProtocol";
import { type AnvilInstance, startAnvil } from "../../ts/devnet/anvil";
import { createDevClients } from "../../ts/devnet/clients";
import { FIGURE_NAMES } from "../../ts/risk/plots/figureNames";
import { renderReportFigures } from "../../ts/risk/plots/figures";
import { formatProbability, formatUsdc } from "../../ts/risk/plots/format";
import { renderReportHtml } from "../../ts/risk/plots/html";
import { buildWeb } from "../../ts/web/build";
import { serveWeb, type WebServer } from "../../ts/web/server";
import { riskReportFixture } from "../ts/risk/reportFixture";
import { CHROMIUM_LABEL, launchChromium } from "./browser";

const SHOTS = "test-results/web";

let anvil: AnvilInstance;
let web: WebServer;
let browser: Browser;
let page: Page;
let outDir: string;
const pageErrors: string[] = [];
const report = riskReportFixture({ paths: 300 });

const text = async (testid: string) => ((await page.getByTestId(testid).first().textContent()) ?? "").trim();
const reportState = () => page.getByTestId("risk-report").getAttribute("data-state");

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "perp-risk-web-"));
  anvil = await startAnvil();
  const chain = createDevClients(anvil.rpcUrl);
  const [deployment] = await Promise.all([
    deployProtocol(chain, parseDeploymentConfig()),
    buildWeb(),
    mkdir(SHOTS, { recursive: true }),
  ]);
  web = await serveWeb({ rpcUrl: anvil.rpcUrl, deployment, riskReportDir: outDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(`${web.url}#risk`);
});

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await anvil?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe(`the Risk tab's risk report, in ${CHROMIUM_LABEL}`, () => {
  it("without a report, says so and names the command that writes one", async () => {
    await expect.poll(reportState).toBe("missing");
    expect(await text("risk-report-missing")).toContain("perp risk report");
    expect(await page.getByTestId("risk-report-missing").isVisible()).toBe(true);
    const res = await fetch(new URL("/risk-report/report.json", web.url));
    expect(res.status).toBe(404);
  });

  it("serves the out dir by plain file name, with an ETag the browser revalidates", async () => {
    await writeFile(join(outDir, "report.json"), "{}");
    const url = new URL("/risk-report/report.json", web.url);
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect((await fetch(url, { headers: { "if-none-match": etag } })).status).toBe(304);
    for (const bad of ["/risk-report/..%2Fpasswd", "/risk-report/.hidden.json", "/risk-report/report.txt"]) {
      expect((await fetch(new URL(bad, web.url))).status).toBe(404);
    }
    await expect.poll(reportState).toBe("invalid");
  });

  it("shows the report once written: figures, block, seed, paths, and every plot loaded", async () => {
    const figures = await renderReportFigures(report, outDir);
    await writeFile(join(outDir, "report.html"), renderReportHtml(report, figures));
    await writeFile(join(outDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    await expect.poll(reportState).toBe("shown");
    expect(await text("risk-report-block")).toBe(report.book.block);
    expect(await text("risk-report-seed")).toBe(report.inputs.seed);
    expect(await text("risk-report-paths")).toBe("300");
    expect(await text("risk-report-horizon")).toBe("24h / 5m");
    const var99 = await text("risk-report-tranches-var99");
    expect(var99).toContain(formatUsdc(report.tranches.junior.var99));
    expect(var99).toContain(formatUsdc(report.tranches.senior.var99));
    expect(await text("risk-report-pool-p-senior-loss")).toContain(formatProbability(report.tranches.senior.pLoss));
    expect(await text("risk-report-pool-p-junior-wiped")).toContain(formatProbability(report.tranches.junior.pWiped));
    for (const name of FIGURE_NAMES) {
      const img = page.getByTestId(`risk-figure-${name}`);
      await img.scrollIntoViewIfNeeded();
      expect(await img.isVisible()).toBe(true);
      await expect
        .poll(() => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth))
        .toBeGreaterThan(0);
      const box = await img.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(await img.getAttribute("alt")).toBeTruthy();
    }
    // The sticky header would cover part of an element screenshot: let it scroll away for this one.
    await page.getByTestId("risk-report").screenshot({
      path: `${SHOTS}/risk-report.png`,
      style: "header { position: static !important; }",
    });
    await page.screenshot({ path: `${SHOTS}/risk-report-tab.png`, fullPage: true });
  });

  it("keeps the stress tools working beside the report", async () => {
    await expect.poll(() => text("stress-count")).toMatch(/^\d+ of \d+$/);
    await page.getByTestId("joint-run").click();
    await expect.poll(() => page.getByTestId("stress-totals").getAttribute("data-market")).toBe("joint");
    expect(pageErrors).toEqual([]);
  });

  it("report.html renders on its own with every figure inline", async () => {
    const html = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await html.goto(new URL("/risk-report/report.html", web.url).toString());
      for (const name of FIGURE_NAMES) {
        const box = await html.locator(`#figure-${name} svg`).boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(300);
      }
      expect(await html.locator("#tranches").textContent()).toContain("ES99");
      await html.screenshot({ path: `${SHOTS}/report-html.png`, fullPage: true });
    } finally {
      await html.close();
    }
  });
});
