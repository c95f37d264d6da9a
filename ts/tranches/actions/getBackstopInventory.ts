import type { CurrencyAmount, Token } from "@uniswap/sdk-core";
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi, perpPoolAbi } from "../../abi/generated";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { usdcAmount, wadToUsdcAmount } from "../../pool/format";
import { addressSchema, parseParameters } from "../../pool/schemas";
import type { PositionView } from "../../pool/types";
import { readToken } from "../vaultToken";

export type GetBackstopInventoryParameters = {
  /** PerpLens address. */
  lens: Address;
};

/** One inventory position; `pnl` = unrealizedPnl - fundingOwed (WAD, at the index, funding included). */
export type InventoryPosition = PositionView & { pnl: bigint; display: { notional: CurrencyAmount<Token> } };

export type GetBackstopInventoryReturnType = {
  collateral: Token;
  /** The backstop account's positions (what liquidations transferred to it), valued at the index. */
  positions: InventoryPosition[];
  /** Σ pnl over the positions (WAD): gains and losses netted. */
  unrealizedPnl: bigint;
  /**
   * What already counts against the tranches' value, junior first (`pool.backstopInventoryLoss`, token units,
   * rounded up): the sum of the losing positions' losses; a gain does not count until it is realized.
   */
  lossTokens: bigint;
  display: { unrealizedPnl: CurrencyAmount<Token>; loss: CurrencyAmount<Token> };
};

const schema = z.object({ lens: addressSchema });

/**
 * The backstop's inventory (positions taken over by liquidation at the index) and its unrealized PnL.
 * @example
 * const inv = await getBackstopInventory(publicClient, { lens });
 * console.log(inv.display.unrealizedPnl.toExact(), inv.display.loss.toExact());
 */
export async function getBackstopInventory(
  client: PerpClient,
  parameters: GetBackstopInventoryParameters,
): Promise<GetBackstopInventoryReturnType> {
  const { lens } = parseParameters("getBackstopInventory", schema, parameters);
  try {
    const pool = await readContract(client, { address: lens, abi: perpLensAbi, functionName: "pool" });
    const [tokenAddress, positions, lossTokens] = await Promise.all([
      readContract(client, { address: pool, abi: perpPoolAbi, functionName: "collateralToken" }),
      readContract(client, { address: lens, abi: perpLensAbi, functionName: "inventory" }),
      readContract(client, { address: pool, abi: perpPoolAbi, functionName: "backstopInventoryLoss" }),
    ]);
    const collateral = await readToken(client, tokenAddress);
    const out = positions.map((x) => ({
      ...x,
      pnl: x.unrealizedPnl - x.fundingOwed,
      display: { notional: wadToUsdcAmount(collateral, x.notional) },
    }));
    const unrealizedPnl = out.reduce((s, x) => s + x.pnl, 0n);
    return {
      collateral,
      positions: out,
      unrealizedPnl,
      lossTokens,
      display: { unrealizedPnl: wadToUsdcAmount(collateral, unrealizedPnl), loss: usdcAmount(collateral, lossTokens) },
    };
  } catch (err) {
    throw actionError("getBackstopInventory", err);
  }
}
