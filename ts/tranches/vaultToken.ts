// The token a tranche vault's amounts are shown in: its ERC-4626 asset (the collateral), as an sdk-core Token.
import { Token } from "@uniswap/sdk-core";
import { type Address, erc20Abi } from "viem";
import { getChainId, readContract } from "viem/actions";
import { trancheVaultAbi } from "../abi/generated";
import type { PerpClient } from "../pool/client";

/** The vault's asset as a Token (chain id from the client's chain, else eth_chainId), with the vault's share decimals. */
export async function readVaultToken(
  client: PerpClient,
  vault: Address,
): Promise<{ asset: Token; shareDecimals: number }> {
  const address = await readContract(client, { address: vault, abi: trancheVaultAbi, functionName: "asset" });
  const [chainId, decimals, symbol, shareDecimals] = await Promise.all([
    client.chain?.id ?? getChainId(client),
    readContract(client, { address, abi: erc20Abi, functionName: "decimals" }),
    readContract(client, { address, abi: erc20Abi, functionName: "symbol" }),
    readContract(client, { address: vault, abi: trancheVaultAbi, functionName: "decimals" }),
  ]);
  return { asset: new Token(chainId, address, decimals, symbol), shareDecimals };
}
