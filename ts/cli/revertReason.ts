// A decoded revert in human units: the custom error's amounts as USDC, prices, base sizes, times and
// percentages instead of raw integers ("InsufficientMargin: value=812.40 USDC required=1,000.00 USDC").

import { formatBps, formatUsdc, formatWad } from "../display/amounts";
import type { ContractRevertError } from "../errors";
import { formatPlain } from "../errors";

type Unit = "wadUsdc" | "usdc" | "price" | "base" | "bps" | "time" | "plain";

/** Units of each argument of the errors a trader or LP meets; others print plainly. */
const UNITS: Record<string, readonly Unit[]> = {
  InsufficientMargin: ["wadUsdc", "wadUsdc"],
  NegativeEquity: ["wadUsdc"],
  InsufficientCollateral: ["wadUsdc", "wadUsdc"],
  SlippageExceeded: ["wadUsdc", "wadUsdc"],
  PriceBandExceeded: ["price", "price", "bps"],
  BlockMoveLimitExceeded: ["price", "price", "bps"],
  OpenInterestCapExceeded: ["plain", "base", "base"],
  DustPosition: ["base", "base"],
  TooManyLegs: ["plain", "plain"],
  DuplicateLeg: ["plain"],
  AccountHealthy: ["wadUsdc", "wadUsdc"],
  DeadlinePassed: ["time", "time"],
  SalePriceBeyondLimit: ["price", "price"],
  WithdrawRequestPending: ["plain", "plain", "time"],
  CooldownActive: ["time"],
  ClaimWindowExpired: ["time"],
  ERC20InsufficientBalance: ["plain", "usdc", "usdc"],
  ERC20InsufficientAllowance: ["plain", "usdc", "usdc"],
};

function show(unit: Unit, v: unknown): string {
  if (typeof v !== "bigint") return formatPlain(v);
  switch (unit) {
    case "wadUsdc":
      return `${formatWad(v)} USDC`;
    case "usdc":
      return `${formatUsdc(v)} USDC`;
    case "price":
      return formatWad(v);
    case "base":
      return formatWad(v, 4);
    case "bps":
      return formatBps(v);
    case "time":
      return new Date(Number(v) * 1000).toISOString().replace(".000Z", "Z");
    default:
      return formatPlain(v);
  }
}

/** The error's message with its arguments in human units (the action prefix kept). */
export function humanRevert(err: ContractRevertError): string {
  const units = UNITS[err.errorName];
  const at = err.shortMessage.indexOf(err.errorName);
  if (!units || at < 0) return err.shortMessage;
  const decoded = err.shortMessage.slice(at);
  const labels = [...decoded.matchAll(/ (\w+)=/g)].map((m) => m[1]);
  const parts = err.args.map((v, i) => `${labels[i] ?? `arg${i}`}=${show(units[i] ?? "plain", v)}`);
  return `${err.shortMessage.slice(0, at)}${err.errorName}${parts.length ? `: ${parts.join(" ")}` : ""}`;
}
