// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPerpPool} from "../../contracts/interfaces/IPerpPool.sol";
import {FundingParams} from "../../contracts/interfaces/IPerpTypes.sol";
import {TradingFixture} from "./TradingFixture.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The funding policy on the shared fixture: the chosen parameters (SPEC-22), the group, and `updateFunding`
/// read back from its event.
abstract contract FundingPolicyFixture is TradingFixture {
    uint256 internal constant INTERVAL = 10 minutes;
    uint256 internal constant PERIOD = 1 hours;
    /// @dev The fixture's cap with capMultipleBps 1000: 10 % x (10 % - 5 %) = 50 bps = 5e9 in 1e-12 of the index.
    uint256 internal constant CAP = 5e9;
    /// @dev maxChangeBps 2500: a quarter of the cap per update.
    uint256 internal constant STEP = CAP / 4;
    uint8 internal constant GROUP = 1;

    /// @notice `IPerpPool.FundingUpdated`'s data (marketId is its topic).
    struct Update {
        int256 ratePerSecond;
        int256 kickerPerSecond;
        uint256 twapMark;
        uint256 twapIndex;
        int256 premium;
        int256 blended;
        int256 charged;
        int256 kicker;
        uint256 capEffective;
    }

    /// @dev SPEC-22's chosen parameters.
    function _defaultParams() internal pure returns (FundingParams memory) {
        return _defaultFundingParams();
    }

    function _setParams(uint256 marketId, FundingParams memory p) internal {
        vm.prank(admin);
        pool.setFundingParams(marketId, p);
    }

    function _groupEthBtc() internal {
        uint256[] memory ids = new uint256[](2);
        (ids[0], ids[1]) = (ETH, BTC);
        vm.prank(admin);
        pool.setFundingGroup(GROUP, ids);
    }

    /// @dev Both markets on `p`, grouped.
    function _policyOn(FundingParams memory p) internal {
        _fundingPolicyOn(p);
    }

    /// @dev `updateFunding(marketId)` now, and what its event reported.
    function _update(uint256 marketId) internal returns (Update memory u) {
        vm.recordLogs();
        pool.updateFunding(marketId);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool found;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IPerpPool.FundingUpdated.selector && uint256(logs[i].topics[1]) == marketId) {
                u = abi.decode(logs[i].data, (Update));
                found = true;
            }
        }
        assertTrue(found, "FundingUpdated emitted");
    }

    /// @dev Warps to `t` with every feed of both markets refreshed at `ethIndex` / `btcIndex`.
    function _warpFresh(uint256 t, uint256 ethIndex, uint256 btcIndex) internal {
        vm.warp(t);
        _setPrice(ETH, ethIndex);
        _setPrice(BTC, btcIndex);
    }

    /// @dev A trade that may be refused (band, per-block move, margin, open interest): true when it went through.
    function _tryTrade(address who, uint256 marketId, int256 size) internal returns (bool ok) {
        if (size == 0) return false;
        vm.prank(who);
        try pool.trade(who, 0, marketId, size, size > 0 ? type(uint256).max : 0, block.timestamp) {
            ok = true;
        } catch {}
    }

    /// @dev The rate a premium per period sets at `index` (FundingPolicy.perSecond).
    function _rateOf(int256 premium, uint256 index) internal pure returns (int256) {
        return premium * int256(index) / (1e12 * int256(PERIOD));
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-(x + 1)) + 1;
    }
}
