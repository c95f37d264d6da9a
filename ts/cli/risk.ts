// The work of `status` and `stress` (loaded only when one runs). Accounts come from the pool's events.
import { perpLensAbi } from "../abi/generated";
import { shortAddress } from "../display/address";
import { formatBps, formatWad } from "../display/amounts";
import { table } from "../display/table";
import { MAX_UINT256 } from "../money";
import { ALL_MARKETS } from "../tranches";
import { discoverAccounts } from "./accounts";
import type { CommandContext } from "./io";
import { answer } from "./output";
import { openSession, type SessionFlags } from "./session";
import { formatSummary, readSummary } from "./summary";
import { parseMarket } from "./values";

export async function statusCommand(ctx: CommandContext, flags: SessionFlags) {
  const s = await openSession(flags, ctx.env);
  const found = await discoverAccounts(s.publicClient, s.deployment);
  const accounts = found.map((a, i) => ({ name: `#${i + 1}`, address: a.owner, subId: a.subId }));
  const input = { deployment: s.deployment, accounts };
  const summary = await readSummary(s.publicClient, input);
  answer(ctx.io, flags.json, { deployment: s.deployment, rpcUrl: s.rpcUrl, accounts, ...summary }, () =>
    formatSummary(input, summary, { rpcUrl: s.rpcUrl }),
  );
}

export async function stressCommand(
  ctx: CommandContext,
  flags: SessionFlags,
  p: { shockBps: bigint; market: string | undefined },
) {
  const s = await openSession(flags, ctx.env);
  const market = p.market === undefined ? undefined : parseMarket(s.deployment, p.market);
  const accounts = await discoverAccounts(s.publicClient, s.deployment);
  const r = await s.publicClient.readContract({
    address: s.deployment.contracts.lens,
    abi: perpLensAbi,
    functionName: "stressTest",
    args: [
      market === undefined ? ALL_MARKETS : BigInt(market.marketId),
      p.shockBps,
      accounts.map((a) => a.owner),
      accounts.map((a) => a.subId),
    ],
  });
  const what = market ? `${market.symbol}` : "every market";
  answer(ctx.io, flags.json, { market: market?.symbol ?? "all", accounts, result: r }, () => {
    const fallen = r.accounts.filter((a) => a.liquidatable);
    return [
      `Stress: ${what} ${formatBps(r.shockBps, 0)}${r.marketId === MAX_UINT256 ? "" : ` (index -> ${formatWad(r.shockedIndex)})`}: ` +
        `${r.liquidatableCount} of ${r.accounts.length} accounts fall`,
      fallen.length === 0
        ? "  nobody falls"
        : table(
            ["account", "sub", "value at shock", "maintenance", "bad debt"],
            fallen.map((a) => [
              shortAddress(a.owner),
              a.subId.toString(),
              formatWad(a.value),
              formatWad(a.maintenanceRequirement),
              formatWad(a.badDebt),
            ]),
          ),
      "",
      table(
        ["bad debt", "junior pays", "senior pays", "socialized", "inventory loss", "junior capital", "senior capital"],
        [
          [
            formatWad(r.totalBadDebt),
            formatWad(r.juniorLoss),
            formatWad(r.seniorLoss),
            formatWad(r.socialized),
            formatWad(r.inventoryLoss),
            formatWad(r.juniorCapital),
            formatWad(r.seniorCapital),
          ],
        ],
      ),
      "  (USDC; accounts discovered from the pool's MarginDeposited and PositionChanged events)",
    ];
  });
}
