// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice A tranche's premium stream: two linear ramps as rates (asset units per second, scaled by `RATE_SCALE`).
/// `near` vests until `farEnd - D`, `far` until `farEnd`, where D is the stream duration and `farEnd` a multiple
/// of D. A payout at time t joins the ramp ending at `(t / D + 2) * D`, in (t + D, t + 2D]: every live end is one
/// of two multiples of D, so two ramps hold every payout exactly, and adding to one ramp never touches the other
/// (no rounding drift, no end ever moves). One storage slot.
struct PremiumStream {
    uint104 near;
    uint104 far;
    uint48 farEnd;
}

/// @title PremiumStreamMath
/// @notice The premium stream's vesting math (see `PremiumStream`), as `TrancheVault` applies it.
library PremiumStreamMath {
    using Math for uint256;
    using SafeCast for uint256;

    /// @dev Vesting rates carry 12 extra decimals, so rounding a rate moves a ramp by < 1e-5 wei (D <= 30 days):
    /// rates round down and the unvested amount rounds up, which makes a payout exactly unvested when it lands.
    uint256 internal constant RATE_SCALE = 1e12;

    /// @notice `s` with `assets` added to the ramp ending at `(now / d + 2) * d` (returned as `farEnd`).
    function add(PremiumStream memory s, uint256 assets, uint256 d) internal view returns (PremiumStream memory) {
        (uint256 near, uint256 far, uint48 farEnd) = rebucket(s, d);
        far += assets.mulDiv(RATE_SCALE, farEnd - block.timestamp);
        return PremiumStream({near: uint104(near), far: far.toUint104(), farEnd: farEnd});
    }

    /// @notice `s` with `take` of its unvested amount removed, latest-vesting ramp first; no end moves.
    function cover(PremiumStream memory s, uint256 take, uint256 d) internal view returns (PremiumStream memory) {
        (uint256 near, uint256 far, uint48 farEnd) = rebucket(s, d);
        uint256 taken;
        (far, taken) = cut(far, farEnd, take);
        (near,) = cut(near, farEnd - d, take - taken);
        return PremiumStream({near: uint104(near), far: uint104(far), farEnd: farEnd});
    }

    /// @notice What has not vested yet, rounded up: a premium wei counts as the tranche's only once fully vested.
    function unvested(PremiumStream memory s, uint256 d) internal view returns (uint256) {
        if (block.timestamp >= s.farEnd) return 0;
        uint256 scaled = uint256(s.far) * (s.farEnd - block.timestamp);
        uint256 nearEnd = s.farEnd - d;
        if (block.timestamp < nearEnd) scaled += uint256(s.near) * (nearEnd - block.timestamp);
        return scaled.ceilDiv(RATE_SCALE);
    }

    /// @dev The two rates on the ends a payout now would use: the old far ramp becomes the near one once a new
    /// bucket has begun; ramps that ended are dropped.
    function rebucket(PremiumStream memory s, uint256 d)
        internal
        view
        returns (uint256 near, uint256 far, uint48 farEnd)
    {
        uint256 end = (block.timestamp / d + 2) * d;
        farEnd = uint48(end);
        if (s.farEnd == end) return (s.near, s.far, farEnd);
        // The old near ramp ended at (now / D) * D <= now.
        if (s.farEnd + d == end) return (s.far, 0, farEnd);
        // Otherwise both old ramps ended at or before now.
    }

    /// @dev Takes up to `take` of a ramp's unvested amount; returns the new rate and what it took. The rate falls by
    /// at least `take` worth, so the unvested amount never exceeds the token balance left.
    function cut(uint256 rate, uint256 end, uint256 take) internal view returns (uint256, uint256) {
        if (rate == 0 || take == 0 || block.timestamp >= end) return (rate, 0);
        uint256 left = end - block.timestamp;
        uint256 unvestedPart = (rate * left).ceilDiv(RATE_SCALE);
        if (take >= unvestedPart) return (0, unvestedPart);
        return (rate - Math.min(rate, (take * RATE_SCALE).ceilDiv(left)), take);
    }
}
