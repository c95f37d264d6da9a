// The work of `status` and `stress` (loaded only when one runs). Accounts come from the pool's events.
import { perpLensAbi } from "../abi/generated";
import { shortAddress } from "../display/address";
import { formatBps, formatWad } from "../display/amounts";
import { formatMoveBps } from "../display/scenario";
import { table } from "../display/table";
import { MAX_UINT256 } from "../money";
import { ALL_MARKETS } from "../tranches";
import { getStressJoint } from "../tranches/actions/getStressJoint";
import { discoverAccounts } from "./accounts";
import type { CommandContext } from "./io";
import { answer } from "./output";
import { openSession, type SessionFlags } from "./session";
import { formatSummary, readSummary } from "./summary";
import { jointShockBps, parseMarket, type ShockLeg } from "./values";

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
  const headline =
    `Stress: ${what} ${formatBps(r.shockBps, 0)}` +
    `${r.marketId === MAX_UINT256 ? "" : ` (index -> ${formatWad(r.shockedIndex)})`}`;
  answer(ctx.io, flags.json, { market: market?.symbol ?? "all", accounts, result: r }, () => stressLines(headline, r));
}

/** `perp stress ETH -12 BTC -4`: every market moved at once, each account margined with netting at those prices. */
export async function jointStressCommand(ctx: CommandContext, flags: SessionFlags, p: { legs: readonly ShockLeg[] }) {
  const s = await openSession(flags, ctx.env);
  const shocks = jointShockBps(s.deployment, p.legs);
  const accounts = await discoverAccounts(s.publicClient, s.deployment);
  const r = await getStressJoint(s.publicClient, { lens: s.deployment.contracts.lens, shockBps: shocks, accounts });
  const moves = s.deployment.markets
    .filter((m) => shocks[m.marketId] !== 0n)
    .map((m) => ({ symbol: m.symbol, shockBps: shocks[m.marketId] ?? 0n }));
  const headline = `Stress: ${moves.map((m) => `${m.symbol} ${formatMoveBps(m.shockBps)}`).join(", ")}`;
  answer(ctx.io, flags.json, { shocks: moves, accounts, result: r }, () => stressLines(headline, r));
}

type Stress = {
  liquidatableCount: bigint;
  totalBadDebt: bigint;
  juniorLoss: bigint;
  seniorLoss: bigint;
  socialized: bigint;
  inventoryLoss: bigint;
  juniorCapital: bigint;
  seniorCapital: bigint;
  accounts: readonly {
    owner: `0x${string}`;
    subId: bigint;
    value: bigint;
    maintenanceRequirement: bigint;
    liquidatable: boolean;
    badDebt: bigint;
  }[];
};

function stressLines(headline: string, r: Stress): string[] {
  const fallen = r.accounts.filter((a) => a.liquidatable);
  return [
    `${headline}: ${r.liquidatableCount} of ${r.accounts.length} accounts fall`,
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
}
