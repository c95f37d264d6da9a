// `client.extend(trancheActions({ lens }))`: the method form of the tranche actions.
import type { Address } from "viem";
import type { PerpClient } from "../pool/client";
import { claim } from "./actions/claim";
import { deposit } from "./actions/deposit";
import { getCoverage } from "./actions/getCoverage";
import { getStress } from "./actions/getStress";
import { getTranche } from "./actions/getTranche";
import { requestWithdraw } from "./actions/requestWithdraw";
import { settleClaim } from "./actions/settleClaim";

type Bound<fn, keys extends string> = fn extends (client: PerpClient, p: infer p) => infer r
  ? (p: Omit<p, keys>) => r
  : never;

export type TrancheActions = {
  deposit: Bound<typeof deposit, never>;
  requestWithdraw: Bound<typeof requestWithdraw, never>;
  claim: Bound<typeof claim, never>;
  settleClaim: Bound<typeof settleClaim, never>;
  getTranche: Bound<typeof getTranche, never>;
  getCoverage: () => ReturnType<typeof getCoverage>;
  getStress: Bound<typeof getStress, "lens">;
};

/**
 * @example
 * const lp = walletClient.extend(trancheActions({ lens }));
 * await lp.deposit({ vault: junior, amount: "5000" });
 */
export function trancheActions(addresses: { lens: Address }) {
  const { lens } = addresses;
  return (client: PerpClient): TrancheActions => ({
    deposit: (p) => deposit(client, p),
    requestWithdraw: (p) => requestWithdraw(client, p),
    claim: (p) => claim(client, p),
    settleClaim: (p) => settleClaim(client, p),
    getTranche: (p) => getTranche(client, p),
    getCoverage: () => getCoverage(client, { lens }),
    getStress: (p) => getStress(client, { ...p, lens }),
  });
}
