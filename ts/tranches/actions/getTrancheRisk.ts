import { type CurrencyAmount, Percent, type Token } from "@uniswap/sdk-core";
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { z } from "zod";
import { perpLensAbi, perpPoolAbi } from "../../abi/generated";
import { MAX_UINT256 } from "../../money";
import type { PerpClient } from "../../pool/client";
import { actionError } from "../../pool/errors";
import { bpsToPercent, wadToUsdcAmount } from "../../pool/format";
import { addressSchema, marketIdSchema, parseParameters } from "../../pool/schemas";
import type { Coverage, StressResult } from "../../pool/types";
import { shockBpsSchema, stressAccountsSchema } from "../schemas";
import { readToken } from "../vaultToken";
import { getStressAllMarkets } from "./getStressAllMarkets";

/** The standard index shocks an LP is shown: -10, -20, -30 and -50 %. */
export const STANDARD_SHOCKS_BPS = [-1000n, -2000n, -3000n, -5000n] as const;

export type GetTrancheRiskParameters = {
  /** PerpLens address. */
  lens: Address;
  /** The accounts to stress (e.g. from the keeper's account discovery); subId defaults to 0. */
  accounts: readonly { owner: Address; subId?: bigint | number | undefined }[];
  /** Index shocks in bps (default STANDARD_SHOCKS_BPS). */
  shocksBps?: readonly (bigint | number)[] | undefined;
  /** Markets to shock one at a time (default every listed market). */
  marketIds?: readonly (bigint | number)[] | undefined;
  /** Also shock every market together (`getStressAllMarkets`); default true. */
  allMarkets?: boolean | undefined;
};

/**
 * What one shock does: the lens's liquidation stack (who falls, the bad debt, and how the waterfall splits it).
 * "Expected loss" to a tranche means: the loss it takes if the shock arrives now and the listed accounts are
 * liquidated at the shocked index. Amounts are WAD; `juniorCapital`/`seniorCapital` are what each can pay now.
 */
export type ShockOutcome = StressResult & {
  display: {
    totalBadDebt: CurrencyAmount<Token>;
    juniorLoss: CurrencyAmount<Token>;
    seniorLoss: CurrencyAmount<Token>;
    socialized: CurrencyAmount<Token>;
    /** juniorLoss / juniorCapital (null with no junior capital). */
    juniorLossOfCapital: Percent | null;
    /** seniorLoss / seniorCapital (null with no senior capital). */
    seniorLossOfCapital: Percent | null;
  };
};

export type TrancheShock = {
  shockBps: bigint;
  /** One outcome per market in `marketIds`, that market shocked alone (the others at their index). */
  markets: ShockOutcome[];
  /** Every market shocked together; null when `allMarkets: false` was passed. */
  allMarkets: ShockOutcome | null;
  /** The worst single market for junior, then senior: the outcome with the largest junior + senior loss. */
  worstMarket: ShockOutcome | null;
};

export type GetTrancheRiskReturnType = {
  collateral: Token;
  /** Junior and senior capital (WAD, each vault's totalAssets), open interest at the index, coverage. */
  coverage: Coverage & {
    display: {
      juniorCapital: CurrencyAmount<Token>;
      seniorCapital: CurrencyAmount<Token>;
      openInterest: CurrencyAmount<Token>;
      /** (junior + senior) / open interest; null with no open interest (infinite coverage). */
      coverage: Percent | null;
    };
  };
  shocks: TrancheShock[];
};

const schema = z.object({
  lens: addressSchema,
  accounts: stressAccountsSchema,
  shocksBps: z.array(shockBpsSchema).min(1).optional(),
  marketIds: z.array(marketIdSchema).optional(),
  allMarkets: z.boolean().default(true),
});

const share = (part: bigint, whole: bigint) => (whole === 0n ? null : new Percent(part.toString(), whole.toString()));

function outcome(collateral: Token, r: StressResult): ShockOutcome {
  return {
    ...r,
    display: {
      totalBadDebt: wadToUsdcAmount(collateral, r.totalBadDebt),
      juniorLoss: wadToUsdcAmount(collateral, r.juniorLoss),
      seniorLoss: wadToUsdcAmount(collateral, r.seniorLoss),
      socialized: wadToUsdcAmount(collateral, r.socialized),
      juniorLossOfCapital: share(r.juniorLoss, r.juniorCapital),
      seniorLossOfCapital: share(r.seniorLoss, r.seniorCapital),
    },
  };
}

/**
 * Risk per tranche: capital, coverage of open interest, and the loss to junior and senior at standard index
 * shocks, per market (and all markets together when asked), from the lens's liquidation stack.
 * @example
 * const risk = await getTrancheRisk(publicClient, { lens, accounts });
 * for (const s of risk.shocks) console.log(s.shockBps, s.worstMarket?.display.juniorLoss.toExact());
 */
export async function getTrancheRisk(
  client: PerpClient,
  parameters: GetTrancheRiskParameters,
): Promise<GetTrancheRiskReturnType> {
  const p = parseParameters("getTrancheRisk", schema, parameters);
  const owners = p.accounts.map((a) => a.owner);
  const subIds = p.accounts.map((a) => a.subId);
  try {
    const pool = await readContract(client, { address: p.lens, abi: perpLensAbi, functionName: "pool" });
    const [tokenAddress, marketCount, coverage] = await Promise.all([
      readContract(client, { address: pool, abi: perpPoolAbi, functionName: "collateralToken" }),
      readContract(client, { address: pool, abi: perpPoolAbi, functionName: "marketCount" }),
      readContract(client, { address: p.lens, abi: perpLensAbi, functionName: "coverage" }),
    ]);
    const collateral = await readToken(client, tokenAddress);
    const marketIds = p.marketIds ?? Array.from({ length: Number(marketCount) }, (_, i) => BigInt(i));
    const shocksBps = p.shocksBps ?? [...STANDARD_SHOCKS_BPS];

    const shocks = await Promise.all(
      shocksBps.map(async (shockBps): Promise<TrancheShock> => {
        const markets = await Promise.all(
          marketIds.map(async (marketId) =>
            outcome(
              collateral,
              await readContract(client, {
                address: p.lens,
                abi: perpLensAbi,
                functionName: "stressTest",
                args: [marketId, shockBps, owners, subIds],
              }),
            ),
          ),
        );
        const allMarkets = p.allMarkets
          ? outcome(collateral, await getStressAllMarkets(client, { lens: p.lens, shockBps, accounts: p.accounts }))
          : null;
        const worstMarket = markets.reduce<ShockOutcome | null>(
          (worst, m) => (!worst || m.juniorLoss + m.seniorLoss > worst.juniorLoss + worst.seniorLoss ? m : worst),
          null,
        );
        return { shockBps, markets, allMarkets, worstMarket };
      }),
    );

    return {
      collateral,
      coverage: {
        ...coverage,
        display: {
          juniorCapital: wadToUsdcAmount(collateral, coverage.juniorCapital),
          seniorCapital: wadToUsdcAmount(collateral, coverage.seniorCapital),
          openInterest: wadToUsdcAmount(collateral, coverage.openInterestNotional),
          coverage: coverage.coverageBps === MAX_UINT256 ? null : bpsToPercent(coverage.coverageBps),
        },
      },
      shocks,
    };
  } catch (err) {
    throw actionError("getTrancheRisk", err);
  }
}
