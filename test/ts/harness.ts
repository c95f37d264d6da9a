// Per-file chain fixture for vitest: one anvil per test file, state reset around every test.
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type AnvilInstance, type StartAnvilOptions, startAnvil } from "../../ts/devnet/anvil";
import { type CreateDevClientsOptions, createDevClients, type DevClients } from "../../ts/devnet/clients";

export type ChainFixture = DevClients & { anvil: AnvilInstance };

/**
 * Call once at the top of a test file (or describe block). Starts anvil in beforeAll, stops it in
 * afterAll, and wraps every test in evm_snapshot / evm_revert, so each test sees the state left by the
 * beforeAll hooks (deployments) and nothing else. The returned object is filled in by beforeAll: read
 * its fields inside hooks and tests, not at the top level of the file.
 * @example
 * const chain = useChain();
 * let usdc: Address;
 * beforeAll(async () => {
 *   usdc = await deployContract(chain.deployer, chain.publicClient, { abi: testUsdcAbi, bytecode: testUsdcBytecode });
 * });
 * it("mints", async () => { ... chain.publicClient.readContract({ address: usdc, ... }) ... });
 */
export function useChain(options: StartAnvilOptions & CreateDevClientsOptions = {}): ChainFixture {
  let current: ChainFixture | undefined;
  let snapshotId: `0x${string}` | undefined;

  beforeAll(async () => {
    const anvil = await startAnvil(options);
    try {
      current = { ...createDevClients(anvil.rpcUrl, options), anvil };
    } catch (err) {
      await anvil.stop();
      throw err;
    }
  });
  afterAll(async () => {
    await current?.anvil.stop();
    current = undefined;
  });
  beforeEach(async () => {
    snapshotId = await get().snapshot();
  });
  afterEach(async () => {
    if (snapshotId) await get().revert(snapshotId);
    snapshotId = undefined;
  });

  const get = (): ChainFixture => {
    if (!current) throw new Error("useChain(): the chain is only available inside hooks and tests (after beforeAll)");
    return current;
  };
  return new Proxy({} as ChainFixture, { get: (_, key) => get()[key as keyof ChainFixture] });
}
