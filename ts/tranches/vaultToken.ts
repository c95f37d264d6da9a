// The token LP amounts are shown in: the collateral (a tranche vault's ERC-4626 asset), as an sdk-core Token.
import { Token } from "@uniswap/sdk-core";
import { type Address, erc20Abi } from "viem";
import { getChainId, readContract } from "viem/actions";
import { trancheVaultAbi } from "../abi/generated";
import type { PerpClient } from "../pool/client";

/** An ERC-20 as a Token (chain id from the client's chain, else eth_chainId; decimals and symbol read on chain). */
export async function readToken(client: PerpClient, address: Address): Promise<Token> {
  const [chainId, decimals, symbol] = await Promise.all([
    client.chain?.id ?? getChainId(client),
    readContract(client, { address, abi: erc20Abi, functionName: "decimals" }),
    readContract(client, { address, abi: erc20Abi, functionName: "symbol" }),
  ]);
  return new Token(chainId, address, decimals, symbol);
}

/** The vault's asset as a Token, and the vault's share decimals (asset decimals + the virtual-share offset). */
export async function readVaultToken(
  client: PerpClient,
  vault: Address,
): Promise<{ asset: Token; shareDecimals: number }> {
  const [address, shareDecimals] = await Promise.all([
    readContract(client, { address: vault, abi: trancheVaultAbi, functionName: "asset" }),
    readContract(client, { address: vault, abi: trancheVaultAbi, functionName: "decimals" }),
  ]);
  return { asset: await readToken(client, address), shareDecimals };
}
