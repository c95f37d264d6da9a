// The one error base class of the TypeScript code, and the decoder that turns a contract revert
// into a named error a person can read ("InsufficientMargin: value=812400000 required=900000000").
import {
  type Abi,
  type AbiParameter,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Hex,
  isHex,
} from "viem";

export type PerpErrorOptions = {
  /** Longer explanation or context, appended to `message` on its own line. */
  details?: string | undefined;
  /** The error this one wraps (a viem error, an RPC error...). */
  cause?: unknown;
};

/**
 * Base class of every error thrown by this code base.
 * `shortMessage` is one line for people; `message` adds `details`; `cause` keeps the original error.
 * @example
 * throw new PerpError("Deployment of TestUSDC reverted", { details: `tx ${hash}` });
 */
export class PerpError extends Error {
  override name = "PerpError";
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(shortMessage: string, options: PerpErrorOptions = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, {
      cause: options.cause,
    });
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/** A contract revert decoded against an ABI: custom error, `Error(string)` or `Panic(uint256)`. */
export class ContractRevertError extends PerpError {
  override name = "ContractRevertError";
  readonly errorName: string;
  readonly args: readonly unknown[];

  constructor(decoded: DecodedContractError, options: PerpErrorOptions = {}) {
    super(decoded.message, options);
    this.errorName = decoded.name;
    this.args = decoded.args;
  }
}

export type DecodedContractError = {
  /** Custom error name, or `Error` / `Panic` for the built-in reverts. */
  name: string;
  args: readonly unknown[];
  /** `Name: param=value param=value` */
  message: string;
};

/** Formats one argument; return undefined to fall back to the plain format. */
export type ArgFormatter = (value: unknown, param: AbiParameter | undefined, errorName: string) => string | undefined;

/**
 * Finds the contract revert inside `err` (viem wraps it several levels deep) and decodes it against `abi`.
 * Returns undefined when `err` holds no revert data this ABI (or the built-in Error/Panic) can decode.
 * @example
 * try { await publicClient.simulateContract({ ...call, abi: perpPoolAbi }) }
 * catch (err) { const decoded = decodeContractError(err, perpPoolAbi); if (decoded) console.log(decoded.message) }
 */
export function decodeContractError(
  err: unknown,
  abi: Abi | readonly unknown[],
  format?: ArgFormatter,
): DecodedContractError | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
    const { errorName, args } = reverted.data;
    return describe(abi, errorName, args ?? [], format);
  }
  // Not a contract-function call (deployment, raw sendTransaction) or an ABI that missed the error:
  // look for raw revert data anywhere in the chain and decode it ourselves.
  const raw = findRevertData(err);
  if (!raw) return undefined;
  try {
    const { errorName, args } = decodeErrorResult({ abi: abi as Abi, data: raw });
    return describe(abi, errorName, args ?? [], format);
  } catch {
    return undefined;
  }
}

/**
 * Wraps any error into a PerpError: a ContractRevertError when `abi` decodes it, else a PerpError
 * whose short message is `context: <viem short message>`.
 */
export function toPerpError(err: unknown, context: string, abi?: Abi | readonly unknown[]): PerpError {
  if (err instanceof PerpError) return err;
  const decoded = abi ? decodeContractError(err, abi) : undefined;
  if (decoded) {
    return new ContractRevertError({ ...decoded, message: `${context}: ${decoded.message}` }, { cause: err });
  }
  const short = err instanceof BaseError ? err.shortMessage : err instanceof Error ? err.message : String(err);
  return new PerpError(`${context}: ${short}`, {
    details: err instanceof BaseError ? err.details : undefined,
    cause: err,
  });
}

function findRevertData(err: BaseError): Hex | undefined {
  let found: Hex | undefined;
  err.walk((e) => {
    const candidates = [(e as { raw?: unknown }).raw, (e as { data?: unknown }).data];
    for (const c of candidates) {
      const data = typeof c === "object" && c !== null && "data" in c ? (c as { data: unknown }).data : c;
      if (typeof data === "string" && isHex(data) && data.length >= 10) {
        found = data;
        return true;
      }
    }
    return false;
  });
  return found;
}

function describe(
  abi: Abi | readonly unknown[],
  name: string,
  args: readonly unknown[],
  format: ArgFormatter | undefined,
): DecodedContractError {
  const params = inputsOf(abi, name, args.length);
  const parts = args.map((value, i) => {
    const param = params[i];
    const label = param?.name || `arg${i}`;
    return `${label}=${format?.(value, param, name) ?? formatPlain(value)}`;
  });
  return { name, args, message: parts.length ? `${name}: ${parts.join(" ")}` : name };
}

function inputsOf(abi: Abi | readonly unknown[], name: string, arity: number): readonly AbiParameter[] {
  if (name === "Error") return [{ name: "reason", type: "string" }];
  if (name === "Panic") return [{ name: "code", type: "uint256" }];
  const item = (abi as Abi).find(
    (x): x is Extract<Abi[number], { type: "error" }> =>
      x.type === "error" && x.name === name && x.inputs.length === arity,
  );
  return item?.inputs ?? [];
}

/** bigint as plain decimal, strings quoted, arrays and structs spelled out. */
export function formatPlain(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return isHex(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatPlain).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${formatPlain(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}
