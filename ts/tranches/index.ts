// ts/tranches: the LP SDK. Deposit, request -> cooldown -> claim, tranche state, coverage and stress.
export * from "./actions/cancelWithdraw";
export * from "./actions/claim";
export * from "./actions/deposit";
export * from "./actions/getBackstopInventory";
export * from "./actions/getCoverage";
export * from "./actions/getLpPosition";
export * from "./actions/getPremiumApr";
export * from "./actions/getStress";
export * from "./actions/getStressAllMarkets";
export * from "./actions/getTranche";
export * from "./actions/getTrancheRisk";
export * from "./actions/requestWithdraw";
export * from "./decorator";
export * from "./math/apr";
export * from "./math/cancelCost";
export * from "./schemas";
export * from "./vaultToken";
