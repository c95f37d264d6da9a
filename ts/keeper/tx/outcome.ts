// How the keeper reads a failed simulation: a revert that means "someone already did it" is done, not an error.
import { protocolErrorAbi } from "../../chain/protocolErrors";
import { type DecodedContractError, decodeContractError } from "../../errors";

/** Reverts that mean the job's purpose is already served: liquidated / healthy now / funding not due. */
export const DONE_ERRORS = new Set(["AccountHealthy", "NothingToLiquidate", "FundingNotDue"]);

export type Classified =
  | { kind: "done"; reason: string }
  | { kind: "revert"; decoded: DecodedContractError | undefined; message: string }
  | { kind: "transient"; message: string };

/** Transport-level failures (timeouts, 5xx, 429, malformed replies) are transient; reverts are not. */
export function classify(err: unknown): Classified {
  const decoded = decodeContractError(err, protocolErrorAbi);
  if (decoded && DONE_ERRORS.has(decoded.name)) return { kind: "done", reason: decoded.message };
  if (decoded) return { kind: "revert", decoded, message: decoded.message };
  const message = shortMessage(err);
  if (isRevertWithoutData(err)) return { kind: "revert", decoded: undefined, message };
  return { kind: "transient", message };
}

function isRevertWithoutData(err: unknown): boolean {
  let e: unknown = err;
  for (let d = 0; e && d < 10; d++) {
    const name = (e as { name?: string }).name ?? "";
    if (/ExecutionRevertedError|ContractFunctionRevertedError/.test(name)) return true;
    if (/HttpRequestError|TimeoutError/.test(name)) return false;
    e = (e as { cause?: unknown }).cause;
  }
  return /execution reverted|out of gas|gas required exceeds/i.test(shortMessage(err));
}

export function shortMessage(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string };
  return (e?.shortMessage ?? e?.message ?? String(err)).split("\n")[0] ?? "unknown error";
}
