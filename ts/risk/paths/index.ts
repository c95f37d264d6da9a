// The price paths of the Monte-Carlo risk report: models (gbm, jump, replay), the schema of their inputs, the CLI's
// duration parsing and the calibration from the oracle's history. See docs/risk-models.md.

export {
  DEFAULT_LOOKBACK_SECONDS,
  type EstimateMarketParamsOptions,
  estimateMarketParams,
  type MarketParams,
} from "./calibrate";
export { CorrelationError, choleskyOf } from "./cholesky";
export { CRASH_DAYS, type CrashDay, crashDayOfPath, REPLAY_NOISE_SCALE, type Waypoint } from "./crashDays";
export { parseDuration } from "./duration";
export {
  DEFAULT_CORRELATION,
  DEFAULT_SIGMA_ANNUAL,
  estimateFromHistory,
  type MarketHistory,
  MIN_RETURNS,
  type PricePoint,
} from "./estimator";
export { YEAR_SECONDS } from "./gbm";
export {
  DEFAULT_JUMP_INTENSITY_PER_YEAR,
  DEFAULT_JUMP_MEAN_LOG,
  DEFAULT_JUMP_PARAMS,
  DEFAULT_JUMP_STD_LOG,
} from "./jump";
export { applyOverrides, type OverridableParams, type ParamOverrides } from "./overrides";
export { pathPrices } from "./pathPrices";
export { quantizeAnswer } from "./quantize";
export { pathRandom } from "./random";
export { MAX_STEPS, MIN_STEP_SECONDS, pathInputsSchema } from "./schema";
