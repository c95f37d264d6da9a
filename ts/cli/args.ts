// Command-line parsing: node:util parseArgs for the syntax, one zod schema for the values.
import { parseArgs } from "node:util";
import type { Hex } from "viem";
import { z } from "zod";
import { UsageError } from "./errors";

export const COMMANDS = ["start", "help"] as const;
export type Command = (typeof COMMANDS)[number];

export const USAGE = `Usage: npm start -- [command] [options]      (or: tsx ts/cli/main.ts [command] [options])

Commands:
  start (default)   start a local chain (or use --rpc-url), deploy the protocol, seed LPs and traders,
                    and print addresses, markets, tranche coverage, trader health and a stress test
  help              show this text

Options for start:
  --rpc-url URL       deploy to an existing node instead of starting anvil
  --fork-url URL      start anvil as a fork of URL and deploy onto the fork
  --port N            port of the embedded anvil (default: a free port)
  --private-key HEX   deployer key for --rpc-url (or env PRIVATE_KEY); default anvil account 0 on chain 31337
  --config FILE       deployment config (JSON, human units; see ts/deploy/config.ts); default = the forge fixture
  --out FILE          write the deployment (addresses, chain id, start block) as JSON
  --no-seed           deploy only: no LP deposits, no traders
  --keep-alive        keep the embedded anvil running until Ctrl-C
  -h, --help          show this text

Exit codes: 0 ok, 1 failed (the reason is printed), 2 bad input.`;

const url = (flag: string) =>
  z.string().refine((s) => /^(https?|wss?):\/\/\S+$/.test(s), `${flag}: expected an http(s) or ws(s) URL`);

const startOptionsSchema = z
  .object({
    "rpc-url": url("--rpc-url").optional(),
    "fork-url": url("--fork-url").optional(),
    port: z
      .string()
      .regex(/^\d+$/, "--port: expected a port number (1-65535)")
      .transform(Number)
      .pipe(z.number().int().min(1, "--port: expected 1-65535").max(65_535, "--port: expected 1-65535"))
      .optional(),
    // Never echo a key in an error message.
    "private-key": z
      .string()
      .regex(/^0x[0-9a-fA-F]{64}$/, "--private-key / PRIVATE_KEY: expected 0x followed by 64 hex digits")
      .transform((s) => s as Hex)
      .optional(),
    config: z.string().min(1).optional(),
    out: z.string().min(1).optional(),
    "no-seed": z.boolean().default(false),
    "keep-alive": z.boolean().default(false),
  })
  .refine((o) => !(o["rpc-url"] && o["fork-url"]), "--rpc-url and --fork-url exclude each other")
  .refine((o) => !(o["rpc-url"] && o.port !== undefined), "--port applies to the embedded anvil, not to --rpc-url")
  .refine((o) => !(o["rpc-url"] && o["keep-alive"]), "--keep-alive applies to the embedded anvil, not to --rpc-url");

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

export type ParsedArgs = { command: "help" } | { command: "start"; options: StartOptions };

/**
 * Parses argv (without node and the script). Throws UsageError with a one-line reason on bad input.
 * @example
 * parseCliArgs(["start", "--port", "8545", "--keep-alive"]);
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  let parsed: ReturnType<typeof parseWithNode>;
  try {
    parsed = parseWithNode(argv);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [command = "start", ...rest] = positionals;
  if (values.help || command === "help") return { command: "help" };
  if (command !== "start") throw new UsageError(`unknown command "${command}" (commands: ${COMMANDS.join(", ")})`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const { help: _help, ...startValues } = values;
  const result = startOptionsSchema.safeParse({
    ...startValues,
    "private-key": startValues["private-key"] ?? (env.PRIVATE_KEY || undefined),
  });
  if (!result.success) throw new UsageError(result.error.issues.map((i) => i.message).join("; "));
  const o = result.data;
  return {
    command: "start",
    options: {
      rpcUrl: o["rpc-url"],
      forkUrl: o["fork-url"],
      port: o.port,
      privateKey: o["private-key"],
      configPath: o.config,
      out: o.out,
      seed: !o["no-seed"],
      keepAlive: o["keep-alive"],
    },
  };
}

function parseWithNode(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      "rpc-url": { type: "string" },
      "fork-url": { type: "string" },
      port: { type: "string" },
      "private-key": { type: "string" },
      config: { type: "string" },
      out: { type: "string" },
      "no-seed": { type: "boolean" },
      "keep-alive": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
