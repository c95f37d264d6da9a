// What a posted tail-risk figure is made of, in one place for the keeper that posts it and `perp risk verify` that
// reproduces it: the report's fixed options, the canonical report bytes the hash covers, the seed rule, and the
// conversion of the report's WAD figures into the oracle's asset units.
//
// The canonical form is report.json exactly as `stringifyReport` writes it, with the `code` field (the git commit
// and whether the tree was dirty) left out: that field says which checkout ran the report, not what the report found,
// and it differs between the keeper's machine and a verifier's even when the code that computes the figures is the
// same. Everything else in report.json (inputs, book, figures, every path's row) is in the hashed bytes.
import { type Hex, keccak256, toBytes } from "viem";
import { type RiskReport, stringifyReport } from "./report";
import type { ModelName } from "./types";
import type { ITailRiskPost } from "./verifyTypes";

/** The report options a posted figure uses (besides the block, seed and path count it records on chain). */
export const POSTED_REPORT_OPTIONS = {
  horizonSeconds: 86_400,
  stepSeconds: 300,
  models: ["gbm", "jump", "replay"] as ModelName[],
  calibration: "oracle" as const,
};

const TOKEN_TO_WAD = 10n ** 12n;
const UINT64 = (1n << 64n) - 1n;

/** report.json's bytes without `code` (and without `realized`, which only `npm start` adds). */
export function canonicalReportText(report: RiskReport): string {
  const { code: _code, realized: _realized, ...rest } = report;
  return stringifyReport(rest as RiskReport);
}

/** keccak256 of the canonical report bytes: what the steward posts as `reportHash`. */
export function canonicalReportHash(report: RiskReport): Hex {
  return keccak256(toBytes(canonicalReportText(report)));
}

/** The seed the keeper runs with for block B: the low 64 bits of B's hash (nobody picks it, so nobody can shop
 * for a favourable one). */
export function seedForBlockHash(blockHash: Hex): bigint {
  return BigInt(blockHash) & UINT64;
}

/** WAD to asset units (6 decimals), rounded up: a loss is never understated. */
export function wadToAssetsUp(wad: bigint): bigint {
  return wad === 0n ? 0n : (wad - 1n) / TOKEN_TO_WAD + 1n;
}

/** The figure a report and the stress view's junior loss (WAD) give, as `ITailRiskOracle.Post` takes it: ES99 and the
 * stress loss rounded up to asset units, the capital (a whole number of asset units in the report) exact. */
export function postFromReport(report: RiskReport, stressLossWad: bigint): ITailRiskPost {
  const juniorCapitalWad = BigInt(report.book.juniorCapital);
  return {
    juniorEs99: wadToAssetsUp(BigInt(report.tranches.junior.es99)),
    juniorCapital: juniorCapitalWad / TOKEN_TO_WAD,
    stressLoss: wadToAssetsUp(stressLossWad),
    blockNumber: BigInt(report.book.block),
    seed: BigInt(report.inputs.seed),
    paths: report.inputs.paths,
    reportHash: canonicalReportHash(report),
  };
}
