// ts/pool: the trader SDK. Exact bigint quotes (math/, quoteTrade), viem actions, formatting for people.

export { protocolErrorAbi } from "../chain/protocolErrors";
export * from "./actions/closePosition";
export * from "./actions/depositMargin";
export * from "./actions/getAccountHealth";
export * from "./actions/getAccountState";
export * from "./actions/getAccounts";
export * from "./actions/getFundingForecast";
export * from "./actions/getFundingHistory";
export * from "./actions/getInventorySales";
export * from "./actions/getMarket";
export * from "./actions/getPositions";
export * from "./actions/getRiskEngine";
export * from "./actions/takeInventory";
export * from "./actions/trade";
export * from "./actions/tradeLegs";
export * from "./actions/withdrawMargin";
export type { PerpClient } from "./client";
export * from "./decorator";
export { actionError } from "./errors";
export * from "./format";
export * as math from "./math";
export * from "./quoteTrade";
export * from "./quoteTradeLegs";
export { InvalidParametersError, riskGridSchema, scenarioSchema } from "./schemas";
export * from "./slippage";
export type * from "./types";
