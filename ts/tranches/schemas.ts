// zod schemas the LP risk views share: an index shock and the accounts to stress.
import { z } from "zod";
import { addressSchema, subIdSchema } from "../pool/schemas";

/** Index shock in bps, e.g. -3000 for a 30 % drop; in (-10000, 100000] as PerpLens.stressTest accepts. */
export const shockBpsSchema = z
  .union([z.bigint(), z.number().int({ message: "shockBps must be an integer" })])
  .transform((v) => BigInt(v))
  .refine((v) => v > -10_000n && v <= 100_000n, { message: "shockBps must be in (-10000, 100000]" });

/** The accounts to stress: `{ owner, subId }` (subId default 0, the cross account), e.g. from an event index. */
export const stressAccountsSchema = z.array(z.object({ owner: addressSchema, subId: subIdSchema }));
