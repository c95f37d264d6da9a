// `ITailRiskOracle.Post` as the TypeScript side builds it (viem encodes it as the struct).
import type { Hex } from "viem";

export type ITailRiskPost = {
  /** Asset units. */
  juniorEs99: bigint;
  juniorCapital: bigint;
  stressLoss: bigint;
  blockNumber: bigint;
  seed: bigint;
  paths: number;
  reportHash: Hex;
};
