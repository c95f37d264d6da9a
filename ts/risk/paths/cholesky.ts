// The Cholesky factor of a correlation matrix, after checking that it is one: square, symmetric, unit diagonal,
// entries in [-1, 1], positive definite. Correlated normals are then z = L·ε with ε independent standard normals.
import { PerpError } from "../../errors";

/** Why a matrix is not a usable correlation matrix. */
export type CorrelationProblem = "shape" | "notFinite" | "asymmetric" | "diagonal" | "range" | "notPositiveDefinite";

/** A correlation matrix that cannot correlate the paths' normals; `problem` says why, `at` where ([row, column]). */
export class CorrelationError extends PerpError {
  override name = "CorrelationError";
  readonly problem: CorrelationProblem;
  readonly at: [number, number] | null;

  constructor(problem: CorrelationProblem, message: string, at: [number, number] | null = null) {
    super(`correlation: ${message}`);
    this.problem = problem;
    this.at = at;
  }
}

/** Largest |c_ij − c_ji| and |c_ii − 1| accepted (a matrix typed as decimals or estimated in floats). */
export const CORRELATION_TOLERANCE = 1e-9;
/** Smallest pivot of the factorization accepted: below it the matrix is (numerically) singular. */
export const MIN_PIVOT = 1e-10;

/** Throws a CorrelationError unless `c` is an n × n correlation matrix (without the definiteness check). */
export function checkCorrelationShape(c: readonly (readonly number[])[], n: number): void {
  if (c.length !== n || c.some((row) => row.length !== n)) {
    throw new CorrelationError("shape", `expected ${n} × ${n} (one row and column per market)`);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = c[i]?.[j] as number;
      if (!Number.isFinite(v)) throw new CorrelationError("notFinite", `entry [${i}][${j}] is ${v}`, [i, j]);
      if (i === j && Math.abs(v - 1) > CORRELATION_TOLERANCE) {
        throw new CorrelationError("diagonal", `diagonal entry [${i}][${i}] must be 1 (got ${v})`, [i, i]);
      }
      if (Math.abs(v) > 1 + CORRELATION_TOLERANCE) {
        throw new CorrelationError("range", `entry [${i}][${j}] = ${v} is outside [-1, 1]`, [i, j]);
      }
      const t = c[j]?.[i] as number;
      if (Math.abs(v - t) > CORRELATION_TOLERANCE) {
        throw new CorrelationError("asymmetric", `[${i}][${j}] = ${v} but [${j}][${i}] = ${t}`, [i, j]);
      }
    }
  }
}

/**
 * The lower-triangular L with L·Lᵀ = c, row-major in a Float64Array (L[i·n + j], zero above the diagonal).
 * Throws a CorrelationError when `c` is not an n × n correlation matrix or not positive definite.
 * @example
 * const L = choleskyOf([[1, 0.8], [0.8, 1]], 2); // [1, 0, 0.8, 0.6]
 */
export function choleskyOf(c: readonly (readonly number[])[], n: number): Float64Array {
  checkCorrelationShape(c, n);
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = i === j ? 1 : (c[i]?.[j] as number);
      for (let k = 0; k < j; k++) sum -= (L[i * n + k] as number) * (L[j * n + k] as number);
      if (i === j) {
        if (!(sum > MIN_PIVOT)) {
          throw new CorrelationError(
            "notPositiveDefinite",
            `not positive definite (pivot ${i} is ${sum.toPrecision(3)}): some market is a combination of others`,
            [i, i],
          );
        }
        L[i * n + i] = Math.sqrt(sum);
      } else {
        L[i * n + j] = sum / (L[j * n + j] as number);
      }
    }
  }
  return L;
}
