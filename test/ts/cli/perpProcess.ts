// Runs `perp` as a user does (node bin/perp.mjs, a child process) and a long-running `perp devnet` that the
// tests wait on by its "keeps running" line, then stop with SIGINT.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
const BIN = path.join(ROOT, "bin/perp.mjs");

export type Run = { code: number | null; stdout: string; stderr: string };

const baseEnv = (env: NodeJS.ProcessEnv) => ({
  ...process.env,
  PERP_PRIVATE_KEY: "",
  PERP_DEPLOYMENT: "",
  PERP_RPC_URL: "",
  PRIVATE_KEY: "",
  DEBUG: "",
  ...env,
});

/** `perp <args>` to completion. */
export function perp(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: baseEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `perp <args> --json` that must succeed: its parsed JSON. */
export async function perpJson<T = Record<string, unknown>>(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const run = await perp([...args, "--json"], env);
  if (run.code !== 0) throw new Error(`perp ${args.join(" ")} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export type Devnet = {
  child: ChildProcess;
  rpcUrl: string;
  stdout: () => string;
  stderr: () => string;
  stop(): Promise<number | null>;
};

/** Starts `perp devnet <args>` and resolves once it prints that it keeps running. */
export function startDevnet(args: readonly string[]): Promise<Devnet> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "devnet", ...args], {
      cwd: ROOT,
      env: baseEnv({}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const closed = new Promise<number | null>((r) => child.once("close", r));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      const m = / keeps running at (http:\/\/\S+) /.exec(stdout);
      if (m?.[1]) {
        resolve({
          child,
          rpcUrl: m[1],
          stdout: () => stdout,
          stderr: () => stderr,
          stop: () => {
            child.kill("SIGINT");
            return closed;
          },
        });
      }
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
    });
    child.once("error", reject);
    void closed.then((code) => reject(new Error(`perp devnet exited ${code} before it was ready:\n${stderr}`)));
  });
}
