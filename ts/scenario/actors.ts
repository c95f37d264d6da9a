// Everyone who sends transactions in a scenario, each with its own TxQueue (local nonces, so one block can hold
// a transaction from every actor), and the calls they make, encoded once here.
import { type Address, encodeFunctionData } from "viem";
import {
  iTailRiskOracleAbi,
  iTrancheBoostAbi,
  perpPoolAbi,
  settableFeedAbi,
  testUsdcAbi,
  trancheVaultAbi,
} from "../abi/generated";
import { protocolErrorAbi } from "../chain/protocolErrors";
import type { Deployment } from "../deploy/deployment";
import { type ProtocolWallet, type SentTx, TxQueue } from "../deploy/txQueue";
import type { DevClients } from "../devnet/clients";
import { MAX_UINT256 } from "../money";
import type { ITailRiskPost } from "../risk/verifyTypes";

export class Actors {
  private readonly queues = new Map<Address, TxQueue>();

  constructor(
    readonly clients: DevClients,
    readonly deployment: Deployment,
    /** Oracle refresh gas an estimate cannot see (ts/chain/oracleGas.ts). */
    readonly oracleGas: bigint,
  ) {}

  queue(wallet: ProtocolWallet): TxQueue {
    let q = this.queues.get(wallet.account.address);
    if (!q) {
      q = new TxQueue(wallet, this.clients.publicClient, protocolErrorAbi);
      this.queues.set(wallet.account.address, q);
    }
    return q;
  }

  mint(to: Address, amount: bigint): Promise<SentTx> {
    return this.queue(this.clients.deployer).send(`usdc.mint(${to})`, {
      to: this.deployment.contracts.usdc,
      data: encodeFunctionData({ abi: testUsdcAbi, functionName: "mint", args: [to, amount] }),
    });
  }

  approve(wallet: ProtocolWallet, spender: Address): Promise<SentTx> {
    return this.queue(wallet).send("usdc.approve", {
      to: this.deployment.contracts.usdc,
      data: encodeFunctionData({ abi: testUsdcAbi, functionName: "approve", args: [spender, MAX_UINT256] }),
    });
  }

  depositMargin(wallet: ProtocolWallet, subId: bigint, amount: bigint): Promise<SentTx> {
    return this.queue(wallet).send(`depositMargin(${subId})`, {
      to: this.deployment.contracts.pool,
      data: encodeFunctionData({ abi: perpPoolAbi, functionName: "depositMargin", args: [subId, amount] }),
    });
  }

  vaultDeposit(wallet: ProtocolWallet, vault: Address, amount: bigint): Promise<SentTx> {
    return this.queue(wallet).send("vault.deposit", {
      to: vault,
      data: encodeFunctionData({
        abi: trancheVaultAbi,
        functionName: "deposit",
        args: [amount, wallet.account.address],
      }),
    });
  }

  requestWithdraw(wallet: ProtocolWallet, vault: Address, shares: bigint): Promise<SentTx> {
    return this.queue(wallet).send("vault.requestWithdraw", {
      to: vault,
      data: encodeFunctionData({ abi: trancheVaultAbi, functionName: "requestWithdraw", args: [shares] }),
    });
  }

  claim(wallet: ProtocolWallet, vault: Address): Promise<SentTx> {
    return this.queue(wallet).send("vault.claim", {
      to: vault,
      data: encodeFunctionData({ abi: trancheVaultAbi, functionName: "claim" }),
    });
  }

  /** The steward (the deployer in a scenario) posts a risk report's figure to the tail-risk oracle. */
  postFigure(oracle: Address, post: ITailRiskPost): Promise<SentTx> {
    return this.queue(this.clients.deployer).send(`tailRisk.post(block ${post.blockNumber})`, {
      to: oracle,
      data: encodeFunctionData({ abi: iTailRiskOracleAbi, functionName: "post", args: [post] }),
    });
  }

  claimBoost(wallet: ProtocolWallet, vault: Address): Promise<SentTx> {
    return this.queue(wallet).send("vault.claimBoost", {
      to: vault,
      data: encodeFunctionData({ abi: iTrancheBoostAbi, functionName: "claimBoost" }),
    });
  }

  /** Step two of a claim: pays `owner` once the settlement delay has passed (anyone may send it). */
  settleClaim(wallet: ProtocolWallet, vault: Address, owner: Address): Promise<SentTx> {
    return this.queue(wallet).send("vault.settleClaim", {
      to: vault,
      data: encodeFunctionData({ abi: trancheVaultAbi, functionName: "settleClaim", args: [owner] }),
    });
  }

  syncBackstopCapital(): Promise<SentTx> {
    return this.queue(this.clients.deployer).send("pool.syncBackstopCapital", {
      to: this.deployment.contracts.pool,
      data: encodeFunctionData({ abi: perpPoolAbi, functionName: "syncBackstopCapital" }),
    });
  }

  /** A market trade at any price (the scenario sizes its trades from the exact quote just before). */
  trade(
    wallet: ProtocolWallet,
    subId: bigint,
    marketId: bigint,
    sizeDelta: bigint,
    deadline: bigint,
    label: string,
  ): Promise<SentTx> {
    const quoteLimit = sizeDelta > 0n ? MAX_UINT256 : 0n;
    return this.queue(wallet).send(
      label,
      {
        to: this.deployment.contracts.pool,
        data: encodeFunctionData({
          abi: perpPoolAbi,
          functionName: "trade",
          args: [wallet.account.address, subId, marketId, sizeDelta, quoteLimit, deadline],
        }),
      },
      { extraGas: this.oracleGas },
    );
  }

  /**
   * Take up to `maxBase` of the backstop's inventory on `marketId` into `(wallet, subId)` at the descending discount,
   * paying at most (a long) or receiving at least (a short) `priceLimit` per base.
   */
  takeInventory(
    wallet: ProtocolWallet,
    subId: bigint,
    marketId: bigint,
    maxBase: bigint,
    priceLimit: bigint,
    deadline: bigint,
    label: string,
  ): Promise<SentTx> {
    return this.queue(wallet).send(
      label,
      {
        to: this.deployment.contracts.pool,
        data: encodeFunctionData({
          abi: perpPoolAbi,
          functionName: "takeInventory",
          args: [marketId, subId, maxBase, priceLimit, deadline],
        }),
      },
      { extraGas: this.oracleGas },
    );
  }

  /** Every feed of market `marketId` answers `answer` (the deployer owns the feeds). */
  setFeeds(marketId: number, answer: bigint): Promise<SentTx>[] {
    const market = this.deployment.markets[marketId];
    if (!market) return [];
    return market.feeds.map((feed, i) =>
      this.queue(this.clients.deployer).send(`feed.setAnswer(${market.symbol} #${i + 1})`, {
        to: feed,
        data: encodeFunctionData({ abi: settableFeedAbi, functionName: "setAnswer", args: [answer] }),
      }),
    );
  }
}
