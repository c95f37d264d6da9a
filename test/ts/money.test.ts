import { describe, expect, it } from "vitest";
import {
  COLLATERAL_TO_WAD,
  fromWadDown,
  fromWadUp,
  MAX_INT256,
  MAX_UINT256,
  MIN_INT256,
  mulDivCeil,
  mulDivDown,
  mulDivFloor,
  mulDivSignedDown,
  mulDivSignedUp,
  mulDivUp,
  toWad,
  WAD,
  wDivDown,
  wDivUp,
  wMulDown,
  wMulUp,
} from "../../ts/money";

describe("unsigned mulDiv", () => {
  it("rounds down and up, equal when exact", () => {
    expect(mulDivDown(7n, 1n, 2n)).toBe(3n);
    expect(mulDivUp(7n, 1n, 2n)).toBe(4n);
    expect(mulDivDown(6n, 1n, 2n)).toBe(3n);
    expect(mulDivUp(6n, 1n, 2n)).toBe(3n);
    expect(mulDivDown(0n, 5n, 3n)).toBe(0n);
    expect(mulDivUp(0n, 5n, 3n)).toBe(0n);
    expect(mulDivUp(1n, 1n, 3n)).toBe(1n);
    expect(mulDivDown(1n, 1n, 3n)).toBe(0n);
  });

  it("Up is Down + 1 exactly when the division is inexact", () => {
    for (const [x, y, d] of [
      [10n, 10n, 7n],
      [WAD, 3n, 7n],
      [123_456_789n, 987_654_321n, 1_000_000_007n],
      [2n ** 128n - 1n, 2n ** 127n, 3n],
    ]) {
      const down = mulDivDown(x as bigint, y as bigint, d as bigint);
      const exact = ((x as bigint) * (y as bigint)) % (d as bigint) === 0n;
      expect(mulDivUp(x as bigint, y as bigint, d as bigint)).toBe(exact ? down : down + 1n);
    }
  });

  it("throws like Solidity: zero divisor, negative input, x*y overflow", () => {
    expect(() => mulDivDown(1n, 1n, 0n)).toThrow("mulDivDown: division by zero");
    expect(() => mulDivUp(1n, 1n, 0n)).toThrow("mulDivUp: division by zero");
    expect(() => mulDivDown(-1n, 1n, 1n)).toThrow(/x is negative/);
    expect(() => mulDivUp(1n, -1n, 1n)).toThrow(/y is negative/);
    expect(() => mulDivDown(1n, 1n, -1n)).toThrow(/d is negative/);
    expect(() => mulDivDown(MAX_UINT256 + 1n, 1n, 1n)).toThrow(/exceeds uint256/);
    expect(() => mulDivDown(2n ** 128n, 2n ** 128n, 2n)).toThrow(/overflows uint256/);
    expect(mulDivDown(MAX_UINT256, 1n, 1n)).toBe(MAX_UINT256);
  });
});

describe("WAD helpers", () => {
  it("multiply and divide 18-decimal values with the named rounding", () => {
    expect(wMulDown(2n * WAD, 3n * WAD)).toBe(6n * WAD);
    expect(wMulDown(1n, 1n)).toBe(0n);
    expect(wMulUp(1n, 1n)).toBe(1n);
    expect(wDivDown(1n * WAD, 3n * WAD)).toBe(333_333_333_333_333_333n);
    expect(wDivUp(1n * WAD, 3n * WAD)).toBe(333_333_333_333_333_334n);
    expect(() => wDivDown(1n, 0n)).toThrow(/division by zero/);
  });

  it("converts 6-decimal collateral exactly in, rounding out in the protocol's favour", () => {
    expect(COLLATERAL_TO_WAD).toBe(10n ** 12n);
    expect(toWad(1_000_000n)).toBe(WAD);
    expect(toWad(1n)).toBe(10n ** 12n);
    expect(fromWadDown(toWad(812_400_000n))).toBe(812_400_000n);
    expect(fromWadDown(10n ** 12n - 1n)).toBe(0n);
    expect(fromWadUp(10n ** 12n - 1n)).toBe(1n);
    expect(fromWadDown(10n ** 12n + 1n)).toBe(1n);
    expect(fromWadUp(10n ** 12n + 1n)).toBe(2n);
    expect(fromWadUp(2n * 10n ** 12n)).toBe(2n);
    expect(() => toWad(-1n)).toThrow(/negative/);
    expect(() => fromWadDown(-1n)).toThrow(/negative/);
  });
});

describe("signed mulDiv (mulDivFloor / mulDivCeil)", () => {
  it("floors toward -infinity and ceils toward +infinity, not toward zero", () => {
    expect(mulDivFloor(7n, 1n, 2n)).toBe(3n);
    expect(mulDivCeil(7n, 1n, 2n)).toBe(4n);
    expect(mulDivFloor(-7n, 1n, 2n)).toBe(-4n);
    expect(mulDivCeil(-7n, 1n, 2n)).toBe(-3n);
    // truncation (what `/` does on bigint and in Solidity) would give -3 for both
    expect(-7n / 2n).toBe(-3n);
    expect(mulDivFloor(-1n, 1n, 3n)).toBe(-1n);
    expect(mulDivCeil(-1n, 1n, 3n)).toBe(0n);
    expect(mulDivFloor(-6n, 1n, 2n)).toBe(-3n);
    expect(mulDivCeil(-6n, 1n, 2n)).toBe(-3n);
    expect(mulDivFloor(0n, 1n, 2n)).toBe(0n);
    expect(mulDivCeil(0n, 1n, 2n)).toBe(0n);
  });

  it("matches floor/ceil of the exact quotient on a grid of signs", () => {
    for (let x = -20n; x <= 20n; x++) {
      for (const y of [0n, 1n, 3n, 7n]) {
        for (const d of [1n, 2n, 3n, 5n]) {
          const exact = Number(x * y) / Number(d);
          expect(mulDivFloor(x, y, d)).toBe(BigInt(Math.floor(exact)));
          expect(mulDivCeil(x, y, d)).toBe(BigInt(Math.ceil(exact)));
        }
      }
    }
  });

  it("has the Signed aliases the SDK names", () => {
    expect(mulDivSignedDown).toBe(mulDivFloor);
    expect(mulDivSignedUp).toBe(mulDivCeil);
    expect(mulDivSignedDown(-3n * WAD, WAD / 3n, WAD)).toBe(-999_999_999_999_999_999n);
    expect(mulDivSignedUp(-3n * WAD, WAD / 3n, WAD)).toBe(-999_999_999_999_999_999n);
  });

  it("throws where Solidity reverts (and where its int256 cast would wrap)", () => {
    expect(() => mulDivFloor(1n, 1n, 0n)).toThrow(/division by zero/);
    expect(() => mulDivCeil(-1n, 1n, 0n)).toThrow(/division by zero/);
    expect(() => mulDivFloor(1n, -1n, 1n)).toThrow(/y is negative/);
    expect(() => mulDivFloor(MIN_INT256, 1n, 1n)).toThrow(/outside int256/);
    expect(() => mulDivFloor(MAX_INT256 + 1n, 1n, 1n)).toThrow(/outside int256/);
    expect(() => mulDivFloor(MAX_INT256, 2n, 1n)).toThrow(/does not fit int256/);
    expect(mulDivFloor(-MAX_INT256, 1n, 1n)).toBe(-MAX_INT256);
  });
});
