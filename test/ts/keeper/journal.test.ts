// The send journal belongs to one chain (genesis + deployment block hash): a journal of another chain, or of a keeper
// that did not record the chain, is archived, never followed; one of another signer is a configuration error.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Address, Hex } from "viem";
import { describe, expect, it } from "vitest";
import { type ChainIdentity, Journal, type JournalEntry } from "../../../ts/keeper/tx/journal";

const SIGNER: Address = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";
const POOL: Address = "0x0165878A594ca255338adfa4d48449f69242Eb8F";
const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;
const CHAIN: ChainIdentity = { chainId: 31_337, genesisHash: hash(1), deploymentBlockHash: hash(2) };

function entry(key: string, nonce: number): JournalEntry {
  return {
    key,
    task: "liquidation",
    nonce,
    to: POOL,
    data: "0x",
    gas: 100_000n,
    estimate: 80_000n,
    hashes: [hash(100 + nonce)],
    raw: "0x02",
    firstMaxFee: 1n,
    maxFee: 1n,
    tip: 1n,
    sentBlock: 5n,
    slots: [],
  };
}

function fileIn(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "keeper-journal-")), "journal.json");
}

describe("journal chain identity", () => {
  it("follows its own chain's entries and done keys across a restart", () => {
    const file = fileIn();
    const { journal } = Journal.open(file, CHAIN, SIGNER, POOL);
    journal.put(entry("a", 3));
    journal.finish("b", 4n);
    const again = Journal.open(file, CHAIN, SIGNER, POOL);
    expect(again.archived).toBeUndefined();
    expect([...again.journal.entries.keys()]).toEqual(["a"]);
    expect(again.journal.isDone("b")).toBe(true);
  });

  it("archives the journal of another chain with the same id (a replayed devnet) and starts empty", () => {
    const file = fileIn();
    const { journal } = Journal.open(file, CHAIN, SIGNER, POOL);
    journal.put(entry("a", 3));
    journal.finish("b", 4n);
    const replay = { ...CHAIN, deploymentBlockHash: hash(3) };
    const opened = Journal.open(file, replay, SIGNER, POOL);
    expect(opened.archived?.reason).toMatch(/deployment block/);
    expect(existsSync(opened.archived?.file as string)).toBe(true);
    expect(opened.journal.entries.size).toBe(0);
    expect(opened.journal.isDone("b")).toBe(false);
    // The archive keeps what the old chain's journal said.
    const archived = JSON.parse(readFileSync(opened.archived?.file as string, "utf8")) as { entries: unknown[] };
    expect(archived.entries).toHaveLength(1);
  });

  it("archives a journal that does not record its chain (version 1)", () => {
    const file = fileIn();
    writeFileSync(
      file,
      JSON.stringify({ version: 1, chainId: 31_337, signer: SIGNER, pool: POOL, entries: [], done: [] }),
    );
    const opened = Journal.open(file, CHAIN, SIGNER, POOL);
    expect(opened.archived?.reason).toMatch(/version 1/);
    expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith(".archived"))).toHaveLength(1);
  });

  it("refuses the journal of another signer (a configuration mistake, not a reset)", () => {
    const file = fileIn();
    Journal.open(file, CHAIN, SIGNER, POOL).journal.save();
    expect(() => Journal.open(file, CHAIN, POOL, POOL)).toThrow(/signer/);
  });

  it("resetTo archives the file and forgets every entry and done key", () => {
    const file = fileIn();
    const { journal } = Journal.open(file, CHAIN, SIGNER, POOL);
    journal.put(entry("a", 3));
    journal.finish("b", 4n);
    const next = { ...CHAIN, genesisHash: hash(9) };
    const archived = journal.resetTo(next, "reset");
    expect(archived && existsSync(archived.file)).toBe(true);
    expect(journal.entries.size).toBe(0);
    expect(journal.isDone("b")).toBe(false);
    expect(Journal.open(file, next, SIGNER, POOL).archived).toBeUndefined();
  });
});
