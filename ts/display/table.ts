// Text tables for people: a header row and right-aligned value columns.

/** Left-aligned first column, right-aligned others, columns separated by two spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], indent = "  "): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
