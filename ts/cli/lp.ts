// The work of the LP commands (loaded only when one runs).
import { trancheVaultAbi } from "../abi/generated";
import { formatBps, formatPercent, formatShares, formatUsdc, formatWad } from "../display/amounts";
import { table } from "../display/table";
import {
  cancelWithdraw,
  claimOrSettle,
  deposit,
  getLpPosition,
  getPremiumApr,
  getTranche,
  getTrancheRisk,
  requestWithdraw,
} from "../tranches";
import { discoverAccounts } from "./accounts";
import { UsageError } from "./errors";
import type { CommandContext } from "./io";
import { boostRows, gateAndQueueLines, juniorShareLines, readLpEconomics } from "./lpEconomics";
import { answer } from "./output";
import { openSession, openSignedSession, ownerOf, type SessionFlags } from "./session";
import type { TrancheSide } from "./values";

type Flags = SessionFlags & { owner?: string | undefined };
const WAD = 10n ** 18n;

const duration = (s: bigint) =>
  s >= 86_400n && s % 3_600n === 0n ? `${Number(s) / 86_400} d` : s >= 3_600n ? `${Number(s) / 3_600} h` : `${s} s`;
const apr = (a: bigint | null) => (a === null ? "n/a" : formatPercent(a, WAD));

export async function tranchesCommand(ctx: CommandContext, flags: Flags) {
  const s = await openSession(flags, ctx.env);
  const owner = ownerOf(flags, ctx.env, s.chain.id);
  const { junior, senior, lens } = s.deployment.contracts;
  const accounts = await discoverAccounts(s.publicClient, s.deployment);
  const block = await s.publicClient.getBlockNumber();
  const side = async (vault: typeof junior) => {
    const [tranche, premium, lp] = await Promise.all([
      getTranche(s.publicClient, { vault }),
      // No fromBlock: the vault was deployed some blocks after the deployment started; the SDK finds its block.
      getPremiumApr(s.publicClient, { vault, blockNumber: block }),
      owner ? getLpPosition(s.publicClient, { vault, owner, blockNumber: block }) : undefined,
    ]);
    return { tranche, premium, lp };
  };
  const [j, sn, risk, lpEconomics] = await Promise.all([
    side(junior),
    side(senior),
    getTrancheRisk(s.publicClient, { lens, accounts }),
    readLpEconomics(s.publicClient, s.deployment, block, owner),
  ]);
  const c = risk.coverage;
  const data = {
    block,
    owner,
    coverage: {
      juniorCapital: c.juniorCapital,
      seniorCapital: c.seniorCapital,
      openInterest: c.openInterestNotional,
      coverageBps: c.coverageBps,
    },
    accountsStressed: accounts.length,
    tranches: Object.fromEntries(
      (
        [
          ["junior", j],
          ["senior", sn],
        ] as const
      ).map(([name, t]) => [
        name,
        {
          vault: t.tranche.vault,
          totalAssets: t.tranche.totalAssets,
          totalSupply: t.tranche.totalSupply,
          sharePrice: t.tranche.sharePrice,
          cooldown: t.tranche.cooldown,
          claimWindow: t.tranche.claimWindow,
          isWiped: t.tranche.isWiped,
          premiumApr: {
            streaming: t.premium.streaming.apr,
            windows: t.premium.windows.map((w) => ({
              window: w.window,
              apr: w.apr,
              premiumApr: w.premiumApr,
              complete: w.complete,
            })),
          },
          expectedLoss: risk.shocks.map((sh) => ({
            shockBps: sh.shockBps,
            loss: name === "junior" ? (sh.allMarkets?.juniorLoss ?? 0n) : (sh.allMarkets?.seniorLoss ?? 0n),
          })),
          lp: t.lp ? { shares: t.lp.shares, value: t.lp.value, request: t.lp.request } : null,
          boost: lpEconomics.boost?.[name] ?? null,
        },
      ]),
    ),
    juniorShare: lpEconomics.juniorShare,
    exitGate: lpEconomics.exitGate,
    queuedChanges: lpEconomics.queued,
  };
  answer(ctx.io, flags.json, data, () => {
    const rows: string[][] = [
      ["capital (USDC)", formatUsdc(j.tranche.totalAssets), formatUsdc(sn.tranche.totalAssets)],
      ["share price (USDC)", formatUsdc(j.tranche.sharePrice, 6), formatUsdc(sn.tranche.sharePrice, 6)],
      ["APR streaming now", apr(j.premium.streaming.apr), apr(sn.premium.streaming.apr)],
      ...j.premium.windows.map((w, i) => [
        `APR trailing ${duration(w.window)}${w.complete ? "" : " (partial)"}`,
        apr(w.apr),
        apr(sn.premium.windows[i]?.apr ?? null),
      ]),
      ...risk.shocks.map((sh) => [
        `expected loss at ${formatBps(sh.shockBps, 0)}`,
        sh.allMarkets ? formatWad(sh.allMarkets.juniorLoss) : "—",
        sh.allMarkets ? formatWad(sh.allMarkets.seniorLoss) : "—",
      ]),
      ["cooldown", duration(j.tranche.cooldown), duration(sn.tranche.cooldown)],
      ["claim window", duration(j.tranche.claimWindow), duration(sn.tranche.claimWindow)],
      ["wiped", j.tranche.isWiped ? "yes" : "no", sn.tranche.isWiped ? "yes" : "no"],
      ...boostRows(lpEconomics, owner !== undefined),
    ];
    if (j.lp && sn.lp) {
      rows.push(["your value (USDC)", formatUsdc(j.lp.value), formatUsdc(sn.lp.value)]);
      const req = (lp: NonNullable<typeof j.lp>) =>
        lp.request
          ? `${formatUsdc(lp.request.claimableNow)} ${lp.request.status}${lp.request.status === "cooldown" ? ` ${duration(lp.request.secondsToUnlock)}` : ""}`
          : "none";
      rows.push(["your request", req(j.lp), req(sn.lp)]);
    }
    return [
      `Tranches at block ${block}: coverage ${c.coverageBps === (1n << 256n) - 1n ? "∞ (no open interest)" : formatBps(c.coverageBps)} of open interest ${formatWad(c.openInterestNotional)} USDC`,
      table(["", "junior", "senior"], rows),
      `  (expected loss: every market shocked together, ${accounts.length} accounts liquidated at the shocked index; lens stress test)`,
      ...juniorShareLines(lpEconomics),
      ...gateAndQueueLines(lpEconomics),
    ];
  });
}

