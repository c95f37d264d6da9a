// The risk report's figures and page from a synthetic report: the schema, the exceedance math, the specs (compile,
// render with their marks and titles), PNG validity and byte-for-byte determinism, and the self-contained HTML.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { column, exceedancePoints, MAX_POINTS_PER_MARKET, movePoints } from "../../../ts/risk/plots/data";
import { FIGURE_NAMES } from "../../../ts/risk/plots/figureNames";
import { type ReportFigure, renderReportFigures } from "../../../ts/risk/plots/figures";
import { formatMoveBps, formatProbability, formatUsdc, wadToUsdc } from "../../../ts/risk/plots/format";
import { renderReportHtml } from "../../../ts/risk/plots/html";
import { renumberSvgIds } from "../../../ts/risk/plots/render";
import { type RiskReport, riskReportSchema } from "../../../ts/risk/plots/reportSchema";
import { riskReportFixture } from "./reportFixture";

const WAD = 10n ** 18n;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let dirs: string[] = [];
let report: RiskReport;
let figures: ReportFigure[];
const byName = (name: string) => figures.find((f) => f.name === name) as ReportFigure;
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), "perp-plots-"));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  report = riskReportSchema.parse(riskReportFixture());
  figures = await renderReportFigures(report, await tempDir());
}, 60_000);

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

describe("riskReportSchema", () => {
  it("accepts the fixture and refuses a fractional amount or a short path-table row", () => {
    const raw = riskReportFixture({ paths: 50 });
    expect(riskReportSchema.safeParse(JSON.parse(JSON.stringify(raw))).success).toBe(true);
    const fractional = { ...raw, badDebt: { ...raw.badDebt, mean: "1.5" } };
    expect(riskReportSchema.safeParse(fractional).success).toBe(false);
    const short = { ...raw, pathTable: { ...raw.pathTable, rows: [[0, "gbm"]] } };
    expect(riskReportSchema.safeParse(short).success).toBe(false);
  });
});

describe("the numbers people read", () => {
  it("formatUsdc rounds WAD half up to cents with thousands separators", () => {
    expect(formatUsdc(1_234_567_890_000_000_000_000n)).toBe("1,234.57 USDC");
    expect(formatUsdc(5n * 10n ** 15n)).toBe("0.01 USDC");
    expect(formatUsdc(4n * 10n ** 15n)).toBe("0.00 USDC");
    expect(formatUsdc(250_000n * WAD, 0)).toBe("250,000 USDC");
  });

  it("probabilities and moves read as percent, a tiny positive probability not as zero", () => {
    expect(formatProbability(0.0425)).toBe("4.25 %");
    expect(formatProbability(0.000001)).toBe("< 0.01 %");
    expect(formatProbability(0)).toBe("0.00 %");
    expect(formatMoveBps(-2_340)).toBe("−23.40 %");
  });
});

describe("exceedancePoints", () => {
  it("is P(loss > x) at 0 and each distinct loss, the last step carried to the largest loss", () => {
    const losses = [0n, 10n * WAD, 0n, 5n * WAD, 5n * WAD];
    expect(exceedancePoints(losses)).toEqual([
      { loss: 0, p: 0.6 },
      { loss: 5, p: 0.2 },
      { loss: 10, p: 0.2 },
    ]);
  });

  it("is empty when no path lost anything", () => {
    expect(exceedancePoints([0n, 0n, 0n])).toEqual([]);
  });
});

describe("movePoints", () => {
  it("gives one point per path and market while under the cap", () => {
    const { points, stride } = movePoints(report);
    expect(stride).toBe(1);
    expect(points).toHaveLength(report.pathTable.rows.length * report.inputs.markets.length);
    expect(new Set(points.map((p) => p.market))).toEqual(new Set(["ETH", "BTC"]));
  });

  it("beyond the cap draws every stride-th path and the whole bad-debt tail (≥ VaR99)", () => {
    const big = riskReportSchema.parse(riskReportFixture({ paths: 3_000 }));
    const { points, stride } = movePoints(big);
    const eth = points.filter((p) => p.market === "ETH");
    expect(stride).toBeGreaterThan(1);
    expect(eth.length).toBeLessThanOrEqual(MAX_POINTS_PER_MARKET + 1);
    const var99 = wadToUsdc(big.badDebt.var99);
    const tail = column(big, "badDebt").filter((d) => wadToUsdc(String(d)) >= var99).length;
    expect(eth.filter((p) => p.badDebt >= var99)).toHaveLength(tail);
    expect(eth.every((p) => p.badDebt >= var99 || p.path % stride === 0)).toBe(true);
  });
});

