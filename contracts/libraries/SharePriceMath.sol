// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title SharePriceMath
/// @notice A tranche's share price, as `TrancheVault` applies it: OpenZeppelin's ERC-4626 formula (virtual shares
/// and one virtual asset) at the tranche's NET value (`net`, its assets less the visible loss reaching it) over its
/// PRICED shares (`priced`, every current-epoch share but the never-redeemable sentinel), and the wipe floor.
/// Rounding is in the name; every one is in the vault's favour where the vault uses it.
library SharePriceMath {
    using Math for uint256;

    /// @notice Virtual-share offset (decimals of shares = asset decimals + 6) against first-depositor inflation.
    uint8 internal constant DECIMALS_OFFSET = 6;
    /// @notice The tranche counts as wiped when the share price is below 1 / WIPED_PRICE_FACTOR of the initial price.
    uint256 internal constant WIPED_PRICE_FACTOR = 1e6;
    uint256 internal constant VIRTUAL_SHARES = 10 ** DECIMALS_OFFSET;
    /// @dev Shares per asset unit at the wipe floor: `assets < ceil(shares / FLOOR_SHARES_PER_ASSET)` is wiped.
    uint256 internal constant FLOOR_SHARES_PER_ASSET = VIRTUAL_SHARES * WIPED_PRICE_FACTOR;

    function toShares(uint256 assets, uint256 net, uint256 priced, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return assets.mulDiv(priced + VIRTUAL_SHARES, plusOne(net), rounding);
    }

    function toAssets(uint256 shares, uint256 net, uint256 priced, Math.Rounding rounding)
        internal
        pure
        returns (uint256)
    {
        return shares.mulDiv(plusOne(net), priced + VIRTUAL_SHARES, rounding);
    }

    function toSharesDown(uint256 assets, uint256 net, uint256 priced) internal pure returns (uint256) {
        return assets.mulDiv(priced + VIRTUAL_SHARES, plusOne(net), Math.Rounding.Floor);
    }

    function toAssetsDown(uint256 shares, uint256 net, uint256 priced) internal pure returns (uint256) {
        return shares.mulDiv(plusOne(net), priced + VIRTUAL_SHARES, Math.Rounding.Floor);
    }

    function toAssetsUp(uint256 shares, uint256 net, uint256 priced) internal pure returns (uint256) {
        return shares.mulDiv(plusOne(net), priced + VIRTUAL_SHARES, Math.Rounding.Ceil);
    }

    /// @notice Of `shares` escrowed at `atRequest` assets: all of them if they are worth at most `atRequest` now;
    /// otherwise the largest r with r * (net + 1) / (priced - shares + r + 1e6) <= atRequest, i.e. worth at most
    /// `atRequest` AFTER the rest is burned: r = atRequest * (priced - shares + 1e6) / (net + 1 - atRequest),
    /// rounded down.
    function sharesToReturn(uint256 shares, uint256 atRequest, uint256 net, uint256 priced)
        internal
        pure
        returns (uint256)
    {
        if (toAssetsDown(shares, net, priced) <= atRequest) return shares;
        // Worth more than atRequest: net + 1 > atRequest, and priced >= shares (they are escrowed LP shares).
        return Math.min(shares, atRequest.mulDiv(priced - shares + VIRTUAL_SHARES, plusOne(net) - atRequest));
    }

    /// @notice LP shares outstanding and the price below 1 / WIPED_PRICE_FACTOR of the initial one, without
    /// overflow: `net * 1e12 < priced` is `net < ceil(priced / 1e12)`.
    function priceWiped(uint256 net, uint256 priced) internal pure returns (bool) {
        return priced != 0 && net < floor(priced);
    }

    /// @notice The assets below which `priced` shares are wiped.
    function floor(uint256 priced) internal pure returns (uint256) {
        return priced.ceilDiv(FLOOR_SHARES_PER_ASSET);
    }

    /// @notice `x + 1` (the virtual asset), saturating at the top of the range so that no view ever overflows.
    function plusOne(uint256 x) internal pure returns (uint256) {
        return x == type(uint256).max ? x : x + 1;
    }
}
