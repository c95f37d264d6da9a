// A small synthetic report.json (SPEC-20) for the plots and the web page's tests: paths drawn from a seeded LCG,
// bad debt growing with the worst ETH/BTC drawdown, paid junior → senior → socialized, and every statistic
// computed from the paths by the spec's definitions, so the object is valid and self-consistent.
import { RISK_REPORT_SCHEMA, type RiskReport } from "../../../ts/risk/plots/reportSchema";
import { pathTableColumns } from "../../../ts/risk/report";

export type ReportFixtureOptions = {
  paths?: number;
  seed?: number;
  markets?: string[];
  models?: string[];
  /** Junior's capital in whole USDC (smaller: senior pays more often). */
  juniorCapital?: number;
  seniorCapital?: number;
};

const WAD = 10n ** 18n;
const usdc = (x: number) => BigInt(Math.round(x * 100)) * (WAD / 100n);

/** Park–Miller LCG in [0, 1): a fixed stream from `seed`. */
function lcg(seed: number): () => number {
  let s = (seed % 2_147_483_646) + 1;
  return () => {
    s = (s * 48_271) % 2_147_483_647;
    return (s - 1) / 2_147_483_646;
  };
}

const asc = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const p6 = (k: number, n: number) => Math.round((k / n) * 1e6) / 1e6;

/** VaR_q = the ⌈q·n⌉-th smallest; ES99 = the mean (rounded up) of the ⌈0.01·n⌉ largest. */
function tail(values: bigint[]) {
  const s = [...values].sort(asc);
  const n = s.length;
  const at = (q: number) => s[Math.max(0, Math.ceil(q * n) - 1)] ?? 0n;
  const k = Math.ceil(0.01 * n);
  const es = ceilDiv(
    s.slice(n - k).reduce((a, b) => a + b, 0n),
    BigInt(k),
  );
  const mean = s.reduce((a, b) => a + b, 0n) / BigInt(n);
  return { var95: at(0.95), var99: at(0.99), es99: es, mean, max: s[n - 1] ?? 0n };
}