describe("renderReportFigures", () => {
  it("writes every figure as SVG and PNG, titled and with its marks", () => {
    expect(figures.map((f) => f.name)).toEqual([...FIGURE_NAMES]);
    const junior = byName("junior-loss").svg;
    expect(junior).toContain("Junior tranche: loss per path");
    expect(junior).toMatch(/class="mark-rect role-mark/);
    expect(junior).toMatch(/class="mark-rule role-mark/);
    expect(junior).toContain("VaR99");
    expect(junior).toContain('font-family="DejaVu Sans"');
    const exceedance = byName("senior-exceedance").svg;
    expect(exceedance).toContain("probability the loss exceeds x");
    expect(exceedance).toMatch(/class="mark-line role-mark/);
    expect(exceedance).toContain("P(loss &gt; x)");
    const moves = byName("bad-debt-vs-move").svg;
    expect(moves).toContain("Bad debt against the move of each market");
    expect(moves).toMatch(/class="mark-symbol role-mark/);
    for (const label of ["ETH", "BTC", "gbm", "jump", "replay"]) expect(moves).toContain(`>${label}<`);
  });

  it("PNGs are valid, twice the SVG's size, and identical byte for byte across two renders", async () => {
    const again = await renderReportFigures(report, await tempDir());
    for (const f of figures) {
      const g = again.find((x) => x.name === f.name) as ReportFigure;
      const [png, png2, svg2] = await Promise.all([readFile(f.pngPath), readFile(g.pngPath), readFile(g.svgPath)]);
      expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      const svgWidth = Number(/width="(\d+)"/.exec(f.svg)?.[1]);
      expect(png.readUInt32BE(16)).toBe(2 * svgWidth);
      expect(png.equals(png2)).toBe(true);
      expect(svg2.toString()).toBe(await readFile(f.svgPath, "utf8"));
    }
  }, 60_000);

  it("a tranche no path touched draws a note instead of bars", async () => {
    const calm = riskReportSchema.parse(riskReportFixture({ paths: 60, juniorCapital: 10_000_000 }));
    expect(calm.tranches.senior.pLoss).toBe(0);
    const [, senior, , seniorExceedance] = await renderReportFigures(calm, await tempDir());
    expect(senior?.svg).toContain("No path made senior lose anything");
    expect(senior?.svg).toContain("0 paths of 60 had a loss (drawn); 60 paths had none");
    expect(seniorExceedance?.svg).toContain("P(senior loss &gt; 0) = 0 over 60 paths");
  }, 60_000);
});

describe("renumberSvgIds", () => {
  it("renames ids and their references in order of appearance, leaving other references alone", () => {
    const svg =
      '<svg><clipPath id="clip7"/><g clip-path="url(#clip7)"/><use href="#g3"/><g id="g3"/><a href="#x"/></svg>';
    expect(renumberSvgIds(svg, "fig")).toBe(
      '<svg><clipPath id="fig-1"/><g clip-path="url(#fig-1)"/><use href="#fig-2"/><g id="fig-2"/><a href="#x"/></svg>',
    );
  });
});

describe("renderReportHtml", () => {
  it("is one self-contained page: every figure inline, the summaries, the worst paths, the inputs", () => {
    const html = renderReportHtml(report, figures);
    expect(html.match(/<svg /g)).toHaveLength(FIGURE_NAMES.length);
    for (const name of FIGURE_NAMES) expect(html).toContain(`id="figure-${name}"`);
    expect(html).not.toMatch(/\s(src|href)="(https?:|\/\/|[^#"])/);
    expect(html).toContain(`<td>VaR99</td><td>${formatUsdc(report.tranches.junior.var99)}</td>`);
    expect(html).toContain(
      `<td>P(senior loses anything)</td><td>${formatProbability(report.tranches.senior.pLoss)}</td>`,
    );
    expect(html).toContain("<td>Liquidation volume at 99 %</td>");
    const worst = report.worstPaths[0];
    expect(worst).toBeDefined();
    expect(html).toContain(`<td>#${worst?.path}</td>`);
    for (const text of [report.inputs.seed, report.book.block, report.code.commit]) expect(html).toContain(text);
    expect(renderReportHtml(report, figures)).toBe(html);
  });

  it("says where the realized crash sits when the report has it", () => {
    const realized = {
      badDebt: `${1_500n * WAD}`,
      junior: `${1_500n * WAD}`,
      senior: "0",
      socialized: "0",
      percentile: 0.9125,
    };
    const html = renderReportHtml({ ...report, realized }, figures);
    expect(html).toContain(
      "<td>Realized crash: bad debt</td><td>1,500.00 USDC (junior 1,500.00 USDC, senior 0.00 USDC",
    );
    expect(html).toContain("<td>Realized crash: percentile of bad debt</td><td>91.25 %</td>");
    expect(renderReportHtml(report, figures)).not.toContain("Realized crash");
  });
});
