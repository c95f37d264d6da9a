// The keeper's public surface: run it, run one pass, or mount its CLI command.
export { keeperCommand } from "./cli";
export {
  type KeeperConfig,
  KeeperConfigError,
  type KeeperConfigInput,
  keeperConfigSchema,
  loadKeeperConfig,
} from "./config";
export { keeperHealth } from "./healthz";
export { Keeper, type TickReport } from "./keeper";
export { METRIC_NAMES } from "./metrics";
export { type OnceResult, type RunningKeeper, runKeeper, runOnce } from "./run";
