// The devnet's faucet: the deployer mints test USDC (TestUSDC's mint is open) to anvil's dev accounts, so any
// `--account N` can deposit margin or LP capital straight away.
import { parseUnits } from "viem";
import { testUsdcAbi } from "../abi/generated";
import type { Deployment } from "../deploy/deployment";
import { devAccount } from "../devnet/clients";
import { COLLATERAL_DECIMALS } from "../money";
import { sendContract } from "../pool/write";
import type { Connection } from "./connect";

/** Mints `usdc` whole tokens to each of dev accounts 0..count-1, one mined transaction each. */
export async function mintDevUsdc(conn: Connection, deployment: Deployment, count: number, usdc: bigint) {
  const amount = parseUnits(usdc.toString(), COLLATERAL_DECIMALS);
  for (let i = 0; i < count; i++) {
    await sendContract(conn.deployer, "faucet", {
      address: deployment.contracts.usdc,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [devAccount(i).address, amount],
    });
  }
}
