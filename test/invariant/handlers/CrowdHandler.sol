// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {PerpLens} from "../../../contracts/PerpLens.sol";
import {PerpPool} from "../../../contracts/PerpPool.sol";
import {TailRiskOracle} from "../../../contracts/TailRiskOracle.sol";
import {TrancheVault} from "../../../contracts/TrancheVault.sol";
import {MarketView} from "../../../contracts/interfaces/IPerpTypes.sol";
import {ITailRiskOracle} from "../../../contracts/interfaces/ITailRiskOracle.sol";
import {SettableFeed} from "../../../contracts/oracle/SettableFeed.sol";
import {TestUSDC} from "../../../contracts/test/TestUSDC.sol";
import {StillIndex} from "../../utils/StillIndex.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

/// @notice The honest background of the no-free-lunch campaign: traders whose trades move the mark (so mark-index
/// gaps exist that the attacker did not create, and a repeg falls due), keepers (funding, premium, capital,
/// liquidations of the crowd, inventory unwinds), LPs, the risk steward posting tail-risk figures (which move the
/// premium split and the junior exit floor), and time. The index never moves (`StillIndex`). Every call
/// that may legitimately be refused is wrapped in try/catch and counted; nothing here may revert.
contract CrowdHandler is StillIndex, StdUtils {
    uint256 internal constant MAX_WARP = 2 hours;
    /// @dev A crowd trade moves at most 0.8 % of the base reserve (about 1.6 % of mark).
    uint256 internal constant MAX_TRADE_BPS_OF_RESERVE = 80;

    PerpPool public immutable pool;
    PerpLens public immutable lens;
    TestUSDC public immutable usdc;
    TrancheVault public immutable junior;
    TrancheVault public immutable senior;
    address public immutable keeper;
    /// @notice The tail-risk oracle the backstop reads and its steward (address(0): no LP economics wired).
    TailRiskOracle public tailRisk;
    address public steward;
    address internal immutable _deployer;

    address[] internal _traders;
    address[] internal _lps;

    mapping(string action => uint256) public calls;
    mapping(string action => uint256) public refused;

    constructor(
        PerpPool pool_,
        PerpLens lens_,
        TestUSDC usdc_,
        TrancheVault junior_,
        TrancheVault senior_,
        SettableFeed[FEEDS][MARKETS] memory feeds,
        address feedUpdater,
        address keeper_,
        address[] memory traders,
        address[] memory lps
    ) StillIndex(feeds, feedUpdater) {
        pool = pool_;
        lens = lens_;
        usdc = usdc_;
        junior = junior_;
        senior = senior_;
        keeper = keeper_;
        _traders = traders;
        _lps = lps;
        _deployer = msg.sender;
    }

    /// @notice Deployer-only, at setup (not a campaign target): the steward's oracle (a separate call: the
    /// constructor's arguments are as many as the legacy code generator can decode).
    function wireTailRisk(TailRiskOracle tailRisk_, address steward_) external {
        require(msg.sender == _deployer, "deployer only");
        (tailRisk, steward) = (tailRisk_, steward_);
    }

    function traderCount() external view returns (uint256) {
        return _traders.length;
    }

    function traderAt(uint256 i) external view returns (address) {
        return _traders[i];
    }

    /* TRADERS */

    /// @dev Any side, up to 0.8 % of the base reserve and what the margin allows; refusals (band, block move,
    /// margin, OI cap, dust) are counted.
    function crowdTrade(uint256 traderSeed, uint256 marketSeed, int256 sizeSeed) external {
        ++calls["crowdTrade"];
        address t = _traders[traderSeed % _traders.length];
        uint256 m = marketSeed % MARKETS;
        MarketView memory mv = lens.marketView(m);
        uint256 cap = mv.baseReserve * MAX_TRADE_BPS_OF_RESERVE / 10_000;
        uint256 minPos = pool.marketConfig(m).minPositionBase;
        int256 size = bound(sizeSeed, -int256(cap), int256(cap));
        if (size >= 0 && uint256(size) < minPos) size = int256(minPos);
        if (size < 0 && uint256(-size) < minPos) size = -int256(minPos);
        int256 held = pool.position(t, 0, m).size;
        if (held + size != 0 && _abs(held + size) < minPos) size = -held;
        vm.prank(t);
        try pool.trade(t, 0, m, size, size > 0 ? type(uint256).max : 0, block.timestamp) {}
        catch {
            ++refused["crowdTrade"];
        }
    }

    function crowdClose(uint256 traderSeed, uint256 marketSeed) external {
        ++calls["crowdClose"];
        address t = _traders[traderSeed % _traders.length];
        uint256 m = marketSeed % MARKETS;
        int256 size = pool.position(t, 0, m).size;
        if (size == 0) return;
        vm.prank(t);
        try pool.closePosition(t, 0, m, size < 0 ? type(uint256).max : 0, block.timestamp) {}
        catch {
            ++refused["crowdClose"];
        }
    }

    /* KEEPERS */

    /// @dev 1 s .. 2 h, one block; the feeds are re-posted unchanged (the index stays still, never stale).
    function warp(uint256 secondsSeed) external {
        ++calls["warp"];
        _nextBlock(bound(secondsSeed, 1, MAX_WARP));
    }

    function keeperUpdateFunding(uint256 marketSeed) external {
        ++calls["keeperUpdateFunding"];
        vm.prank(keeper);
        try pool.updateFunding(marketSeed % MARKETS) {}
        catch {
            ++refused["keeperUpdateFunding"];
        }
    }

    function keeperDistributePremium() external {
        ++calls["keeperDistributePremium"];
        vm.prank(keeper);
        pool.distributePremium();
    }

    /// @dev Liquidates the first liquidatable crowd account from `seed` (the attacker's accounts are its own business).
    function keeperLiquidate(uint256 seed) external {
        ++calls["keeperLiquidate"];
        uint256 n = _traders.length;
        for (uint256 k; k < n; ++k) {
            address t = _traders[(seed % n + k) % n];
            if (!lens.accountHealth(t, 0).liquidatable) continue;
            vm.prank(keeper);
            try pool.liquidate(t, 0, type(uint256).max) {}
            catch {
                ++refused["keeperLiquidate"];
            }
            return;
        }
    }

    /// @dev An honest taker (a crowd trader) takes part of the backstop's inventory at the sale's price.
    function takerTakesInventory(uint256 traderSeed, uint256 marketSeed, uint256 maxBaseSeed) external {
        ++calls["takerTakesInventory"];
        uint256 m = marketSeed % MARKETS;
        int256 inventory = pool.position(address(0), 0, m).size;
        uint256 held = _abs(inventory);
        if (held == 0) return;
        address t = _traders[traderSeed % _traders.length];
        vm.prank(t);
        try pool.takeInventory(
            m, 0, bound(maxBaseSeed, 1, held), inventory > 0 ? type(uint256).max : 0, block.timestamp
        ) {}
        catch {
            ++refused["takerTakesInventory"];
        }
    }

    /// @dev The steward posts a report of the previous block: ES99 from 40 to 75 % of the junior's assets (the exit
    /// floor, 1.5 x the larger of ES99 and the stress loss, then ranges from 60 % to above the junior's whole value,
    /// so the gate holds claims back wholly, in part or not at all) and a stress loss up to 50 %. The share moves
    /// toward the figure's target within its bounds. Refusals (a post in the block of the last one's source) counted.
    function stewardPost(uint256 es99Seed, uint256 stressSeed) external {
        ++calls["stewardPost"];
        if (address(tailRisk) == address(0)) return;
        uint256 capital = junior.totalAssets();
        ITailRiskOracle.Post memory p = ITailRiskOracle.Post({
            juniorEs99: uint128(capital * bound(es99Seed, 4000, 7500) / 10_000),
            juniorCapital: uint128(capital),
            stressLoss: uint128(capital * bound(stressSeed, 0, 5000) / 10_000),
            blockNumber: uint64(block.number - 1),
            seed: uint64(es99Seed),
            paths: 10_000,
            reportHash: keccak256(abi.encode(es99Seed, stressSeed))
        });
        vm.prank(steward);
        try tailRisk.post(p) {}
        catch {
            ++refused["stewardPost"];
        }
    }

    /* LPS */

    function lpDeposit(uint256 lpSeed, uint256 trancheSeed, uint256 amount) external {
        ++calls["lpDeposit"];
        TrancheVault v = trancheSeed % 2 == 0 ? junior : senior;
        address lp = _lps[lpSeed % _lps.length];
        amount = bound(amount, 1e6, 200_000e6);
        usdc.mint(lp, amount);
        vm.startPrank(lp);
        usdc.approve(address(v), amount);
        try v.deposit(amount, lp) {}
        catch {
            ++refused["lpDeposit"];
        }
        vm.stopPrank();
    }

    /// @dev Requests part of the LP's shares; claims a matured request; cancels an expired one.
    function lpExit(uint256 lpSeed, uint256 trancheSeed, uint256 sharesSeed) external {
        ++calls["lpExit"];
        TrancheVault v = trancheSeed % 2 == 0 ? junior : senior;
        address lp = _lps[lpSeed % _lps.length];
        (uint256 pending,, uint64 unlock) = v.withdrawRequest(lp);
        (uint256 settling,, uint64 settleAt) = v.pendingClaim(lp);
        vm.startPrank(lp);
        if (settling != 0) {
            if (block.timestamp >= settleAt) {
                try v.settleClaim(lp) {}
                catch {
                    ++refused["lpExit"];
                }
            }
        } else if (pending == 0) {
            uint256 balance = v.balanceOf(lp);
            if (balance != 0) {
                try v.requestWithdraw(bound(sharesSeed, 1, balance)) {}
                catch {
                    ++refused["lpExit"];
                }
            }
        } else if (block.timestamp >= unlock) {
            bool expired = block.timestamp > uint256(unlock) + v.claimWindow();
            if (expired) {
                try v.cancelWithdraw() {}
                catch {
                    ++refused["lpExit"];
                }
            } else {
                try v.claim() {}
                catch {
                    ++refused["lpExit"];
                }
            }
        }
        vm.stopPrank();
    }

    function _abs(int256 x) internal pure returns (uint256) {
        return x >= 0 ? uint256(x) : uint256(-x);
    }
}
