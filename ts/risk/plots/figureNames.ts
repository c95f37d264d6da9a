// The report's figures by name (the files `<name>.svg` / `<name>.png` in the out dir) and what each shows. Pure:
// the web page lists them too.

export const FIGURE_NAMES = [
  "junior-loss",
  "senior-loss",
  "junior-exceedance",
  "senior-exceedance",
  "bad-debt-vs-move",
] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

/** A line for people per figure: report.html's caption, the page's alt text. */
export const FIGURE_CAPTIONS: Record<FigureName, string> = {
  "junior-loss": "Junior tranche: loss per path (histogram)",
  "senior-loss": "Senior tranche: loss per path (histogram)",
  "junior-exceedance": "Junior tranche: P(loss > x)",
  "senior-exceedance": "Senior tranche: P(loss > x)",
  "bad-debt-vs-move": "Bad debt against the move of each market",
};
