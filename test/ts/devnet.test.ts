import type { Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { beforeAll, describe, expect, it } from "vitest";
import { testUsdcAbi, testUsdcBytecode } from "../../ts/abi/generated";
import { startAnvil } from "../../ts/devnet/anvil";
import { ANVIL_MNEMONIC, createDevClients, devAccount } from "../../ts/devnet/clients";
import { deployContract } from "../../ts/devnet/deploy";
import { ContractRevertError, decodeContractError, PerpError } from "../../ts/errors";
import { useChain } from "./harness";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("startAnvil", () => {
  it("starts on a free port, answers RPC, and is gone after stop()", async () => {
    const anvil = await startAnvil({ chainId: 31_338 });
    try {
      expect(anvil.rpcUrl).toBe(`http://127.0.0.1:${anvil.port}`);
      expect(isAlive(anvil.pid)).toBe(true);
      const { publicClient } = createDevClients(anvil.rpcUrl, { chainId: 31_338 });
      expect(await publicClient.getChainId()).toBe(31_338);
    } finally {
      await anvil.stop();
    }
    expect(isAlive(anvil.pid)).toBe(false);
    await anvil.stop(); // idempotent
  });

  it("runs two instances side by side", async () => {
    const [a, b] = await Promise.all([startAnvil(), startAnvil()]);
    expect(a.port).not.toBe(b.port);
    await Promise.all([a.stop(), b.stop()]);
    expect(isAlive(a.pid) || isAlive(b.pid)).toBe(false);
  });

  it("fails with a readable error, including anvil's output, on a bad argument", async () => {
    const error = await startAnvil({ args: ["--no-such-flag"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PerpError);
    expect((error as PerpError).shortMessage).toMatch(/anvil exited \(code \d+\) before listening/);
    expect((error as PerpError).message).toContain("--no-such-flag");
  });
});

describe("devAccount", () => {
  it("derives the same accounts as viem's mnemonicToAccount (anvil's funded accounts)", () => {
    expect(devAccount(0).address).toBe("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    for (const i of [1, 9]) {
      expect(devAccount(i).address).toBe(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }).address);
    }
  });
});

describe("useChain", () => {
  const chain = useChain();
  let usdc: Address;
  const alice = () => chain.wallet(1).account.address;

  beforeAll(async () => {
    usdc = await deployContract(chain.deployer, chain.publicClient, {
      abi: testUsdcAbi,
      bytecode: testUsdcBytecode,
      name: "TestUSDC",
    });
  });

  const balanceOf = (who: Address) =>
    chain.publicClient.readContract({ address: usdc, abi: testUsdcAbi, functionName: "balanceOf", args: [who] });

  it("deploys a generated contract and reads it", async () => {
    const read = (functionName: "decimals" | "name" | "symbol") =>
      chain.publicClient.readContract({ address: usdc, abi: testUsdcAbi, functionName });
    expect(await read("decimals")).toBe(6);
    expect(await read("name")).toBe("Test USD Coin");
    expect(await read("symbol")).toBe("USDC");

    const hash = await chain.deployer.writeContract({
      address: usdc,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [alice(), 1_234_567n],
    });
    expect((await chain.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await balanceOf(alice())).toBe(1_234_567n);
  });

  it("snapshot/revert restores state: the previous test's mint is gone", async () => {
    expect(await balanceOf(alice())).toBe(0n);
    const before = await chain.publicClient.getBlockNumber();
    const id = await chain.snapshot();
    const hash = await chain.deployer.writeContract({
      address: usdc,
      abi: testUsdcAbi,
      functionName: "mint",
      args: [alice(), 5n],
    });
    // Automine mines it at once, but the node may answer the read before it has: read after the receipt.
    expect((await chain.publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await balanceOf(alice())).toBe(5n);
    expect(await chain.publicClient.getBlockNumber()).toBe(before + 1n);
    await chain.revert(id);
    expect(await balanceOf(alice())).toBe(0n);
    expect(await chain.publicClient.getBlockNumber()).toBe(before);
    await expect(chain.revert(id)).rejects.toThrow(/evm_revert/);
  });

  it("decodes a revert into a named error", async () => {
    // transfer from an empty account: OpenZeppelin's ERC20InsufficientBalance(sender, balance, needed)
    const error = await chain
      .wallet(2)
      .writeContract({ address: usdc, abi: testUsdcAbi, functionName: "transfer", args: [alice(), 7n] })
      .catch((e: unknown) => e);
    const decoded = decodeContractError(error, testUsdcAbi);
    expect(decoded?.name).toBe("ERC20InsufficientBalance");
    expect(decoded?.args.slice(1)).toEqual([0n, 7n]);
    expect(decoded?.message).toBe(
      `ERC20InsufficientBalance: sender=${chain.wallet(2).account.address} balance=0 needed=7`,
    );
  });

  it("reports a failed deployment as a PerpError naming the contract", async () => {
    const error = await deployContract(chain.deployer, chain.publicClient, {
      abi: testUsdcAbi,
      bytecode: "0xfe", // INVALID opcode
      name: "Broken",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PerpError);
    expect(error).not.toBeInstanceOf(ContractRevertError);
    expect((error as PerpError).shortMessage).toMatch(/^Deployment of Broken/);
  });
});
