// Mirror of contracts/libraries/PositionMath.sol: how one trade leg changes a position.
import { abs, i256, mulDivCeil, revert } from "./solidity";

export type LegResult = {
  newSize: bigint;
  newOpenNotional: bigint;
  /** PnL realized by the reduced part (funding excluded). */
  realizedPnl: bigint;
};

/**
 * Applies a leg of `sizeDelta` base for `quoteDelta` quote (> 0 paid, < 0 received) to a position.
 * The closed share of the open notional rounds toward +inf. Throws `FlipInOneLeg(size, sizeDelta)` when the
 * leg would flip the side (the pool splits a flip into two legs).
 * @example
 * applyLeg(2n * WAD, 4000n * WAD, -WAD, -2100n * WAD) // { newSize: 1e18, newOpenNotional: 2000e18, realizedPnl: 100e18 }
 */
export function applyLeg(size: bigint, openNotional: bigint, sizeDelta: bigint, quoteDelta: bigint): LegResult {
  const newSize = i256(size + sizeDelta);
  if (size === 0n || size > 0n === sizeDelta > 0n) {
    return { newSize, newOpenNotional: i256(openNotional + quoteDelta), realizedPnl: 0n };
  }
  const closed = abs(sizeDelta);
  const held = abs(size);
  if (closed > held) revert("FlipInOneLeg", { size, sizeDelta });
  const closedNotional = closed === held ? openNotional : mulDivCeil(openNotional, closed, held);
  return {
    newSize,
    newOpenNotional: i256(openNotional - closedNotional),
    realizedPnl: i256(-i256(closedNotional + quoteDelta)),
  };
}

/** True when the leg reduces |size| (or leaves it), false when it opens or adds. */
export function isReducing(size: bigint, sizeDelta: bigint): boolean {
  return size !== 0n && size > 0n !== sizeDelta > 0n;
}
