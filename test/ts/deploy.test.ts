import type { Address } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import {
  backstopAbi,
  oracleRouterAbi,
  perpLensAbi,
  perpPoolAbi,
  riskEngineAbi,
  riskTimelockAbi,
  tailRiskOracleAbi,
  testUsdcAbi,
  trancheVaultAbi,
} from "../../ts/abi/generated";
import { parseDeploymentConfig } from "../../ts/deploy/config";
import { type Deployment, parseDeployment, stringifyDeployment } from "../../ts/deploy/deployment";
import { type DeployProgress, deployProtocol, deployStepCount } from "../../ts/deploy/deployProtocol";
import { DEFAULT_RISK_GRID, defaultRiskScenarios } from "../../ts/deploy/riskGrid";
import { seedProtocol } from "../../ts/deploy/seedProtocol";
import { MAX_UINT256, WAD } from "../../ts/money";
import { packTiers } from "../../ts/pool/math/marginMath";
import { useChain } from "./harness";

const config = parseDeploymentConfig();

describe("deployProtocol", () => {
  const chain = useChain();
  let deployment: Deployment;
  const progress: DeployProgress[] = [];

  beforeAll(async () => {
    deployment = await deployProtocol(chain, config, { onProgress: (p) => progress.push(p) });
  });

  it("reports every step once, in order, with the deployed addresses", () => {
    const total = deployStepCount(config);
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === total)).toBe(true);
    const byLabel = new Map(progress.map((p) => [p.label, p.address]));
    expect(byLabel.get("PerpPool")).toBe(deployment.contracts.pool);
    expect(byLabel.get("OracleRouter")).toBe(deployment.contracts.oracle);
    expect(deployment.markets.map((m) => [m.symbol, m.feeds.length])).toEqual([
      ["ETH", 3],
      ["BTC", 3],
    ]);
  });

  it("wires the pool, the backstop and the vaults", async () => {
    const { pool, backstop, junior, senior, oracle, usdc, lens } = deployment.contracts;
    const pc = chain.publicClient;
    expect(await pc.readContract({ address: backstop, abi: backstopAbi, functionName: "pool" })).toBe(pool);
    expect(await pc.readContract({ address: backstop, abi: backstopAbi, functionName: "junior" })).toBe(junior);
    expect(await pc.readContract({ address: backstop, abi: backstopAbi, functionName: "senior" })).toBe(senior);
    for (const vault of [junior, senior]) {
      expect(await pc.readContract({ address: vault, abi: trancheVaultAbi, functionName: "backstop" })).toBe(backstop);
      expect(await pc.readContract({ address: vault, abi: trancheVaultAbi, functionName: "asset" })).toBe(usdc);
    }
    expect(await pc.readContract({ address: junior, abi: trancheVaultAbi, functionName: "symbol" })).toBe("jTRN");
    expect(await pc.readContract({ address: senior, abi: trancheVaultAbi, functionName: "symbol" })).toBe("sTRN");
    expect(await pc.readContract({ address: pool, abi: perpPoolAbi, functionName: "marketCount" })).toBe(2n);
    expect(await pc.readContract({ address: lens, abi: perpLensAbi, functionName: "pool" })).toBe(pool);
    expect(await pc.readContract({ address: oracle, abi: oracleRouterAbi, functionName: "peek", args: [0n] })).toEqual([
      2000n * WAD,
      0, // Normal
    ]);
    expect(await pc.readContract({ address: oracle, abi: oracleRouterAbi, functionName: "peek", args: [1n] })).toEqual([
      60_000n * WAD,
      0,
    ]);
  });

  it("wires the LP economics: the tail-risk oracle's defaults, the backstop's 20 % boost share, the timelock", async () => {
    const { pool, backstop, junior, senior, oracle, tailRiskOracle, timelock } = deployment.contracts;
    const pc = chain.publicClient;
    const read = (address: Address, abi: typeof tailRiskOracleAbi, functionName: "pool" | "steward" | "owner") =>
      pc.readContract({ address, abi, functionName });
    expect(await read(tailRiskOracle, tailRiskOracleAbi, "pool")).toBe(pool);
    expect(await read(tailRiskOracle, tailRiskOracleAbi, "steward")).toBe(deployment.deployer);
    expect(await pc.readContract({ address: tailRiskOracle, abi: tailRiskOracleAbi, functionName: "params" })).toEqual({
      multiplierBps: 20_000,
      minShareBps: 5000,
      maxShareBps: 9000,
      maxStepBps: 500,
      maxDailyBps: 1500,
      maxAge: 2 * 86_400,
      coverageMultipleBps: 15_000,
      referenceShockBps: -2000,
    });
    expect(await pc.readContract({ address: backstop, abi: backstopAbi, functionName: "tailRiskOracle" })).toBe(
      tailRiskOracle,
    );
    expect(await pc.readContract({ address: backstop, abi: backstopAbi, functionName: "boostShareBps" })).toBe(2000n);
    // No figure yet: the capital rule splits.
    expect(
      await pc.readContract({ address: tailRiskOracle, abi: tailRiskOracleAbi, functionName: "splitShare" }),
    ).toEqual([0n, 0]);
    const tl = (functionName: "admin" | "pool" | "oracleRouter" | "tailRiskOracle" | "junior" | "senior") =>
      pc.readContract({ address: timelock, abi: riskTimelockAbi, functionName });
    expect([await tl("admin"), await tl("pool"), await tl("oracleRouter"), await tl("tailRiskOracle")]).toEqual([
      deployment.deployer,
      pool,
      oracle,
      tailRiskOracle,
    ]);
    expect([await tl("junior"), await tl("senior")]).toEqual([junior, senior]);
    // The tranches' exit time: 7-day cooldown + 2-day claim window + 10-minute settlement delay.
    expect(await pc.readContract({ address: timelock, abi: riskTimelockAbi, functionName: "riskRaisingDelay" })).toBe(
      BigInt(7 * 86_400 + 2 * 86_400 + 600),
    );
  });

  it("hands the pool, the oracle router and the tail-risk oracle to the timelock (governance: timelock)", async () => {
    const { pool, oracle, tailRiskOracle, timelock } = deployment.contracts;
    const pc = chain.publicClient;
    for (const [address, abi] of [
      [pool, perpPoolAbi],
      [oracle, oracleRouterAbi],
      [tailRiskOracle, tailRiskOracleAbi],
    ] as const) {
      expect(await pc.readContract({ address, abi: abi as typeof oracleRouterAbi, functionName: "owner" })).toBe(
        timelock,
      );
      expect(await pc.readContract({ address, abi: abi as typeof oracleRouterAbi, functionName: "pendingOwner" })).toBe(
        "0x0000000000000000000000000000000000000000",
      );
    }
    const labels = progress.map((p) => p.label);
    expect(labels.slice(-3)).toEqual([
      "timelock.acceptOwnership(pool)",
      "timelock.acceptOwnership(oracle)",
      "timelock.acceptOwnership(tailRiskOracle)",
    ]);
    // The deployer can no longer set a parameter directly.
    await expect(
      chain.deployer
        .writeContract({
          address: pool,
          abi: perpPoolAbi,
          functionName: "setProfitDrawCap",
          args: [100n],
          gas: 200_000n,
        })
        .then((hash) => pc.waitForTransactionReceipt({ hash })),
    ).resolves.toMatchObject({ status: "reverted" });
  });

  it("points the pool at a RiskEngine holding the default grid, under which a hedged ETH/BTC book nets to 60 %", async () => {
    const { pool, riskEngine } = deployment.contracts;
    const pc = chain.publicClient;
    expect(await pc.readContract({ address: pool, abi: perpPoolAbi, functionName: "riskEngine" })).toBe(riskEngine);
    const rows = await pc.readContract({ address: riskEngine, abi: riskEngineAbi, functionName: "scenarios" });
    expect(rows.map((r) => ({ weightPct: r.weightPct, moves: [...r.moves] }))).toEqual(defaultRiskScenarios());
    expect(await pc.readContract({ address: riskEngine, abi: riskEngineAbi, functionName: "floorBps" })).toBe(5000n);
    // Equal notional long ETH, short BTC: the engine's own figure, 60 % of the additive 2x, row 6 binding.
    const x = 2_500n * WAD;
    const exposure = [x, -x, 0n, 0n, 0n, 0n, 0n, 0n] as const;
    const [maint, initial] = await pc.readContract({
      address: riskEngine,
      abi: riskEngineAbi,
      functionName: "netRequirements",
      args: [exposure, [2n * x, -2n * x, 0n, 0n, 0n, 0n, 0n, 0n]],
    });
    expect([maint, initial]).toEqual([(2n * x * 60n) / 100n, (4n * x * 60n) / 100n]);
    const [requirement, row, floorBinds] = await pc.readContract({
      address: riskEngine,
      abi: riskEngineAbi,
      functionName: "worstScenario",
      args: [exposure],
    });
    expect([requirement, DEFAULT_RISK_GRID[Number(row)]?.label, floorBinds]).toEqual([
      maint,
      "ETH -1, BTC +0.2",
      false,
    ]);
  });

  it("lists the markets with the fixture's reserves and packed tiers", async () => {
    const { pool } = deployment.contracts;
    const state = await chain.publicClient.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "marketState",
      args: [1n],
    });
    expect(state.baseReserve).toBe(500n * WAD);
    expect(state.quoteReserve).toBe(30_000_000n * WAD);
    const cfg = await chain.publicClient.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "marketConfig",
      args: [0n],
    });
    // Hand-packed: 80 bits per tier, cap | initial << 48 | maintenance << 64.
    const tier = (cap: bigint, i: bigint, m: bigint) => cap | (i << 48n) | (m << 64n);
    const expected =
      tier(100_000n, 1000n, 500n) |
      (tier(1_000_000n, 2000n, 1000n) << 80n) |
      (tier(100_000_000n, 3300n, 1650n) << 160n);
    expect(cfg.tiers).toBe(expected);
    expect(
      packTiers([
        { notionalCap: 100_000n * WAD, initialBps: 1000n, maintenanceBps: 500n },
        { notionalCap: 1_000_000n * WAD, initialBps: 2000n, maintenanceBps: 1000n },
        { notionalCap: 100_000_000n * WAD, initialBps: 3300n, maintenanceBps: 1650n },
      ]),
    ).toBe(expected);
    expect(cfg.feeBps).toBe(10);
    expect(cfg.oiCapBps).toBe(50_000);
    expect(cfg.minPositionBase).toBe(10n ** 15n);
    expect([cfg.volReferenceBps, cfg.volCapBps]).toEqual([8000, 30_000]);
    const btc = await chain.publicClient.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "marketConfig",
      args: [1n],
    });
    expect([btc.volReferenceBps, btc.volCapBps]).toEqual([6000, 30_000]);
  });

  it("sets each market's funding policy and makes ETH + BTC funding group 1 while the deployer owned the pool", async () => {
    const { pool } = deployment.contracts;
    const pc = chain.publicClient;
    const params = (id: bigint) =>
      pc.readContract({ address: pool, abi: perpPoolAbi, functionName: "fundingParams", args: [id] });
    const policy = {
      capMultipleBps: 1000,
      maxChangeBps: 2500,
      extremeVolBps: 15_000,
      extremeCapBps: 5000,
      blendWeightBps: 3000,
      kickerThresholdBps: 5000,
      kickerMaxE8: 50_000,
      capE8: 500_000, // 10 % x (10 % - 5 %) = 50 bps per period
      group: 1,
      siblingCount: 1,
    };
    expect(await params(0n)).toEqual({ ...policy, siblings: 1 });
    expect(await params(1n)).toEqual({ ...policy, siblings: 0 });
    const labels = progress.map((p) => p.label);
    expect(labels.indexOf("pool.setFundingGroup(1: ETH+BTC)")).toBeGreaterThan(
      labels.indexOf("pool.setFundingParams(BTC)"),
    );
    expect(labels.indexOf("pool.setFundingGroup(1: ETH+BTC)")).toBeLessThan(
      labels.indexOf("timelock.acceptOwnership(pool)"),
    );
  });

  it("trades end to end after an LP deposit, a capital sync and a margin deposit", async () => {
    const { pool, usdc, junior } = deployment.contracts;
    const pc = chain.publicClient;
    const lp = chain.wallet(1);
    const trader = chain.wallet(2);
    const send = async (hash: Promise<`0x${string}`>) => {
      const receipt = await pc.waitForTransactionReceipt({ hash: await hash });
      expect(receipt.status).toBe("success");
    };
    const mint = (to: Address, amount: bigint) =>
      send(chain.deployer.writeContract({ address: usdc, abi: testUsdcAbi, functionName: "mint", args: [to, amount] }));

    await mint(lp.account.address, 1_000_000n * 10n ** 6n);
    await send(
      lp.writeContract({ address: usdc, abi: testUsdcAbi, functionName: "approve", args: [junior, MAX_UINT256] }),
    );
    await send(
      lp.writeContract({
        address: junior,
        abi: trancheVaultAbi,
        functionName: "deposit",
        args: [1_000_000n * 10n ** 6n, lp.account.address],
      }),
    );
    await send(chain.deployer.writeContract({ address: pool, abi: perpPoolAbi, functionName: "syncBackstopCapital" }));
    await mint(trader.account.address, 10_000n * 10n ** 6n);
    await send(
      trader.writeContract({ address: usdc, abi: testUsdcAbi, functionName: "approve", args: [pool, MAX_UINT256] }),
    );
    await send(
      trader.writeContract({
        address: pool,
        abi: perpPoolAbi,
        functionName: "depositMargin",
        args: [0n, 10_000n * 10n ** 6n],
      }),
    );
    const deadline = (await pc.getBlock()).timestamp + 600n;
    await send(
      trader.writeContract({
        address: pool,
        abi: perpPoolAbi,
        functionName: "trade",
        args: [trader.account.address, 0n, 0n, 10n * WAD, MAX_UINT256, deadline],
        gas: 1_000_000n,
      }),
    );
    const position = await pc.readContract({
      address: pool,
      abi: perpPoolAbi,
      functionName: "position",
      args: [trader.account.address, 0n, 0n],
    });
    expect(position.size).toBe(10n * WAD);
    // As PerpPoolTrading.t.sol: buying 10 base from (10,000, 20M) costs ceil(k / (base - 10)) - quote.
    const k = 10_000n * WAD * 20_000_000n * WAD;
    expect(position.openNotional).toBe(
      (k + (10_000n * WAD - 10n * WAD) - 1n) / (10_000n * WAD - 10n * WAD) - 20_000_000n * WAD,
    );
  });

  it("seeds LPs and traders, and the lens sees the stressed bad debt", async () => {
    const { publicClient, deployer, wallets } = chain;
    const seeded = await seedProtocol({ publicClient, deployer, actors: wallets.slice(1) }, deployment, config.seed);
    const pc = chain.publicClient;
    const { lens } = deployment.contracts;
    expect(seeded.backstopCapital).toBe(8_000_000n * 10n ** 6n);
    expect(seeded.traders.map((t) => t.name)).toEqual(["alice", "bob", "carol", "dave"]);
    const coverage = await pc.readContract({ address: lens, abi: perpLensAbi, functionName: "coverage" });
    expect(coverage.juniorCapital).toBe(2_000_000n * WAD);
    expect(coverage.seniorCapital).toBe(6_000_000n * WAD);
    expect(coverage.openInterestNotional).toBeGreaterThan(0n);
    const stress = await pc.readContract({
      address: lens,
      abi: perpLensAbi,
      functionName: "stressTest",
      args: [0n, -3000n, seeded.traders.map((t) => t.address), seeded.traders.map(() => 0n)],
    });
    expect(stress.liquidatableCount).toBe(1n); // carol, ~8x long ETH
    expect(stress.totalBadDebt).toBeGreaterThan(0n);
    expect(stress.juniorLoss).toBe(stress.totalBadDebt);
    expect(stress.seniorLoss + stress.socialized).toBe(0n);
  });

  it("round-trips the deployment through JSON", () => {
    const json = stringifyDeployment(deployment);
    expect(JSON.parse(json).startBlock).toBeTypeOf("string");
    expect(parseDeployment(json)).toEqual(deployment);
    expect(() => parseDeployment(json.replace(deployment.contracts.pool, "0x1234"))).toThrow(/address/);
  });
});

