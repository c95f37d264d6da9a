import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  formatUnits,
  type Hex,
  parseAbi,
} from "viem";
import { describe, expect, it } from "vitest";
import { ContractRevertError, decodeContractError, PerpError, toPerpError } from "../../ts/errors";

const abi = parseAbi([
  "error InsufficientMargin(uint256 value, uint256 required)",
  "error Paused()",
  "error Unnamed(int256, address)",
  "function trade(int256 size)",
]);

/** The error chain viem throws from simulateContract/readContract when the call reverts with `data`. */
function reverted(data: Hex): BaseError {
  const cause = new ContractFunctionRevertedError({ abi, data, functionName: "trade" });
  return new ContractFunctionExecutionError(cause, { abi, functionName: "trade", args: [1n] });
}

describe("PerpError", () => {
  it("keeps shortMessage, details and cause", () => {
    const cause = new Error("boom");
    const e = new PerpError("Deposit failed", { details: "tx 0xabc", cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("PerpError");
    expect(e.shortMessage).toBe("Deposit failed");
    expect(e.details).toBe("tx 0xabc");
    expect(e.message).toBe("Deposit failed\n\nDetails: tx 0xabc");
    expect(e.cause).toBe(cause);
  });
});

describe("decodeContractError", () => {
  it("decodes a custom error with its parameter names, bigint args printed plainly", () => {
    const data = encodeErrorResult({ abi, errorName: "InsufficientMargin", args: [812_400_000n, 900_000_000n] });
    expect(decodeContractError(reverted(data), abi)).toEqual({
      name: "InsufficientMargin",
      args: [812_400_000n, 900_000_000n],
      message: "InsufficientMargin: value=812400000 required=900000000",
    });
  });

  it("accepts a formatter for domain units", () => {
    const data = encodeErrorResult({ abi, errorName: "InsufficientMargin", args: [812_400_000n, 900_000_000n] });
    const usdc = (v: unknown) => (typeof v === "bigint" ? formatUnits(v, 6) : undefined);
    expect(decodeContractError(reverted(data), abi, usdc)?.message).toBe(
      "InsufficientMargin: value=812.4 required=900",
    );
  });

  it("handles errors without arguments, unnamed parameters, Error(string) and Panic", () => {
    expect(decodeContractError(reverted(encodeErrorResult({ abi, errorName: "Paused" })), abi)?.message).toBe("Paused");
    const unnamed = encodeErrorResult({
      abi,
      errorName: "Unnamed",
      args: [-5n, "0x0000000000000000000000000000000000000001"],
    });
    expect(decodeContractError(reverted(unnamed), abi)?.message).toBe(
      "Unnamed: arg0=-5 arg1=0x0000000000000000000000000000000000000001",
    );
    const errorString = encodeErrorResult({
      abi: parseAbi(["error Error(string)"]),
      errorName: "Error",
      args: ["slippage"],
    });
    expect(decodeContractError(reverted(errorString), abi)?.message).toBe('Error: reason="slippage"');
    const panic = encodeErrorResult({ abi: parseAbi(["error Panic(uint256)"]), errorName: "Panic", args: [0x11n] });
    expect(decodeContractError(reverted(panic), abi)?.message).toBe("Panic: code=17");
  });

  it("finds raw revert data outside a ContractFunctionRevertedError (deployments, raw sends)", () => {
    const data = encodeErrorResult({ abi, errorName: "InsufficientMargin", args: [1n, 2n] });
    const rpc = Object.assign(new BaseError("execution reverted"), { data });
    const wrapped = new BaseError("Transaction failed", { cause: rpc });
    expect(decodeContractError(wrapped, abi)?.name).toBe("InsufficientMargin");
  });

  it("returns undefined when nothing decodes", () => {
    expect(decodeContractError(new Error("plain"), abi)).toBeUndefined();
    expect(decodeContractError(new BaseError("no data"), abi)).toBeUndefined();
    expect(decodeContractError(reverted("0xdeadbeef"), abi)).toBeUndefined();
  });
});

describe("toPerpError", () => {
  it("wraps a decodable revert into a ContractRevertError with context", () => {
    const data = encodeErrorResult({ abi, errorName: "InsufficientMargin", args: [1n, 2n] });
    const err = reverted(data);
    const e = toPerpError(err, "openPosition", abi);
    expect(e).toBeInstanceOf(ContractRevertError);
    expect(e.shortMessage).toBe("openPosition: InsufficientMargin: value=1 required=2");
    expect((e as ContractRevertError).errorName).toBe("InsufficientMargin");
    expect((e as ContractRevertError).args).toEqual([1n, 2n]);
    expect(e.cause).toBe(err);
  });

  it("wraps anything else into a PerpError and leaves PerpErrors alone", () => {
    const e = toPerpError(new Error("socket hang up"), "getPosition");
    expect(e.shortMessage).toBe("getPosition: socket hang up");
    expect(toPerpError(e, "other")).toBe(e);
  });
});