export async function trancheCommand(
  ctx: CommandContext,
  flags: Flags,
  p: { action: "deposit" | "request-withdraw" | "cancel" | "claim"; side: TrancheSide; amount: bigint | undefined },
) {
  const s = await openSignedSession(flags, ctx.env);
  const vault = s.deployment.contracts[p.side];
  const hashOf = (r: { hash: string }) => r.hash;
  const decimals = await s.publicClient.readContract({
    address: vault,
    abi: trancheVaultAbi,
    functionName: "decimals",
  });
  const fmtShares = (x: bigint) => formatShares(x, decimals);
  if (p.action === "deposit") {
    const r = await deposit(s.wallet, { vault, amount: p.amount ?? 0n });
    return answer(
      ctx.io,
      flags.json,
      { action: p.action, side: p.side, owner: s.address, assets: r.assets, shares: r.shares, hash: r.hash },
      () => [
        `Deposited ${formatUsdc(r.assets)} USDC into ${p.side} for ${fmtShares(r.shares)} shares (tx ${hashOf(r)})`,
      ],
    );
  }
  if (p.action === "request-withdraw") {
    const balance = await s.publicClient.readContract({
      address: vault,
      abi: trancheVaultAbi,
      functionName: "balanceOf",
      args: [s.address],
    });
    let shares = balance;
    if (p.amount !== undefined) {
      // previewWithdraw rounds up: the escrow is worth at least `amount`.
      shares = await s.publicClient.readContract({
        address: vault,
        abi: trancheVaultAbi,
        functionName: "previewWithdraw",
        args: [p.amount],
      });
      if (shares > balance) {
        const value = await s.publicClient.readContract({
          address: vault,
          abi: trancheVaultAbi,
          functionName: "convertToAssets",
          args: [balance],
        });
        throw new UsageError(
          `tranche request-withdraw ${p.side}: ${formatUsdc(p.amount)} USDC is more than your ${formatUsdc(value)} USDC`,
        );
      }
    }
    if (shares === 0n) throw new UsageError(`tranche request-withdraw ${p.side}: you hold no ${p.side} shares`);
    const r = await requestWithdraw(s.wallet, { vault, shares });
    return answer(
      ctx.io,
      flags.json,
      {
        action: p.action,
        side: p.side,
        owner: s.address,
        shares: r.shares,
        assetsAtRequest: r.assetsAtRequest,
        unlockTime: r.unlockTime,
        hash: r.hash,
      },
      () => [
        `Requested ${formatUsdc(r.assetsAtRequest)} USDC (${fmtShares(r.shares)} shares) from ${p.side}; claimable from ${new Date(Number(r.unlockTime) * 1000).toISOString()} (tx ${r.hash})`,
      ],
    );
  }
  if (p.action === "cancel") {
    const r = await cancelWithdraw(s.wallet, { vault });
    return answer(
      ctx.io,
      flags.json,
      { action: p.action, side: p.side, owner: s.address, returned: r.returned, burned: r.burned, hash: r.hash },
      () => [
        `Cancelled the ${p.side} request: ${fmtShares(r.returned)} shares back, ${fmtShares(r.burned)} burned (tx ${r.hash})`,
      ],
    );
  }
  // `claim` starts the claim; once its settlement delay has passed, `claim` again settles it (pays).
  const r = await claimOrSettle(s.wallet, { vault, owner: s.address });
  const settles = (t: bigint) => new Date(Number(t) * 1000).toISOString();
  if (r.step === "settled") {
    return answer(
      ctx.io,
      flags.json,
      {
        action: p.action,
        step: r.step,
        side: p.side,
        owner: s.address,
        assets: r.assets,
        shares: r.shares,
        hash: r.hash,
      },
      () => [
        `Settled: ${formatUsdc(r.assets)} USDC paid from ${p.side} (${fmtShares(r.shares)} shares burned, tx ${r.hash})`,
      ],
    );
  }
  const hash = r.step === "started" ? r.hash : undefined;
  answer(
    ctx.io,
    flags.json,
    {
      action: p.action,
      step: r.step,
      side: p.side,
      owner: s.address,
      assetsCap: r.assetsCap,
      shares: r.shares,
      settleAt: r.settleAt,
      hash,
    },
    () => [
      `${r.step === "started" ? "Claimed" : "Claim settling"}: at most ${formatUsdc(r.assetsCap)} USDC from ${p.side} (${fmtShares(r.shares)} shares still bear losses); settles at ${settles(r.settleAt)}, run \`perp tranche claim ${p.side}\` again then${hash ? ` (tx ${hash})` : ""}`,
    ],
  );
}
