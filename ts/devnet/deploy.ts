// Deploys a contract from a generated ABI + bytecode and waits for it to be mined.
import type {
  Abi,
  Account,
  Address,
  Chain,
  ContractConstructorArgs,
  Hex,
  PublicClient,
  Transport,
  WalletClient,
} from "viem";
import { PerpError, toPerpError } from "../errors";

export type DeployParameters<abi extends Abi> = {
  abi: abi;
  bytecode: Hex;
  /** Used in error messages; default "contract". */
  name?: string;
} & (readonly [] extends ContractConstructorArgs<abi>
  ? { args?: ContractConstructorArgs<abi> | undefined }
  : { args: ContractConstructorArgs<abi> });

/**
 * Sends the deployment from `walletClient`'s account, waits for the receipt and returns the new address.
 * Constructor `args` are typed from the ABI (and required only when the constructor takes some).
 * Throws a PerpError naming the contract on failure (a decoded custom error when the constructor reverts).
 * @example
 * const usdc = await deployContract(deployer, publicClient, { abi: testUsdcAbi, bytecode: testUsdcBytecode });
 * const feed = await deployContract(deployer, publicClient, { abi: settableFeedAbi, bytecode, args: [2000n * 10n ** 8n] });
 */
export async function deployContract<const abi extends Abi>(
  walletClient: WalletClient<Transport, Chain, Account>,
  publicClient: PublicClient<Transport, Chain | undefined>,
  parameters: DeployParameters<abi>,
): Promise<Address> {
  const {
    abi,
    bytecode,
    args,
    name = "contract",
  } = parameters as DeployParameters<Abi> & { args?: readonly unknown[] };
  let hash: Hex;
  try {
    hash = await walletClient.deployContract({
      abi,
      bytecode,
      args: args ?? [],
      account: walletClient.account,
      chain: walletClient.chain,
    });
  } catch (err) {
    throw toPerpError(err, `Deployment of ${name} failed`, abi);
  }
  const receipt = await publicClient.waitForTransactionReceipt({ hash }).catch((err: unknown) => {
    throw toPerpError(err, `Deployment of ${name}: no receipt for ${hash}`);
  });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new PerpError(`Deployment of ${name} reverted`, {
      details: `tx ${hash} in block ${receipt.blockNumber}, gas used ${receipt.gasUsed}`,
    });
  }
  return receipt.contractAddress;
}
