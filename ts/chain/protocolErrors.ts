// Every custom error any protocol contract can revert with, in one ABI, so a failed call decodes to a name
// ("InsufficientMargin: value=... required=...") whichever contract reverted: pool, lens, libraries, vaults,
// backstop, oracle, feeds, ERC-20.
import type { Abi } from "viem";
import {
  backstopAbi,
  oracleRouterAbi,
  perpLensAbi,
  perpPoolAbi,
  settableFeedAbi,
  testUsdcAbi,
  trancheVaultAbi,
} from "../abi/generated";

export const protocolErrorAbi: Abi = dedupeErrors([
  ...perpPoolAbi,
  ...perpLensAbi,
  ...trancheVaultAbi,
  ...backstopAbi,
  ...oracleRouterAbi,
  ...settableFeedAbi,
  ...testUsdcAbi,
]);

function dedupeErrors(items: Abi): Abi {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (item.type !== "error") return false;
    const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
