import { readFileSync } from "node:fs";
import { pathPrices, DEFAULT_JUMP_PARAMS } from "../paths";
import { prepareBook, simulatePath } from "../simulate";
import { syntheticBook } from "./syntheticBook";
const book0 = JSON.parse(readFileSync("/tmp/book.json", "utf8"), (_k, v) => typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v);
const book = syntheticBook(book0, 1000);
const inputs = { markets: book.markets.map((m: any) => ({ symbol: m.symbol, index0: m.index, feedDecimals: m.feedDecimals, sigmaAnnual: m.symbol === "ETH" ? 0.8 : 0.6, jumpBeta: 1 })), correlation: [[1, 0.8], [0.8, 1]], horizonSeconds: 86400, stepSeconds: 300, models: ["gbm", "jump", "replay"], seed: "1", jump: DEFAULT_JUMP_PARAMS };
const ps = []; for (let k = 0; k < Number(process.argv[2] ?? 30); k++) ps.push(pathPrices(inputs as never, k));
const prep = prepareBook(book);
const t = performance.now();
let liq = 0, calls = 0;
for (const p of ps) { const o = simulatePath(prep, p, 300); liq += o.accountsLiquidated; calls += o.liquidationCalls; }
console.log("simulate:", (performance.now() - t).toFixed(0), "ms", "liq", liq, "calls", calls);
