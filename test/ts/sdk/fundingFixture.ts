// The funding policy on the SDK fixture's markets: the chosen defaults (SPEC-22), set as the pool's owner (the
// fixture's deployer keeps the owner role), and group 1 = ETH + BTC.
import { perpPoolAbi } from "../../../ts/abi/generated";
import type { DevClients } from "../../../ts/devnet/clients";
import type { FundingParams } from "../../../ts/pool/types";
import { BTC, ETH, type Protocol, send } from "./fixture";

/** The defaults; the group fields and capE8 are the pool's (kept and derived by setFundingParams). */
export const DEFAULT_FUNDING_PARAMS: FundingParams = {
  capMultipleBps: 1000,
  maxChangeBps: 2500,
  extremeVolBps: 15_000,
  extremeCapBps: 5000,
  blendWeightBps: 3000,
  kickerThresholdBps: 5000,
  kickerMaxE8: 50_000,
  capE8: 0,
  group: 0,
  siblingCount: 0,
  siblings: 0,
};

/** `pool.setFundingParams(marketId, defaults overridden by `params`)`. */
export async function setFundingParams(
  chain: DevClients,
  p: Protocol,
  marketId: bigint,
  params: Partial<FundingParams>,
) {
  await send(chain, p.admin, {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "setFundingParams",
    args: [marketId, { ...DEFAULT_FUNDING_PARAMS, ...params }],
  });
}

/** The defaults on ETH and BTC, one correlation group (1). */
export async function setDefaultFunding(chain: DevClients, p: Protocol) {
  await setFundingParams(chain, p, ETH, {});
  await setFundingParams(chain, p, BTC, {});
  await send(chain, p.admin, {
    address: p.pool,
    abi: perpPoolAbi,
    functionName: "setFundingGroup",
    args: [1, [ETH, BTC]],
  });
}
