// What a lightweight-charts chart drew: pixels of one colour on its plot canvases, read in the page.
import type { Page } from "playwright-core";

/** The part of a canvas element the pixel count uses (the tests run under Node's types, without the DOM's). */
type Canvas = {
  width: number;
  height: number;
  getContext(
    kind: "2d",
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
};

/** Pixels of `rgb` (±12 a channel) in the chart's plot canvases (the widest ones), and the x range they span. */
export async function linePixels(page: Page, testid: string, rgb: readonly number[]) {
  return page.getByTestId(testid).evaluate((el, [r, g, b]) => {
    const canvases = [
      ...(el as unknown as { querySelectorAll(s: string): Iterable<Canvas> }).querySelectorAll("canvas"),
    ];
    const widest = Math.max(...canvases.map((c) => c.width));
    let count = 0;
    let minX = Number.POSITIVE_INFINITY;
    let maxX = -1;
    for (const c of canvases.filter((x) => x.width === widest)) {
      const ctx = c.getContext("2d");
      if (!ctx) continue;
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < data.length; i += 4) {
        const near = (k: number, v: number) => Math.abs((data[i + k] as number) - v) <= 12;
        if (near(0, r as number) && near(1, g as number) && near(2, b as number)) {
          count++;
          const x = (i / 4) % c.width;
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
        }
      }
    }
    return { count, span: maxX < 0 ? 0 : (maxX - minX + 1) / widest };
  }, rgb);
}
