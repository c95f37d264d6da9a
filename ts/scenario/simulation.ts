// The block loop: each block, the index moves (feeds set), the crowd and the arbitrageur trade, the block is mined
// at a chosen timestamp, then the in-process keeper ticks on it (what it sends lands in the next block).
import type { Address } from "viem";
import { formatUnits } from "viem";
import { oracleRouterAbi, perpPoolAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import type { ProtocolWallet } from "../deploy/txQueue";
import type { DevClients } from "../devnet/clients";
import type { Keeper } from "../keeper";
import type { MarketConfig } from "../pool/types";
import type { Actors } from "./actors";
import { arbitrageTrade } from "./arbitrageur";
import { BlockBatch, type MinedItem } from "./blockBatch";
import type { TraderSpec } from "./book";
import type { ChainClock } from "./chainClock";
import { adjustment, type Chunk, type LegRef, legRefs, openingBlocks } from "./crowd";
import { feedAnswerOf, type IndexPath } from "./indexPath";
import { inventorySales, saleToTake } from "./inventorySale";

export type SimulationContext = {
  clients: DevClients;
  deployment: Deployment;
  actors: Actors;
  clock: ChainClock;
  keeper: Keeper;
  path: IndexPath;
  crowd: readonly TraderSpec[];
  traders: readonly ProtocolWallet[];
  arbitrageur: ProtocolWallet;
  random: () => number;
  progress: (line: string) => void;
};

const DEADLINE_SECONDS = 3_600n;
const NORMAL = 0;

export class Simulation {
  now: bigint;
  readonly trades = { crowd: 0, arbitrage: 0, failed: 0 };
  /** The arbitrageur's inventory takes that mined. */
  inventoryTakes = 0;
  readonly legs: LegRef[];
  /** The legs the crowd adjusts (not the steady desk and naked trader). */
  private readonly adjustable: LegRef[];
  private readonly current = new Map<LegRef, bigint>();
  private configs: MarketConfig[] = [];
  blocks = 0;

  constructor(
    private readonly ctx: SimulationContext,
    start: bigint,
  ) {
    this.now = start;
    this.legs = legRefs(ctx.crowd);
    this.adjustable = this.legs.filter((l) => !l.steady);
    for (const l of this.legs) this.current.set(l, 0n);
  }

  async init(): Promise<void> {
    const { publicClient } = this.ctx.clients;
    const pool = this.ctx.deployment.contracts.pool;
    this.configs = await Promise.all(
      this.ctx.deployment.markets.map((m) =>
        publicClient.readContract({
          address: pool,
          abi: perpPoolAbi,
          functionName: "marketConfig",
          args: [BigInt(m.marketId)],
        }),
      ),
    );
  }

  /**
   * Mines one block `dt` seconds after the last: feeds at `prices` (if given), then `build`'s transactions;
   * the keeper then ticks on it. Returns the block and what it held.
   */
  async block(
    dt: bigint,
    prices: readonly bigint[] | undefined,
    build?: (batch: BlockBatch) => Promise<void> | void,
  ): Promise<{ block: bigint; items: MinedItem[] }> {
    this.now += dt;
    const batch = new BlockBatch();
    if (prices) {
      this.ctx.deployment.markets.forEach((m, i) => {
        const price = prices[i];
        if (price === undefined) return;
        for (const tx of this.ctx.actors.setFeeds(m.marketId, feedAnswerOf(price, m.feedDecimals)))
          batch.add("feed", tx);
      });
    }
    await build?.(batch);
    const mined = await batch.mine(this.ctx.clock, this.now);
    this.blocks++;
    for (const item of mined.items) {
      const ok = item.receipt.status === "success";
      if (item.kind === "crowd" || item.kind === "arbitrage") {
        if (ok) this.trades[item.kind]++;
        else this.trades.failed++;
      } else if (item.kind === "sale" && ok) {
        this.inventoryTakes++;
      } else if (!ok) {
        this.ctx.progress(`[warn] ${item.label} reverted in block ${mined.block}`);
      }
    }
    for (const r of batch.refused) {
      if (r.kind === "crowd" || r.kind === "arbitrage") this.trades.failed++;
      else this.ctx.progress(`[warn] ${r.kind} refused: ${r.reason}`);
    }
    await this.ctx.keeper.tick();
    return mined;
  }

  /** The crowd opens its book over a few blocks, `dt` apart, the arbitrageur following. */
  async openBook(dt: bigint): Promise<void> {
    const plan = openingBlocks(this.legs);
    for (const [i, chunks] of plan.entries()) {
      await this.block(dt, undefined, async (b) => {
        for (const c of chunks) this.sendCrowd(b, c);
        await this.arbitrage(b, this.ctx.path.prices);
      });
      this.ctx.progress(`[book] opening ${i + 1}/${plan.length}: ${chunks.length} trades`);
    }
  }

  /**
   * One trading step: the index moves, `adjustments` crowd legs trade, the arbitrageur follows (and takes the
   * backstop's inventory once its discount has stopped growing).
   */
  async tradingStep(dt: bigint, adjustments: number, extra?: (b: BlockBatch) => Promise<void> | void) {
    const prices = this.ctx.path.step();
    return this.block(dt, prices, async (b) => {
      const picked = new Set<LegRef>();
      for (let i = 0; i < adjustments; i++) {
        const ref = this.adjustable[Math.floor(this.ctx.random() * this.adjustable.length)] as LegRef;
        if (picked.has(ref)) continue;
        picked.add(ref);
        const size = adjustment(ref, this.current.get(ref) ?? 0n);
        if (size !== 0n) this.sendCrowd(b, { ref, size });
      }
      await this.arbitrage(b, prices);
      await this.takeInventory(b, prices);
      await extra?.(b);
    });
  }

  private sendCrowd(batch: BatchLike, chunk: Chunk): void {
    const { trader } = chunk.ref;
    const spec = this.ctx.crowd[trader] as TraderSpec;
    const wallet = this.ctx.traders[trader] as ProtocolWallet;
    const side = chunk.size > 0n ? "buys" : "sells";
    const label = `${spec.name} ${side} ${formatUnits(abs(chunk.size), 18)} ${this.symbol(chunk.ref.marketId)}`;
    batch.add(
      "crowd",
      this.ctx.actors.trade(wallet, spec.subId, chunk.ref.marketId, chunk.size, this.now + DEADLINE_SECONDS, label),
      () => this.current.set(chunk.ref, (this.current.get(chunk.ref) ?? 0n) + chunk.size),
    );
  }

  /** The arbitrageur's trades for this block, valued at the index `prices` this block sets. */
  async arbitrage(batch: BatchLike, prices: readonly bigint[]): Promise<void> {
    const { publicClient } = this.ctx.clients;
    const { pool, oracle } = this.ctx.deployment.contracts;
    const arb: Address = this.ctx.arbitrageur.account.address;
    for (const m of this.ctx.deployment.markets) {
      const id = BigInt(m.marketId);
      const [state, position, [, status]] = await Promise.all([
        publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketState", args: [id] }),
        publicClient.readContract({ address: pool, abi: perpPoolAbi, functionName: "position", args: [arb, 0n, id] }),
        publicClient.readContract({ address: oracle, abi: oracleRouterAbi, functionName: "peek", args: [id] }),
      ]);
      // A reduce-only or halted oracle refuses trades that add risk: the arbitrageur waits for Normal.
      if (status !== NORMAL) continue;
      const index = prices[m.marketId];
      const config = this.configs[m.marketId];
      if (index === undefined || !config) continue;
      const t = arbitrageTrade({ state, config, index, position });
      if (!t) continue;
      const label = `arbitrageur ${t.sizeDelta > 0n ? "buys" : "sells"} ${formatUnits(abs(t.sizeDelta), 18)} ${m.symbol}`;
      batch.add(
        "arbitrage",
        this.ctx.actors.trade(this.ctx.arbitrageur, 0n, id, t.sizeDelta, this.now + DEADLINE_SECONDS, label),
      );
    }
  }

  /**
   * The arbitrageur takes the backstop's inventory of a market, all of it, at the descending discount once the
   * discount has reached its cap (`saleToTake`), paying at most the index this block sets.
   */
  async takeInventory(batch: BatchLike, prices: readonly bigint[]): Promise<void> {
    for (const sale of await inventorySales(this.ctx.clients, this.ctx.deployment)) {
      const config = this.configs[Number(sale.marketId)];
      const index = prices[Number(sale.marketId)];
      if (!config || index === undefined) continue;
      const take = saleToTake(sale, config.liquidationPenaltyBps, index);
      if (!take) continue;
      const label = `arbitrageur takes ${formatUnits(take.maxBase, 18)} ${this.symbol(sale.marketId)} of the backstop's inventory`;
      batch.add(
        "sale",
        this.ctx.actors.takeInventory(
          this.ctx.arbitrageur,
          0n,
          sale.marketId,
          take.maxBase,
          take.priceLimit,
          this.now + DEADLINE_SECONDS,
          label,
        ),
      );
      this.ctx.progress(`[sale] ${label}, discount ${formatUnits(sale.discountPerBase, 18)} per base`);
    }
  }

  private symbol(marketId: bigint): string {
    return this.ctx.deployment.markets[Number(marketId)]?.symbol ?? `#${marketId}`;
  }

  /**
   * Mines empty blocks one second apart, ticking the keeper, until it has nothing left to send (its mempool is
   * empty after a tick): the state the prediction is computed on is then the state the crash lands on.
   */
  async settleKeeper(maxBlocks = 8): Promise<void> {
    for (let i = 0; i < maxBlocks; i++) {
      if ((await this.ctx.clock.pendingCount()) === 0) return;
      await this.block(1n, undefined);
    }
    throw new Error(`the keeper still had transactions to send after ${maxBlocks} quiet blocks`);
  }
}

type BatchLike = Pick<BlockBatch, "add">;

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
