// The values of `start`'s options: commander (ts/cli/program.ts) parses the syntax, this zod schema the values.
import type { Hex } from "viem";
import { z } from "zod";
import { UsageError } from "./errors";

/** What commander hands the `start` action (flags as given, strings unparsed). */
export type RawStartOptions = {
  rpcUrl?: string | undefined;
  forkUrl?: string | undefined;
  port?: string | undefined;
  privateKey?: string | undefined;
  config?: string | undefined;
  out?: string | undefined;
  /** `--no-seed` sets false. */
  seed?: boolean | undefined;
  keepAlive?: boolean | undefined;
};

export type StartOptions = {
  rpcUrl?: string | undefined;
  forkUrl?: string | undefined;
  port?: number | undefined;
  privateKey?: Hex | undefined;
  configPath?: string | undefined;
  out?: string | undefined;
  seed: boolean;
  keepAlive: boolean;
};

const PORT_MESSAGE = "--port: expected a port number (1-65535)";

const httpUrl = (flag: string) =>
  z.string().superRefine((s, ctx) => {
    if (/^wss?:\/\//i.test(s)) {
      ctx.addIssue({
        code: "custom",
        message: `${flag}: WebSocket URLs are not supported (the SDK's clients speak HTTP): pass the node's http(s) URL`,
      });
    } else if (!/^https?:\/\/[^\s/]+\S*$/i.test(s)) {
      ctx.addIssue({ code: "custom", message: `${flag}: expected an http(s) URL, got "${s}"` });
    }
  });

// anvil itself opens the fork, and it speaks WebSocket as well as HTTP.
const forkUrl = z
  .string()
  .refine((s) => /^(https?|wss?):\/\/[^\s/]+\S*$/i.test(s), "--fork-url: expected an http(s) or ws(s) URL");

const startOptionsSchema = z
  .object({
    rpcUrl: httpUrl("--rpc-url").optional(),
    forkUrl: forkUrl.optional(),
    port: z
      .string()
      .regex(/^\d+$/, PORT_MESSAGE)
      .transform(Number)
      .pipe(z.number().int().min(1, PORT_MESSAGE).max(65_535, PORT_MESSAGE))
      .optional(),
    // Never echo a key in an error message.
    privateKey: z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, "--private-key / PRIVATE_KEY: expected 0x followed by 64 hex digits")
      .transform((s) => s as Hex)
      .optional(),
    config: z.string().min(1, "--config: expected a file name").optional(),
    out: z.string().min(1, "--out: expected a file name").optional(),
    seed: z.boolean().default(true),
    keepAlive: z.boolean().default(false),
  })
  .refine((o) => !(o.rpcUrl && o.forkUrl), "--rpc-url and --fork-url exclude each other")
  .refine((o) => !(o.rpcUrl && o.port !== undefined), "--port applies to the embedded anvil, not to --rpc-url")
  .refine((o) => !(o.rpcUrl && o.keepAlive), "--keep-alive applies to the embedded anvil, not to --rpc-url");

/**
 * Validates `start`'s options (the private key falls back to env PRIVATE_KEY). Throws UsageError with a
 * one-line reason on bad input.
 * @example
 * parseStartOptions({ port: "8545", keepAlive: true });
 */
export function parseStartOptions(raw: RawStartOptions, env: NodeJS.ProcessEnv = process.env): StartOptions {
  const result = startOptionsSchema.safeParse({ ...raw, privateKey: raw.privateKey ?? (env.PRIVATE_KEY || undefined) });
  if (!result.success) throw new UsageError(result.error.issues.map((i) => i.message).join("; "));
  const o = result.data;
  return {
    rpcUrl: o.rpcUrl,
    forkUrl: o.forkUrl,
    port: o.port,
    privateKey: o.privateKey,
    configPath: o.config,
    out: o.out,
    seed: o.seed,
    keepAlive: o.keepAlive,
  };
}
