import type { Account, Chain, Client, Transport } from "viem";

/** Any viem client (public or wallet); write actions need an account, on the client or in the parameters. */
export type PerpClient = Client<Transport, Chain | undefined, Account | undefined>;
