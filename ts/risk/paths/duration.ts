// Durations as the CLI takes them: an integer and a unit, s, m, h or d ("90s", "5m", "24h", "1d").
import { PerpError } from "../../errors";

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;
const DURATION = /^\s*(\d+)\s*([smhd])\s*$/i;

/**
 * Seconds in a duration such as "24h", "5m", "90s" or "1d" (a positive integer then one unit: s, m, h, d; case
 * ignored). Throws a PerpError naming the input otherwise.
 * @example
 * parseDuration("24h"); // 86_400
 */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  const unit = match?.[2]?.toLowerCase() as keyof typeof UNIT_SECONDS | undefined;
  if (!match || !unit) {
    throw new PerpError(`invalid duration "${text}"`, {
      details: 'expected a positive integer and a unit s, m, h or d, e.g. "90s", "5m", "24h", "1d"',
    });
  }
  const seconds = Number(match[1]) * UNIT_SECONDS[unit];
  if (!(seconds > 0 && Number.isSafeInteger(seconds))) {
    throw new PerpError(`invalid duration "${text}"`, { details: "must be positive and below 2^53 seconds" });
  }
  return seconds;
}
