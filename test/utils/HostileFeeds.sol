// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice How a `HostileFeed` answers `latestRoundData()`.
enum HostileMode {
    /// A well-formed reading: `answer` at `updatedAt`.
    Honest,
    /// Reverts with no data.
    Revert,
    /// Reverts with `size` bytes of revert data.
    RevertHugeData,
    /// Returns `size` bytes (the honest words followed by junk).
    HugeReturn,
    /// Returns `size` bytes of memory, too many to pay for: runs out of its gas cap.
    ReturnBomb,
    /// Returns only 4 words (128 bytes).
    ShortReturn,
    /// Returns 6 words (192 bytes): the 5 honest words plus one.
    LongReturn,
    /// Returns nothing (success, empty returndata).
    EmptyReturn,
    /// Burns all gas it is given in a loop.
    BurnGas,
    /// Writes storage (fails under staticcall).
    WriteState,
    /// Calls `invalid()` (consumes all gas).
    InvalidOpcode
}

/// @notice A Chainlink-style feed that can be switched into every malformed behaviour the router must
/// survive. `decimals()` always answers honestly so `setFeeds` accepts it; the hostility is in
/// `latestRoundData()`. Negative/zero answers and zero/future/stale timestamps are `Honest` mode with
/// the matching `answer`/`updatedAt`.
contract HostileFeed {
    uint8 public immutable decimals;
    HostileMode public mode;
    int256 public answer;
    uint256 public updatedAt;
    uint256 public size;
    uint256 public writes;

    constructor(uint8 decimals_, int256 answer_, uint256 updatedAt_) {
        decimals = decimals_;
        answer = answer_;
        updatedAt = updatedAt_;
    }

    function setMode(HostileMode mode_, uint256 size_) external {
        mode = mode_;
        size = size_;
    }

    function setRound(int256 answer_, uint256 updatedAt_) external {
        answer = answer_;
        updatedAt = updatedAt_;
    }

    function latestRoundData() external returns (uint80, int256, uint256, uint256, uint80) {
        HostileMode m = mode;
        int256 a = answer;
        uint256 t = updatedAt;
        uint256 n = size;
        if (m == HostileMode.Honest) return (1, a, t, t, 1);
        if (m == HostileMode.Revert) {
            assembly {
                revert(0, 0)
            }
        }
        if (m == HostileMode.RevertHugeData) {
            assembly {
                revert(0, n)
            }
        }
        if (m == HostileMode.HugeReturn || m == HostileMode.ReturnBomb) {
            assembly {
                mstore(0x00, 1)
                mstore(0x20, a)
                mstore(0x40, t)
                mstore(0x60, t)
                mstore(0x80, 1)
                return(0, n)
            }
        }
        if (m == HostileMode.ShortReturn) {
            assembly {
                mstore(0x00, 1)
                mstore(0x20, a)
                mstore(0x40, t)
                mstore(0x60, t)
                return(0, 0x80)
            }
        }
        if (m == HostileMode.LongReturn) {
            assembly {
                mstore(0x00, 1)
                mstore(0x20, a)
                mstore(0x40, t)
                mstore(0x60, t)
                mstore(0x80, 1)
                mstore(0xa0, 1)
                return(0, 0xc0)
            }
        }
        if (m == HostileMode.EmptyReturn) {
            assembly {
                return(0, 0)
            }
        }
        if (m == HostileMode.BurnGas) {
            uint256 i;
            while (true) {
                unchecked {
                    ++i;
                }
            }
        }
        if (m == HostileMode.WriteState) {
            ++writes;
            return (1, a, t, t, 1);
        }
        assembly {
            invalid()
        }
    }
}

/// @notice A feed whose `decimals()` is above 18 (rejected by `setFeeds`).
contract TooManyDecimalsFeed {
    function decimals() external pure returns (uint8) {
        return 19;
    }
}

/// @notice A feed whose `decimals()` reverts (rejected by `setFeeds`).
contract NoDecimalsFeed {
    function decimals() external pure returns (uint8) {
        revert("no decimals");
    }
}
