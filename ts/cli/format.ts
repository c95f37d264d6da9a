// Kept for ts/cli/lp.ts only, until it imports ../display/* itself: the formatting moved to ts/display (shared
// with the scenario and the web page). Nothing else imports this file.
export { shortAddress } from "../display/address";
export { formatBps, formatPercent, formatShares, formatUsdc, formatWad } from "../display/amounts";
export { table } from "../display/table";
