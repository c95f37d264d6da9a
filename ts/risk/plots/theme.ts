// The look every figure shares: one font (DejaVu Sans, bundled, so SVG text and PNG glyphs are the same on every
// machine), white background, the tranche and marker colours.
import type { Config } from "vega-lite";

export const FONT_FAMILY = "DejaVu Sans";

export const TRANCHE_COLOR = { junior: "#d97706", senior: "#2563eb" } as const;
/** VaR95, VaR99, ES99, in that order. */
export const MARKER_COLORS = ["#059669", "#dc2626", "#7c3aed"];
export const MODEL_COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed"];

export const CONFIG: Config = {
  font: FONT_FAMILY,
  background: "white",
  padding: 12,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridColor: "#e5e7eb" },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
  title: { fontSize: 15, fontWeight: "bold", subtitleFontSize: 12, subtitleColor: "#4b5563", anchor: "start" },
  header: { labelFontSize: 12, labelFontWeight: "bold" },
};
