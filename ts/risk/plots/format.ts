// The report's numbers for people: WAD amounts as USDC, probabilities and moves as percent. Pure (no Node APIs):
// the web page formats with these too, so the page and report.html show the same text.

const WAD = 10n ** 18n;

/** A WAD amount as a USDC number, for axes (a double: exact enough to draw, not to add). */
export function wadToUsdc(wad: string | bigint): number {
  const w = BigInt(wad);
  return Number(w / WAD) + Number(w % WAD) / 1e18;
}

/**
 * A WAD amount as USDC text, rounded half up to `decimals`, with thousands separators.
 * @example formatUsdc("1234567890000000000000") // "1,234.57 USDC"
 */
export function formatUsdc(wad: string | bigint, decimals = 2): string {
  const w = BigInt(wad);
  const negative = w < 0n;
  const unit = 10n ** BigInt(18 - decimals);
  const abs = negative ? -w : w;
  const scaled = (abs + unit / 2n) / unit;
  const whole = (scaled / 10n ** BigInt(decimals)).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = decimals > 0 ? `.${(scaled % 10n ** BigInt(decimals)).toString().padStart(decimals, "0")}` : "";
  return `${negative ? "−" : ""}${whole}${frac} USDC`;
}

/** A probability as percent with two decimals; a positive one that rounds to zero reads "< 0.01 %". */
export function formatProbability(p: number): string {
  if (p > 0 && p < 0.00005) return "< 0.01 %";
  return `${(p * 100).toFixed(2)} %`;
}

/** A move in bps as signed percent: −2,340 → "−23.40 %". */
export function formatMoveBps(bps: number): string {
  const sign = bps > 0 ? "+" : bps < 0 ? "−" : "";
  return `${sign}${(Math.abs(bps) / 100).toFixed(2)} %`;
}

/** A duration in seconds the way the CLI takes it: 86400 → "24h", 172800 → "2d", 300 → "5m". */
export function formatSeconds(seconds: number): string {
  if (seconds >= 2 * 86_400 && seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds >= 3_600 && seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
