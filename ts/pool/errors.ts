// Every custom error the SDK may meet (pool, lens, libraries, vaults, ERC-20, oracle), for decoding reverts.
import { protocolErrorAbi } from "../chain/protocolErrors";
import { type PerpError, toPerpError } from "../errors";

/**
 * Wraps an RPC or contract failure of `action` into a PerpError; a revert becomes a ContractRevertError with
 * the custom error's name and args ("trade: InsufficientMargin: value=... required=...").
 */
export function actionError(action: string, err: unknown): PerpError {
  return toPerpError(err, action, protocolErrorAbi);
}
