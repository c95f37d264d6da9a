/**
 * Money rules: read these before touching an amount.
 *
 * 1. Every on-chain value is a `bigint`, in its on-chain unit. Never a `number`, never a float:
 *    `number` loses precision above 2^53 (9e15 wei is 0.009 ETH). Convert to decimals only to show
 *    a value to a person (sdk-core `CurrencyAmount`/`Price`/`Percent`), never to compute with it.
 * 2. Internal accounting is 18-decimal fixed point ("WAD": 1.0 == 10n ** 18n), as in the contracts.
 * 3. Collateral is a 6-decimal token (USDC-like). It is converted to WAD once on the way in (`toWad`,
 *    exact) and once on the way out (`fromWadDown` when paying someone, `fromWadUp` when charging).
 * 4. Every rounding goes in the protocol's favour: round down what the protocol pays or credits
 *    (withdrawals, shares minted, profit), round up what it charges or requires (fees, margin, debt).
 *    The direction is in the function name (`mulDivDown`/`mulDivUp`), so a reader can check each call site.
 * 5. These functions mirror contracts/libraries/FixedPoint.sol exactly (same inputs, same wei, same names).
 *    Like Solidity checked arithmetic, unsigned math throws on a negative input, on `x * y` above 2^256-1
 *    (the intermediate product is NOT full precision: the protocol bounds operands below 2^128) and on a
 *    zero divisor. `mulDivFloor`/`mulDivCeil` take a signed `x` and round toward -infinity / +infinity,
 *    not toward zero (-7/2 -> -4 floor, -3 ceil). Where Solidity's `int256(uint256)` cast would silently
 *    wrap (a result above 2^255-1) these functions throw instead.
 */

export const WAD = 10n ** 18n;
/** Decimals of the collateral token. */
export const COLLATERAL_DECIMALS = 6;
/** 10^(18 - 6): one collateral unit in WAD. */
export const COLLATERAL_TO_WAD = 10n ** 12n;

export const MAX_UINT256 = (1n << 256n) - 1n;
export const MAX_INT256 = (1n << 255n) - 1n;
export const MIN_INT256 = -(1n << 255n);

/** floor(x * y / d) for unsigned x, y and d > 0. */
export function mulDivDown(x: bigint, y: bigint, d: bigint): bigint {
  return checkedProduct("mulDivDown", x, y, d) / d;
}

/** ceil(x * y / d) for unsigned x, y and d > 0. */
export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  const p = checkedProduct("mulDivUp", x, y, d);
  return p / d + (p % d === 0n ? 0n : 1n);
}

/** floor(x * y / WAD) */
export function wMulDown(x: bigint, y: bigint): bigint {
  return mulDivDown(x, y, WAD);
}

/** ceil(x * y / WAD) */
export function wMulUp(x: bigint, y: bigint): bigint {
  return mulDivUp(x, y, WAD);
}

/** floor(x * WAD / y) */
export function wDivDown(x: bigint, y: bigint): bigint {
  return mulDivDown(x, WAD, y);
}

/** ceil(x * WAD / y) */
export function wDivUp(x: bigint, y: bigint): bigint {
  return mulDivUp(x, WAD, y);
}

/** x * y / d rounded toward -infinity, for int256 x and unsigned y, d > 0 (e.g. -7 * 1 / 2 -> -4). */
export function mulDivFloor(x: bigint, y: bigint, d: bigint): bigint {
  checkInt256("mulDivFloor", x);
  return x >= 0n ? toInt256("mulDivFloor", mulDivDown(x, y, d)) : -toInt256("mulDivFloor", mulDivUp(-x, y, d));
}

/** x * y / d rounded toward +infinity, for int256 x and unsigned y, d > 0 (e.g. -7 * 1 / 2 -> -3). */
export function mulDivCeil(x: bigint, y: bigint, d: bigint): bigint {
  checkInt256("mulDivCeil", x);
  return x >= 0n ? toInt256("mulDivCeil", mulDivUp(x, y, d)) : -toInt256("mulDivCeil", mulDivDown(-x, y, d));
}

/** Alias of {@link mulDivFloor} (signed, rounds toward -infinity). */
export const mulDivSignedDown = mulDivFloor;
/** Alias of {@link mulDivCeil} (signed, rounds toward +infinity). */
export const mulDivSignedUp = mulDivCeil;

/** 6-decimal collateral amount -> WAD (exact). */
export function toWad(amount6: bigint): bigint {
  return checkedProduct("toWad", amount6, COLLATERAL_TO_WAD, 1n);
}

/** WAD -> 6-decimal collateral, rounded down (what the protocol pays out). */
export function fromWadDown(wad: bigint): bigint {
  return mulDivDown(wad, 1n, COLLATERAL_TO_WAD);
}

/** WAD -> 6-decimal collateral, rounded up (what the protocol charges). */
export function fromWadUp(wad: bigint): bigint {
  return mulDivUp(wad, 1n, COLLATERAL_TO_WAD);
}

/** x * y after the checks a uint256 `x * y / d` would revert on. */
function checkedProduct(fn: string, x: bigint, y: bigint, d: bigint): bigint {
  // Checked in the order x, y, d (no allocation: this runs in every mulDiv of the SDK's math).
  if (x < 0n || x > MAX_UINT256) outOfRange(fn, "x", x);
  if (y < 0n || y > MAX_UINT256) outOfRange(fn, "y", y);
  if (d < 0n || d > MAX_UINT256) outOfRange(fn, "d", d);
  if (d === 0n) throw new RangeError(`${fn}: division by zero`);
  const p = x * y;
  if (p > MAX_UINT256) throw new RangeError(`${fn}: x * y overflows uint256 (x=${x}, y=${y})`);
  return p;
}

function outOfRange(fn: string, name: string, v: bigint): never {
  if (v < 0n) throw new RangeError(`${fn}: ${name} is negative (${v}); unsigned math, use mulDivFloor/mulDivCeil`);
  throw new RangeError(`${fn}: ${name} exceeds uint256 (${v})`);
}

function checkInt256(fn: string, x: bigint): void {
  // MIN_INT256 is excluded too: Solidity's `-x` reverts on it.
  if (x <= MIN_INT256 || x > MAX_INT256) throw new RangeError(`${fn}: x is outside int256 or is its minimum (${x})`);
}

function toInt256(fn: string, r: bigint): bigint {
  if (r > MAX_INT256) throw new RangeError(`${fn}: result ${r} does not fit int256`);
  return r;
}
