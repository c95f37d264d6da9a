// Raw on-chain structs as the SDK reads them (return types of pool.marketState / marketConfig / position /
// account and of the lens views), derived from the generated ABIs so they follow the contracts.
import type { ContractFunctionReturnType } from "viem";
import type { perpLensAbi, perpPoolAbi } from "../abi/generated";

type PoolView<name extends "marketState" | "marketConfig" | "position" | "account"> = ContractFunctionReturnType<
  typeof perpPoolAbi,
  "view",
  name
>;
type LensView<name extends "accountHealth" | "positions" | "marketView" | "coverage" | "stressTest" | "inventorySale"> =
  ContractFunctionReturnType<typeof perpLensAbi, "view", name>;

export type MarketState = PoolView<"marketState">;
export type MarketConfig = PoolView<"marketConfig">;
export type Position = PoolView<"position">;
export type Account = PoolView<"account">;
export type AccountHealth = LensView<"accountHealth">;
export type PositionView = LensView<"positions">[number];
export type MarketView = LensView<"marketView">;
export type Coverage = LensView<"coverage">;
export type StressResult = LensView<"stressTest">;
export type InventorySaleView = LensView<"inventorySale">;
