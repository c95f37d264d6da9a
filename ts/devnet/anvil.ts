// Starts a local anvil from node_modules: the native binary (never the npm launcher, which orphans
// the real anvil when killed), on a free port, killed by its own pid on stop() and on process exit.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { foundryBinary } from "../../scripts/foundryBinary.mjs";
import { PerpError } from "../errors";

export type StartAnvilOptions = {
  /** Port to listen on; default: a free port (retried if another process takes it first). */
  port?: number;
  host?: string;
  /** Default 31337. */
  chainId?: number;
  /** Seconds between blocks (interval mining); default: automine, one block per transaction. */
  blockTime?: number;
  /** Fork this RPC URL (e.g. another local anvil). */
  forkUrl?: string;
  forkBlockNumber?: bigint | number;
  /** Number of funded dev accounts (default 10), derived from the default mnemonic. */
  accounts?: number;
  /** Ether balance of each dev account (default 10000). */
  balance?: number;
  /** Default true: anvil's output is kept (for error messages) but not printed. */
  silent?: boolean;
  /** How long to wait for `Listening on`; default 15 s. */
  startTimeoutMs?: number;
  /** Extra anvil arguments, e.g. ["--code-size-limit", "50000"]. */
  args?: readonly string[];
};

export type AnvilInstance = {
  rpcUrl: string;
  port: number;
  pid: number;
  /** Kills this anvil (SIGTERM, then SIGKILL after 3 s) and resolves once the process has exited. */
  stop(): Promise<void>;
};

const MAX_PORT_ATTEMPTS = 5;
const STOP_GRACE_MS = 3_000;
const OUTPUT_TAIL_LINES = 40;
const running = new Set<ChildProcess>();

/**
 * Starts anvil and waits until it accepts connections.
 * @example
 * const anvil = await startAnvil({ chainId: 31337 });
 * const clients = createDevClients(anvil.rpcUrl);
 * await anvil.stop();
 */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilInstance> {
  const attempts = options.port === undefined ? MAX_PORT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(options.host ?? "127.0.0.1"));
    try {
      return await startOnce(port, options);
    } catch (err) {
      if (!(err instanceof AddressInUseError) || attempt >= attempts) throw err;
    }
  }
}

class AddressInUseError extends PerpError {
  override name = "AddressInUseError";
}

function anvilArgs(port: number, o: StartAnvilOptions): string[] {
  const args = ["--host", o.host ?? "127.0.0.1", "--port", String(port)];
  if (o.chainId !== undefined) args.push("--chain-id", String(o.chainId));
  if (o.blockTime !== undefined) args.push("--block-time", String(o.blockTime));
  if (o.forkUrl !== undefined) args.push("--fork-url", o.forkUrl);
  if (o.forkBlockNumber !== undefined) args.push("--fork-block-number", String(o.forkBlockNumber));
  if (o.accounts !== undefined) args.push("--accounts", String(o.accounts));
  if (o.balance !== undefined) args.push("--balance", String(o.balance));
  return [...args, ...(o.args ?? [])];
}

function startOnce(port: number, options: StartAnvilOptions): Promise<AnvilInstance> {
  const args = anvilArgs(port, options);
  const silent = options.silent ?? true;
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const child = spawn(foundryBinary("anvil"), args, { stdio: ["ignore", "pipe", "pipe"] });
  const tail: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  running.add(child);
  child.once("exit", () => running.delete(child));
  installExitHook();

  return new Promise<AnvilInstance>((resolve, reject) => {
    let ready = false;
    const output = () => tail.join("\n") || "(no output)";
    const fail = (error: Error) => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new PerpError(`anvil did not start within ${timeoutMs} ms on port ${port}`, { details: output() })),
      timeoutMs,
    );
    // Keep draining both pipes for the whole life of the process: anvil logs every RPC call and
    // would block once a pipe buffer fills.
    const onLine = (stream: "stdout" | "stderr") => (line: string) => {
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
      if (!silent) process[stream].write(`[anvil:${port}] ${line}\n`);
      const listening = /Listening on (\S+):(\d+)/.exec(line);
      if (!ready && listening) {
        ready = true;
        clearTimeout(timer);
        const actualPort = Number(listening[2]);
        resolve({
          rpcUrl: `http://${options.host ?? "127.0.0.1"}:${actualPort}`,
          port: actualPort,
          pid: child.pid as number,
          stop: () => stopChild(child, exited),
        });
      }
    };
    readLines(child.stdout, onLine("stdout"));
    readLines(child.stderr, onLine("stderr"));
    child.once("error", (err) =>
      fail(new PerpError(`could not start anvil: ${err.message}`, { details: args.join(" "), cause: err })),
    );
    child.once("exit", (code, signal) => {
      if (ready) return;
      const text = output();
      const message = `anvil exited (${signal ?? `code ${code}`}) before listening on port ${port}`;
      fail(
        /address already in use|AddrInUse|os error 98/i.test(text)
          ? new AddressInUseError(message, { details: text })
          : new PerpError(message, { details: `anvil ${args.join(" ")}\n${text}` }),
      );
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) onLine(line.trimEnd());
  });
}

/** A port that was free a moment ago (the OS picks it). */
export function findFreePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not read the port of a probe socket"))));
    });
  });
}

let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const child of running) child.kill("SIGKILL");
  };
  // Synchronous: all an 'exit' handler can do. SIGKILL so nothing outlives this process.
  process.once("exit", killAll);
  // A signal ends node without 'exit'. When nobody else handles it, kill the anvils and re-raise it
  // with the default behaviour; when someone does, they own the shutdown (and 'exit' still fires).
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = () => {
      if (process.listenerCount(signal) > 1) return;
      killAll();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
