// Every custom error the SDK may meet (pool, lens, libraries, vaults, ERC-20, oracle), for decoding reverts.
import type { Abi } from "viem";
import { oracleRouterAbi, perpLensAbi, perpPoolAbi, testUsdcAbi, trancheVaultAbi } from "../abi/generated";
import { type PerpError, toPerpError } from "../errors";

const seen = new Set<string>();
/** The error items of the pool, lens, oracle, tranche vault and ERC-20 ABIs, deduplicated by signature. */
export const protocolErrorsAbi: Abi = [
  ...perpPoolAbi,
  ...perpLensAbi,
  ...trancheVaultAbi,
  ...oracleRouterAbi,
  ...testUsdcAbi,
].filter((item) => {
  if (item.type !== "error") return false;
  const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}) as Abi;

/**
 * Wraps an RPC or contract failure of `action` into a PerpError; a revert becomes a ContractRevertError with
 * the custom error's name and args ("trade: InsufficientMargin: value=... required=...").
 */
export function actionError(action: string, err: unknown): PerpError {
  return toPerpError(err, action, protocolErrorsAbi);
}
