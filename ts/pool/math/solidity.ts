// Solidity semantics the math mirrors need beyond ts/money.ts: reverts as named errors, checked uint
// arithmetic (Panic 0x11), and OpenZeppelin SafeCast down-casts. Every failure is a ContractRevertError whose
// `errorName` and `args` are what the contract would revert with, so a TS quote and a chain call fail alike.
import { ContractRevertError } from "../../errors";
import * as money from "../../money";

/** Panic code of Solidity checked arithmetic (overflow/underflow). */
export const PANIC_ARITHMETIC = 0x11n;
/** Panic code of a plain `/` or `%` by zero. */
export const PANIC_DIVISION_BY_ZERO = 0x12n;

/** Throws the error `name(params...)` the contract would revert with. */
export function revert(name: string, params: Record<string, bigint> = {}): never {
  const entries = Object.entries(params);
  const message = entries.length ? `${name}: ${entries.map(([k, v]) => `${k}=${v}`).join(" ")}` : name;
  throw new ContractRevertError({ name, args: entries.map(([, v]) => v), message });
}

/** Runs a ts/money.ts function, turning its RangeError into the revert FixedPoint.sol would raise. */
function fixedPoint<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    if (/division by zero/.test(err.message)) revert("DivisionByZero");
    // Overflow of x * y or of an int256 cast, or a negative operand (an underflow upstream).
    return revert("Panic", { code: PANIC_ARITHMETIC });
  }
}

export const mulDivDown = (x: bigint, y: bigint, d: bigint) => fixedPoint(() => money.mulDivDown(x, y, d));
export const mulDivUp = (x: bigint, y: bigint, d: bigint) => fixedPoint(() => money.mulDivUp(x, y, d));
export const wMulDown = (x: bigint, y: bigint) => fixedPoint(() => money.wMulDown(x, y));
export const wMulUp = (x: bigint, y: bigint) => fixedPoint(() => money.wMulUp(x, y));
export const wDivDown = (x: bigint, y: bigint) => fixedPoint(() => money.wDivDown(x, y));
export const mulDivFloor = (x: bigint, y: bigint, d: bigint) => fixedPoint(() => money.mulDivFloor(x, y, d));
export const mulDivCeil = (x: bigint, y: bigint, d: bigint) => fixedPoint(() => money.mulDivCeil(x, y, d));

const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_INT256 = (1n << 255n) - 1n;
const MIN_INT256 = -(1n << 255n);

/** uint256 result of a checked `+`, `-` or `*`: Panic(0x11) outside [0, 2^256). */
export function u256(x: bigint): bigint {
  if (x < 0n || x > MAX_UINT256) revert("Panic", { code: PANIC_ARITHMETIC });
  return x;
}

/** int256 result of a checked operation: Panic(0x11) outside int256. */
export function i256(x: bigint): bigint {
  if (x < MIN_INT256 || x > MAX_INT256) revert("Panic", { code: PANIC_ARITHMETIC });
  return x;
}

export function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** SafeCast.toUint128 (and other widths): SafeCastOverflowedUintDowncast(bits, value). */
export function toUint(bits: number, value: bigint): bigint {
  if (value >= 1n << BigInt(bits)) revert("SafeCastOverflowedUintDowncast", { bits: BigInt(bits), value });
  return value;
}

/** SafeCast.toInt128 (and other widths): SafeCastOverflowedIntDowncast(bits, value). */
export function toInt(bits: number, value: bigint): bigint {
  const half = 1n << BigInt(bits - 1);
  if (value < -half || value >= half) revert("SafeCastOverflowedIntDowncast", { bits: BigInt(bits), value });
  return value;
}

/** SafeCast.toInt256(uint256): SafeCastOverflowedUintToInt(value). */
export function toInt256(value: bigint): bigint {
  if (value > MAX_INT256) revert("SafeCastOverflowedUintToInt", { value });
  return value;
}
