// TrancheVault's boost in TypeScript, to the unit (SPEC-21 "Boost"). The volatility index I grows by the stored
// multiplier (bps) every second; a holder's points grow by their active shares × ΔI, all holders' by the active
// supply × ΔI; a claim pays ⌊pot × points / all points⌋. Points are shares × bps-seconds (exact integers).

/** 1× and the most a vault stores (`TrancheVault.MAX_BOOST_MULTIPLIER_BPS`, 100×). */
export const BOOST_MULTIPLIER_MIN_BPS = 10_000n;
export const BOOST_MULTIPLIER_MAX_BPS = 1_000_000n;

/** What `refreshBoost` stores for the oracle's answer: clamped to [1×, 100×]. */
export function clampBoostMultiplierBps(oracleBps: bigint): bigint {
  return oracleBps < BOOST_MULTIPLIER_MIN_BPS
    ? BOOST_MULTIPLIER_MIN_BPS
    : oracleBps > BOOST_MULTIPLIER_MAX_BPS
      ? BOOST_MULTIPLIER_MAX_BPS
      : oracleBps;
}

/** The index at `t` from its value `index` at `lastTime` with `multiplierBps` accruing since (t ≥ lastTime). */
export function volatilityIndexAt(index: bigint, lastTime: bigint, multiplierBps: bigint, t: bigint): bigint {
  if (t < lastTime) throw new RangeError(`volatilityIndexAt: ${t} is before the last accrual ${lastTime}`);
  return index + (t - lastTime) * multiplierBps;
}

/**
 * Points at `t`, from `points` at `from` with `activeShares` held throughout and `multiplierBps` stored (no
 * `refreshBoost` in between): points + activeShares × multiplier × (t − from). Works for one holder (their shares
 * not in a request) and for the total (the current-epoch supply less the vault's own balance).
 */
export function boostPointsAt(
  points: bigint,
  activeShares: bigint,
  multiplierBps: bigint,
  from: bigint,
  t: bigint,
): bigint {
  if (t < from) throw new RangeError(`boostPointsAt: ${t} is before ${from}`);
  return points + activeShares * multiplierBps * (t - from);
}

/** What a claim pays: ⌊pot × points / totalPoints⌋ (0 with no points). Mirrors `TrancheVault.claimableBoost`. */
export function claimableBoostDown(pot: bigint, points: bigint, totalPoints: bigint): bigint {
  return totalPoints === 0n ? 0n : (pot * points) / totalPoints;
}

/**
 * The claim at `t` if nothing else moves (no premium, no other claim, no share movement, no refresh): both point
 * counts projected from `from`, the pot as it is.
 */
export function projectedClaimableBoost(
  s: { pot: bigint; points: bigint; totalPoints: bigint; activeShares: bigint; totalActiveShares: bigint },
  multiplierBps: bigint,
  from: bigint,
  t: bigint,
): bigint {
  return claimableBoostDown(
    s.pot,
    boostPointsAt(s.points, s.activeShares, multiplierBps, from, t),
    boostPointsAt(s.totalPoints, s.totalActiveShares, multiplierBps, from, t),
  );
}
