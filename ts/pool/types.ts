// Raw on-chain structs as the SDK reads them (return types of pool.marketState / marketConfig / position /
// account and of the lens views), derived from the generated ABIs so they follow the contracts.
import type { ContractFunctionReturnType } from "viem";
import type { perpLensAbi, perpPoolAbi } from "../abi/generated";

type PoolView<
  name extends "marketState" | "marketConfig" | "position" | "account" | "fundingParams" | "fundingSnapshot",
> = ContractFunctionReturnType<typeof perpPoolAbi, "view", name>;
type LensView<
  name extends
    | "accountHealth"
    | "positions"
    | "marketView"
    | "coverage"
    | "stressTest"
    | "inventorySale"
    | "fundingForecast",
> = ContractFunctionReturnType<typeof perpLensAbi, "view", name>;

export type MarketState = PoolView<"marketState">;
export type MarketConfig = PoolView<"marketConfig">;
export type Position = PoolView<"position">;
export type Account = PoolView<"account">;
/** A market's funding policy (`pool.fundingParams`; small integer fields are numbers). */
export type FundingParams = PoolView<"fundingParams">;
/** What a market's last funding update measured and charged (`pool.fundingSnapshot`). */
export type FundingSnapshot = PoolView<"fundingSnapshot">;
export type AccountHealth = LensView<"accountHealth">;
export type PositionView = LensView<"positions">[number];
export type MarketView = LensView<"marketView">;
export type Coverage = LensView<"coverage">;
export type StressResult = LensView<"stressTest">;
export type InventorySaleView = LensView<"inventorySale">;
/** `lens.fundingForecast`: funding now, what an update now would set, and the most the next period can charge. */
export type FundingForecast = LensView<"fundingForecast">;
/** What one funding update sets (`FundingPolicy.next`). */
export type FundingOutcome = FundingForecast["next"];
