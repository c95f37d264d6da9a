// A risk-grid row for people (SPEC-19 §6): "ETH −5 %, BTC +1 %". Column c's move is move/50 (MOVE_UNIT) tier-0
// maintenance moves of market c, times the row's weight: the price move the row charges, as a percentage.

/** A grid row as the RiskEngine returns it (`scenarios()`), or as ts/deploy/riskGrid.ts holds it. */
export type ScenarioRow = { weightPct: number | bigint; moves: readonly (number | bigint)[] };
/** The market in column c (market id c): its symbol and tier 0's maintenance ratio in bps. */
export type ScenarioMarket = { symbol: string; maintenanceBps: number | bigint };

const MOVE_UNIT = 50n;
const NO_ROW = 2n ** 256n - 1n;
const MINUS = "\u2212";

/** Hundredths of a percent, rounded half away from zero, shown with at most 2 decimals: -500 -> "−5", 125 -> "+1.25". */
function percentText(numerator: bigint, denominator: bigint): string {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const hundredths = (abs * 2n + denominator) / (2n * denominator);
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  const sign = hundredths === 0n ? "" : negative ? MINUS : "+";
  return `${sign}${whole}${frac ? `.${frac}` : ""} %`;
}

/** A price move in bps as the rows read: -1200 -> "−12 %", 250 -> "+2.5 %". */
export function formatMoveBps(bps: bigint): string {
  return percentText(bps, 1n);
}

/**
 * One row as its markets' price moves, columns without a market or without a move left out:
 * `formatScenario({ weightPct: 100, moves: [-50, 10, 0, 0, 0, 0, 0, 0] }, [eth, btc])` → "ETH −5 %, BTC +1 %".
 * Weighted: the -2 tail row at 50 % reads "ETH −5 %". A row that moves none of the listed markets reads "no move".
 */
export function formatScenario(row: ScenarioRow, markets: readonly (ScenarioMarket | undefined)[]): string {
  const parts: string[] = [];
  row.moves.forEach((move, c) => {
    const market = markets[c];
    if (!market || BigInt(move) === 0n) return;
    // move/50 × maintenanceBps/10_000 × weightPct/100, in hundredths of a percent (× 10_000).
    const numerator = BigInt(move) * BigInt(market.maintenanceBps) * BigInt(row.weightPct);
    parts.push(`${market.symbol} ${percentText(numerator, MOVE_UNIT * 100n)}`);
  });
  return parts.length === 0 ? "no move" : parts.join(", ");
}

/**
 * AccountHealth.bindingScenario for people: the row, "floor" when the floor sets a netted requirement (the row is
 * type(uint256).max while netting freed something), "—" when nothing nets (the requirement is the additive sum).
 */
export function formatBindingScenario(
  row: bigint,
  scenarios: readonly ScenarioRow[],
  markets: readonly (ScenarioMarket | undefined)[],
  nets: boolean,
): string {
  if (row === NO_ROW) return nets ? "floor" : "—";
  const scenario = scenarios[Number(row)];
  return scenario ? formatScenario(scenario, markets) : `row ${row}`;
}
