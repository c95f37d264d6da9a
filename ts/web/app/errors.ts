// Errors as a person reads them: a bad input says which field and why; a contract revert is decoded by the SDK
// (ts/errors.ts) and, for the reverts people meet most, said in words with the amounts formatted.
import type { Token } from "@uniswap/sdk-core";
import { ContractRevertError, PerpError } from "../../errors";
import { InvalidParametersError } from "../../pool/schemas";
import { usd, usd6, when } from "./fmt";

type Explain = (args: readonly unknown[], usdc: Token) => string;
const big = (v: unknown) => (typeof v === "bigint" ? v : 0n);

/** Plain words for the common reverts; anything else shows the SDK's decoded `Name: arg=value`. */
const EXPLAIN: Record<string, Explain> = {
  InsufficientMargin: ([value, required], u) =>
    `Not enough margin: the account would be worth ${usd(u, big(value))} USDC, it needs ${usd(u, big(required))} USDC.`,
  InsufficientCollateral: ([requested, available], u) =>
    `Only ${usd(u, big(available))} USDC can be withdrawn (asked ${usd(u, big(requested))}).`,
  NegativeEquity: ([value], u) => `The account would be worth ${usd(u, big(value))} USDC, below zero.`,
  ERC20InsufficientBalance: ([, balance, needed], u) =>
    `Wallet balance too low: ${usd6(u, big(balance))} USDC, needs ${usd6(u, big(needed))} USDC.`,
  CooldownActive: ([unlock]) => `Still cooling down: claimable from ${when(big(unlock))}.`,
  ClaimWindowExpired: ([deadline]) => `The claim window closed at ${when(big(deadline))}: cancel and request again.`,
  WithdrawRequestPending: ([, , unlock]) =>
    `A withdrawal request is already open (unlocks ${when(big(unlock))}): cancel it first to request a new total.`,
  NoWithdrawRequest: () => "There is no open withdrawal request.",
  ReduceOnly: ([marketId]) => `Market ${marketId} is reduce-only (its oracle is not normal): only closes are allowed.`,
  OracleHalted: ([marketId]) => `Market ${marketId}'s oracle is halted.`,
  PriceBandExceeded: ([mark, index], u) =>
    `The trade would move the mark to ${usd(u, big(mark))}, too far from the index ${usd(u, big(index))}: trade smaller.`,
  BlockMoveLimitExceeded: () => "The trade would move the mark more than the per-block limit: trade smaller.",
  OpenInterestCapExceeded: ([, oi, cap], u) =>
    `Open interest cap reached: ${usd(u, big(oi))} base would exceed the cap of ${usd(u, big(cap))}.`,
  SlippageExceeded: () => "The price moved beyond the slippage tolerance: quote again.",
  DustPosition: () => "The position left would be below the market's minimum size.",
  DuplicateLeg: ([marketId]) => `Market ${marketId} is listed twice: one leg per market.`,
  TooManyLegs: ([count, max]) => `${count} legs: at most ${max} markets in one trade.`,
  NoLegs: () => "Add at least one leg.",
  TrancheWiped: () => "The tranche was wiped: it must be recapitalized first.",
  Paused: () => "The pool is paused.",
};

/** One line for the status bar. */
export function readableError(err: unknown, usdc: Token): string {
  if (err instanceof ContractRevertError) {
    const explain = EXPLAIN[err.errorName];
    if (explain) return explain(err.args, usdc);
    return err.shortMessage;
  }
  if (err instanceof InvalidParametersError) return err.shortMessage.replace(/^[^:]+: invalid parameters: /, "");
  if (err instanceof PerpError) return err.shortMessage;
  return err instanceof Error ? err.message : String(err);
}
