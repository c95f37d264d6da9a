// `client.extend(perpActions({ pool, lens }))`: the method form of the pool actions, addresses bound once.
import type { Address } from "viem";
import { closePosition } from "./actions/closePosition";
import { depositMargin } from "./actions/depositMargin";
import { getAccountHealth } from "./actions/getAccountHealth";
import { getFundingForecast } from "./actions/getFundingForecast";
import { getFundingHistory } from "./actions/getFundingHistory";
import { getInventorySales } from "./actions/getInventorySales";
import { getMarket } from "./actions/getMarket";
import { getPositions } from "./actions/getPositions";
import { takeInventory } from "./actions/takeInventory";
import { trade } from "./actions/trade";
import { tradeLegs } from "./actions/tradeLegs";
import { withdrawMargin } from "./actions/withdrawMargin";
import type { PerpClient } from "./client";

type Bound<fn, keys extends string> = fn extends (client: PerpClient, p: infer p) => infer r
  ? (p: Omit<p, keys>) => r
  : never;

export type PerpActions = {
  getMarket: Bound<typeof getMarket, "lens">;
  getAccountHealth: Bound<typeof getAccountHealth, "lens">;
  getPositions: Bound<typeof getPositions, "lens">;
  depositMargin: Bound<typeof depositMargin, "pool">;
  withdrawMargin: Bound<typeof withdrawMargin, "pool">;
  trade: Bound<typeof trade, "pool">;
  tradeLegs: Bound<typeof tradeLegs, "pool">;
  closePosition: Bound<typeof closePosition, "pool">;
  getInventorySales: Bound<typeof getInventorySales, "lens">;
  getFundingForecast: Bound<typeof getFundingForecast, "lens" | "pool">;
  getFundingHistory: Bound<typeof getFundingHistory, "pool">;
  takeInventory: Bound<typeof takeInventory, "pool" | "lens">;
};

/**
 * @example
 * const perp = walletClient.extend(perpActions({ pool, lens }));
 * await perp.depositMargin({ amount: "1000" });
 * await perp.trade({ marketId: 0, size: "0.5" });
 */
export function perpActions(addresses: { pool: Address; lens: Address }) {
  const { pool, lens } = addresses;
  return (client: PerpClient): PerpActions => ({
    getMarket: (p) => getMarket(client, { ...p, lens }),
    getAccountHealth: (p) => getAccountHealth(client, { ...p, lens }),
    getPositions: (p) => getPositions(client, { ...p, lens }),
    depositMargin: (p) => depositMargin(client, { ...p, pool }),
    withdrawMargin: (p) => withdrawMargin(client, { ...p, pool }),
    trade: (p) => trade(client, { ...p, pool }),
    tradeLegs: (p) => tradeLegs(client, { ...p, pool }),
    closePosition: (p) => closePosition(client, { ...p, pool }),
    getInventorySales: (p) => getInventorySales(client, { ...p, lens }),
    getFundingForecast: (p) => getFundingForecast(client, { ...p, lens, pool }),
    getFundingHistory: (p) => getFundingHistory(client, { ...p, pool }),
    takeInventory: (p) => takeInventory(client, { ...p, pool, lens }),
  });
}