/** A valid report of `paths` synthetic paths (default 400 over ETH and BTC, models gbm/jump/replay). */
export function riskReportFixture(options: ReportFixtureOptions = {}): RiskReport {
  const n = options.paths ?? 400;
  const markets = options.markets ?? ["ETH", "BTC"];
  const models = options.models ?? ["gbm", "jump", "replay"];
  const juniorCap = usdc(options.juniorCapital ?? 250_000);
  const seniorCap = usdc(options.seniorCapital ?? 1_000_000);
  const rand = lcg(options.seed ?? 7);
  const rows: (string | number | null)[][] = [];
  const cols = { badDebt: [] as bigint[], junior: [] as bigint[], senior: [] as bigint[], social: [] as bigint[] };
  const volume: bigint[] = [];
  const liquidated: number[] = [];
  for (let k = 0; k < n; k++) {
    const model = models[k % models.length] as string;
    const crash = model === "jump" ? 1.6 : model === "replay" ? 2.2 : 1;
    const worst = markets.map(() => -Math.round(rand() ** 2 * 3_000 * crash));
    const end = worst.map((w) => Math.round(w * rand()));
    const drawdown = -Math.min(...worst);
    const debt = drawdown > 2_000 ? usdc(((drawdown - 2_000) / 100) ** 2.4 * 40 * (0.5 + rand())) : 0n;
    const junior = debt < juniorCap ? debt : juniorCap;
    const senior = debt - junior < seniorCap ? debt - junior : seniorCap;
    const social = debt - junior - senior;
    const vol = usdc(drawdown * 120 * (0.5 + rand()));
    const accounts = Math.floor(drawdown / 300);
    cols.badDebt.push(debt);
    cols.junior.push(junior);
    cols.senior.push(senior);
    cols.social.push(social);
    volume.push(vol);
    liquidated.push(accounts);
    const scenario =
      model === "replay" ? ["2020-03-12", "2021-05-19", "2022-11-08"][Math.floor(k / models.length) % 3] : null;
    rows.push([k, model, scenario ?? null, `${debt}`, `${junior}`, `${senior}`, `${social}`, `${vol}`, accounts]);
    rows[k]?.push(...end, ...worst);
  }
  const tranche = (losses: bigint[], capital: bigint) => {
    const t = tail(losses);
    return {
      capital: `${capital}`,
      pLoss: p6(losses.filter((l) => l > 0n).length, n),
      meanLoss: `${t.mean}`,
      var95: `${t.var95}`,
      var99: `${t.var99}`,
      es99: `${t.es99}`,
      pWiped: p6(losses.filter((l) => capital > 0n && l >= capital).length, n),
    };
  };
  const debt = tail(cols.badDebt);
  const vol = tail(volume);
  const liq = [...liquidated].sort((a, b) => a - b);
  const byModel = Object.fromEntries(
    models.map((m) => {
      const idx = rows.flatMap((r, i) => (r[1] === m ? [i] : []));
      const count = (xs: bigint[]) => idx.filter((i) => (xs[i] ?? 0n) > 0n).length;
      return [
        m,
        {
          paths: idx.length,
          pBadDebt: p6(count(cols.badDebt), idx.length),
          pJuniorLoss: p6(count(cols.junior), idx.length),
          pSeniorLoss: p6(count(cols.senior), idx.length),
          es99BadDebt: `${tail(idx.map((i) => cols.badDebt[i] ?? 0n)).es99}`,
        },
      ];
    }),
  );
  const worstPaths = rows
    .map((r, i) => ({ r, i, d: cols.badDebt[i] ?? 0n }))
    .sort((a, b) => asc(b.d, a.d) || a.i - b.i)
    .slice(0, 10)
    .map(({ r, i }) => ({
      path: i,
      model: String(r[1]),
      scenario: (r[2] as string | null) ?? null,
      badDebt: String(r[3]),
      junior: String(r[4]),
      senior: String(r[5]),
      socialized: String(r[6]),
      endMoveBps: markets.map((_, m) => Number(r[9 + m])),
      worstMoveBps: markets.map((_, m) => Number(r[9 + markets.length + m])),
    }));
  return {
    schema: RISK_REPORT_SCHEMA,
    inputs: {
      paths: n,
      horizonSeconds: 86_400,
      stepSeconds: 300,
      models,
      seed: `fixture-${options.seed ?? 7}`,
      jump: { intensityPerYear: 8, meanLog: -0.08, stdLog: 0.06 },
      markets: markets.map((symbol, i) => ({
        symbol,
        index0: `${usdc(i === 0 ? 3_000 : i === 1 ? 60_000 : 10 + i)}`,
        sigmaAnnual: 0.6 + i * 0.1,
        jumpBeta: 1 - i * 0.1,
        source: i === 0 ? "oracle: 412 returns" : "default",
      })),
      correlation: markets.map((_, i) => markets.map((__, j) => (i === j ? 1 : 0.8))),
    },
    book: {
      chainId: 31_337,
      block: "1234",
      timestamp: "1780000000",
      pool: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      accounts: 42,
      juniorCapital: `${juniorCap}`,
      seniorCapital: `${seniorCap}`,
    },
    code: { commit: "bdba3fa0000000000000000000000000000000aa", dirty: false },
    tranches: {
      junior: tranche(cols.junior, juniorCap),
      senior: tranche(cols.senior, seniorCap),
      socialized: tranche(cols.social, 0n),
    },
    badDebt: {
      pPositive: p6(cols.badDebt.filter((d) => d > 0n).length, n),
      mean: `${debt.mean}`,
      var95: `${debt.var95}`,
      var99: `${debt.var99}`,
      es99: `${debt.es99}`,
      max: `${debt.max}`,
    },
    liquidationVolume: { mean: `${vol.mean}`, p99: `${vol.var99}`, max: `${vol.max}` },
    accountsLiquidated: {
      mean: Math.round((liq.reduce((a, b) => a + b, 0) / n) * 1e6) / 1e6,
      p99: liq[Math.ceil(0.99 * n) - 1] ?? 0,
      max: liq[n - 1] ?? 0,
    },
    byModel,
    worstPaths,
    pathTable: {
      columns: pathTableColumns(markets),
      rows,
    },
  };
}
