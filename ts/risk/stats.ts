// The distribution figures of the report, exact on bigints: VaR_q is the ⌈q·n⌉-th smallest loss, ES99 the mean
// (rounded up) of the ⌈0.01·n⌉ largest, probabilities are counts over n rounded to 6 decimals. Every figure is a
// function of the multiset of losses alone, so the order paths finish in never changes a digit.
import { PerpError } from "../errors";

/** Quantile levels in per-mille. */
const Q95 = 950n;
const Q99 = 990n;

/** `x / n` rounded to 6 decimals (a plain number, printed the same everywhere). */
export function probability(count: number, n: number): number {
  if (n === 0) return 0;
  return Number((count / n).toFixed(6));
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** Ascending copy. */
export function sortedAscending(xs: readonly bigint[]): bigint[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The ⌈q·n⌉-th smallest (q in per-mille) of an ascending list. */
export function valueAtRisk(sorted: readonly bigint[], perMille: bigint): bigint {
  if (sorted.length === 0) throw new PerpError("no paths: the report needs at least one");
  const n = BigInt(sorted.length);
  const k = ceilDiv(perMille * n, 1000n);
  return sorted[Number(k === 0n ? 0n : k - 1n)] as bigint;
}

/** Mean, rounded up, of the ⌈(1 − q)·n⌉ largest of an ascending list (q in per-mille). */
export function expectedShortfall(sorted: readonly bigint[], perMille: bigint): bigint {
  if (sorted.length === 0) throw new PerpError("no paths: the report needs at least one");
  const n = BigInt(sorted.length);
  const tail = ceilDiv((1000n - perMille) * n, 1000n);
  let sum = 0n;
  for (let i = sorted.length - Number(tail); i < sorted.length; i++) sum += sorted[i] as bigint;
  return ceilDiv(sum, tail);
}

export function meanUp(xs: readonly bigint[]): bigint {
  if (xs.length === 0) return 0n;
  let sum = 0n;
  for (const x of xs) sum += x;
  return ceilDiv(sum, BigInt(xs.length));
}

/** A tranche's (or the socialized part's) loss figures over the paths. `capital`: what it could pay at B (WAD). */
export type LossFigures = {
  capital: bigint;
  pLoss: number;
  meanLoss: bigint;
  var95: bigint;
  var99: bigint;
  es99: bigint;
  pWiped: number;
};

export function lossFigures(losses: readonly bigint[], capital: bigint): LossFigures {
  const sorted = sortedAscending(losses);
  const n = losses.length;
  return {
    capital,
    pLoss: probability(losses.filter((x) => x > 0n).length, n),
    meanLoss: meanUp(losses),
    var95: valueAtRisk(sorted, Q95),
    var99: valueAtRisk(sorted, Q99),
    es99: expectedShortfall(sorted, Q99),
    pWiped: capital > 0n ? probability(losses.filter((x) => x >= capital).length, n) : 0,
  };
}

/** Mean (up), 99th percentile and maximum of a non-negative quantity. */
export function spread(xs: readonly bigint[]): { mean: bigint; p99: bigint; max: bigint } {
  const sorted = sortedAscending(xs);
  return { mean: meanUp(xs), p99: valueAtRisk(sorted, Q99), max: sorted[sorted.length - 1] ?? 0n };
}

/** Where `x` sits among `xs`: the share of paths whose value is at most x (6 decimals). */
export function percentileOf(xs: readonly bigint[], x: bigint): number {
  return probability(xs.filter((v) => v <= x).length, xs.length);
}

export const QUANTILES = { Q95, Q99 };
