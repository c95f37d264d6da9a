// The eight-market book both portfolio differentials run on (portfolioDifferential, stressDifferential): ETH and BTC
// from the fixture plus six more markets of 20M of depth each, a risk engine with the bench's synthetic grid set on
// the pool, and four traders funded from 3,000 to 2,000,000 USDC; and the random trade they draw.
import fc from "fast-check";
import { oracleRouterAbi, perpPoolAbi, riskEngineAbi, riskEngineBytecode } from "../../../ts/abi/generated";
import type { DevClients, DevWalletClient } from "../../../ts/devnet/clients";
import { deployContract } from "../../../ts/devnet/deploy";
import { syntheticGrid } from "../../../ts/keeper/bench/syntheticBook";
import { WAD } from "../../../ts/money";
import type { RiskGrid } from "../../../ts/pool/math/portfolioMath";
import {
  BTC_PRICE,
  defaultConfig,
  defaultOracleConfig,
  deployProtocolFixture,
  ETH_PRICE,
  fundTrader,
  listMarket,
  type Protocol,
  send,
} from "./fixture";

export const PRICES: readonly bigint[] = [
  ETH_PRICE,
  BTC_PRICE,
  150n * WAD,
  (6n * WAD) / 10n,
  25n * WAD,
  7n * WAD,
  3_000n * WAD,
  (12n * WAD) / 10n,
];
export const DEPOSITS: readonly bigint[] = [3_000n, 20_000n, 200_000n, 2_000_000n].map((usdc) => usdc * 10n ** 6n);

export const bookTraders = (chain: DevClients): DevWalletClient[] => [
  chain.wallet(1),
  chain.wallet(2),
  chain.wallet(3),
  chain.wallet(4),
];

/**
 * Deploys the book. `jumpThresholdsBps`: each market's breaker threshold (default: the fixture's oracle config).
 */
export async function deployEightMarketBook(
  chain: DevClients,
  options: { jumpThresholdsBps?: readonly number[] } = {},
): Promise<{ p: Protocol; grid: RiskGrid }> {
  const grid = syntheticGrid();
  const p = await deployProtocolFixture(chain);
  for (let m = 2; m < PRICES.length; m++) {
    const price = PRICES[m] as bigint;
    await listMarket(chain, p, (20_000_000n * WAD * WAD) / price, price, defaultConfig());
  }
  for (const [m, jumpThresholdBps] of (options.jumpThresholdsBps ?? []).entries()) {
    await send(chain, p.admin, {
      address: p.oracle,
      abi: oracleRouterAbi,
      functionName: "setFeeds",
      args: [BigInt(m), p.feeds.get(BigInt(m)) ?? [], { ...defaultOracleConfig, jumpThresholdBps }],
    });
  }
  const engine = await deployContract(chain.deployer, chain.publicClient, {
    abi: riskEngineAbi,
    bytecode: riskEngineBytecode,
    args: [
      grid.scenarios.map((s) => ({
        weightPct: s.weightPct,
        moves: s.moves as unknown as readonly [0, 0, 0, 0, 0, 0, 0, 0],
      })),
      grid.floorBps,
    ],
    name: "RiskEngine",
  });
  await send(chain, p.admin, { address: p.pool, abi: perpPoolAbi, functionName: "setRiskEngine", args: [engine] });
  for (const [i, t] of bookTraders(chain).entries()) await fundTrader(chain, p, t, DEPOSITS[i] as bigint);
  return { p, grid };
}

/** One random trade: a trader, a market, a side and a notional as a multiple of the trader's deposit. */
export const randomTrade = fc.record({
  who: fc.integer({ min: 0, max: 3 }),
  market: fc.integer({ min: 0, max: 7 }),
  /** Notional as a multiple of the trader's deposit (the tiers' 10 % IM allows about 9x in all). */
  leverage: fc.integer({ min: 5, max: 60 }).map((tenths) => tenths / 10),
  long: fc.boolean(),
});
