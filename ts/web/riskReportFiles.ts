// The last risk report's out dir over HTTP (RISK_REPORT_PATH + file name): report.json, the figures and
// report.html, by plain file name only (no sub-paths, no dot-files). Revalidated by ETag (size and mtime), so the page
// can ask every few seconds and a new report shows at once while an unchanged one costs a 304.
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve } from "node:path";

const TYPES: Record<string, string> = {
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".html": "text/html; charset=utf-8",
};
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Answers a GET/HEAD for `name` from `dir` (resolved against the current directory): 200 with an ETag, 304 when
 * the client's copy is current, 404 when there is no such report file.
 */
export async function serveRiskReportFile(
  dir: string,
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const type = TYPES[extname(name)];
  if (!NAME.test(name) || !type) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  const file = join(resolve(dir), name);
  let size: number;
  let mtimeMs: number;
  try {
    ({ size, mtimeMs } = await stat(file));
  } catch {
    return void res.writeHead(404, { "content-type": "text/plain" }).end("no risk report: run `perp risk report`");
  }
  const etag = `"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const headers = { "content-type": type, "cache-control": "no-cache", etag };
  if (req.headers["if-none-match"] === etag) return void res.writeHead(304, headers).end();
  const body = await readFile(file);
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}