describe("deployProtocol with governance: owner", () => {
  const chain = useChain();

  it("deploys the timelock but leaves the deployer the owner, six steps fewer", async () => {
    const ownerConfig = parseDeploymentConfig({ governance: "owner" });
    const progress: DeployProgress[] = [];
    const d = await deployProtocol(chain, ownerConfig, { onProgress: (p) => progress.push(p) });
    expect(deployStepCount(ownerConfig)).toBe(deployStepCount(config) - 6);
    expect(progress.length).toBe(deployStepCount(ownerConfig));
    const pc = chain.publicClient;
    for (const address of [d.contracts.pool, d.contracts.oracle, d.contracts.tailRiskOracle]) {
      expect(await pc.readContract({ address, abi: oracleRouterAbi, functionName: "owner" })).toBe(d.deployer);
    }
    expect(await pc.getCode({ address: d.contracts.timelock })).toMatch(/^0x[0-9a-f]{100,}/);
  });
});

describe("parseDeploymentConfig", () => {
  it("defaults to the forge fixture", () => {
    expect(config.markets.map((m) => [m.symbol, m.price, m.baseReserve])).toEqual([
      ["ETH", 2000n * WAD, 10_000n * WAD],
      ["BTC", 60_000n * WAD, 500n * WAD],
    ]);
    expect(config.backstop).toEqual({ juniorWeight: 3, seniorWeight: 1, boostShareBps: 2000 });
    expect(config.governance).toBe("timelock");
    expect(config.tailRisk).toEqual({
      multiplierBps: 20_000,
      minShareBps: 5000,
      maxShareBps: 9000,
      maxStepBps: 500,
      maxDailyBps: 1500,
      maxAge: 172_800,
      coverageMultipleBps: 15_000,
      referenceShockBps: -2000,
    });
    expect(config.junior).toMatchObject({ name: "Junior tranche", symbol: "jTRN", cooldown: 7 * 86_400 });
    expect(config.seed.juniorDeposit).toBe(2_000_000n * 10n ** 6n);
    expect(config.markets.map((m) => [m.params.volReferenceBps, m.params.volCapBps])).toEqual([
      [8000, 30_000],
      [6000, 30_000],
    ]);
    expect(config.fundingGroups).toEqual([{ id: 1, symbols: ["ETH", "BTC"], marketIds: [0, 1] }]);
    // One market: no default group.
    expect(
      parseDeploymentConfig({ markets: [{ symbol: "ETH", price: 1, baseReserve: 1 }], seed: { traders: [] } })
        .fundingGroups,
    ).toEqual([]);
  });

  it("rejects configs the contracts would revert on, naming the field", () => {
    expect(() =>
      parseDeploymentConfig({
        markets: [
          {
            symbol: "ETH",
            price: 2000,
            baseReserve: 10_000,
            params: {
              tiers: [
                { notionalCap: 100, initialBps: 500, maintenanceBps: 500 },
                { notionalCap: 200, initialBps: 600, maintenanceBps: 300 },
                { notionalCap: 300, initialBps: 700, maintenanceBps: 350 },
              ],
            },
          },
        ],
        seed: { traders: [] },
      }),
    ).toThrow(/maintenanceBps must be below initialBps/);
    expect(() => parseDeploymentConfig({ markets: [{ symbol: "ETH", price: "-1", baseReserve: 1 }] })).toThrow(
      /decimal/,
    );
    expect(() =>
      parseDeploymentConfig({ seed: { traders: [{ name: "x", deposit: 1, trades: [{ market: "SOL", size: 1 }] }] } }),
    ).toThrow(/unknown market SOL/);
    const eth = (params: Record<string, number>) => ({
      markets: [{ symbol: "ETH", price: 2000, baseReserve: 10_000, params }],
      seed: { traders: [] },
    });
    expect(parseDeploymentConfig(eth({ volReferenceBps: 0 })).markets[0]?.params.volReferenceBps).toBe(0);
    expect(() => parseDeploymentConfig(eth({ volReferenceBps: 499 }))).toThrow(/volReferenceBps/);
    expect(() => parseDeploymentConfig(eth({ volReferenceBps: 50_001 }))).toThrow(/volReferenceBps/);
    expect(() => parseDeploymentConfig(eth({ volCapBps: 9_999 }))).toThrow(/volCapBps/);
    expect(() => parseDeploymentConfig(eth({ volCapBps: 50_001 }))).toThrow(/volCapBps/);
    // TailRiskMath's bounds.
    expect(() => parseDeploymentConfig({ tailRisk: { minShareBps: 9500 } })).toThrow(/must not exceed maxShareBps/);
    expect(() => parseDeploymentConfig({ tailRisk: { maxDailyBps: 400 } })).toThrow(/must be at least maxStepBps/);
    expect(() => parseDeploymentConfig({ tailRisk: { referenceShockBps: -50 } })).toThrow(/referenceShockBps/);
    expect(() => parseDeploymentConfig({ backstop: { boostShareBps: 5001 } })).toThrow(/boostShareBps/);
    expect(() => parseDeploymentConfig({ governance: "multisig" as never })).toThrow(/governance/);
    // PoolAdmin's funding bounds, and the blend no larger than two fees (w x cap <= 2 x feeBps).
    const withFunding = (funding: Record<string, number>) => ({
      markets: [{ symbol: "ETH", price: 2000, baseReserve: 10_000, funding }],
      seed: { traders: [] },
    });
    expect(() => parseDeploymentConfig(withFunding({ blendWeightBps: 4001 }))).toThrow(/two fees/);
    expect(parseDeploymentConfig(withFunding({ blendWeightBps: 4000 })).markets[0]?.funding.blendWeightBps).toBe(4000);
    expect(() => parseDeploymentConfig(withFunding({ extremeVolBps: 999 }))).toThrow(/extremeVolBps/);
    expect(() => parseDeploymentConfig(withFunding({ extremeCapBps: 999 }))).toThrow(/extremeCapBps/);
    expect(() => parseDeploymentConfig(withFunding({ kickerThresholdBps: 0 }))).toThrow(/kickerThresholdBps/);
    expect(() => parseDeploymentConfig(withFunding({ kickerMaxE8: 100_001 }))).toThrow(/kickerMaxE8/);
    expect(() => parseDeploymentConfig({ fundingGroups: [["ETH", "SOL"]] })).toThrow(/unknown market SOL/);
    expect(() => parseDeploymentConfig({ fundingGroups: [["ETH"]] })).toThrow(/fundingGroups/);
    expect(() => parseDeploymentConfig({ fundingGroups: [["ETH", "ETH"]] })).toThrow(/in two groups/);
  });
});
