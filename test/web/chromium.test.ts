// Which Chromium the web tests take (system when present, else npm), and that the npm one — what a machine with
// only Node and the npm registry gets — opens a page, on every run, whichever the journeys use.
import { describe, expect, it } from "vitest";
import { launchChromium } from "./browser";
import { chooseChromium, DEBIAN_CHROMIUM } from "./chromiumChoice";

const only =
  (...present: string[]) =>
  (path: string) =>
    present.includes(path);

describe("chooseChromium", () => {
  it("takes Debian's Chromium when it is installed and nothing is set", () => {
    expect(chooseChromium({}, only(DEBIAN_CHROMIUM))).toEqual({
      kind: "system",
      path: DEBIAN_CHROMIUM,
      why: DEBIAN_CHROMIUM,
    });
  });

  it("takes CHROMIUM_PATH over Debian's when that file exists", () => {
    const choice = chooseChromium({ CHROMIUM_PATH: "/opt/chrome/chrome" }, only("/opt/chrome/chrome", DEBIAN_CHROMIUM));
    expect(choice).toMatchObject({ kind: "system", path: "/opt/chrome/chrome" });
  });

  it("falls back to the npm Chromium when no system one exists", () => {
    expect(chooseChromium({}, only())).toEqual({ kind: "npm", why: `no Chromium at ${DEBIAN_CHROMIUM}` });
  });

  it("a CHROMIUM_PATH that does not exist hides Debian's: the npm Chromium, saying why", () => {
    expect(chooseChromium({ CHROMIUM_PATH: "/nonexistent" }, only(DEBIAN_CHROMIUM))).toEqual({
      kind: "npm",
      why: "no Chromium at /nonexistent",
    });
  });

  it("PERP_CHROMIUM=npm takes the npm Chromium even with a system one installed", () => {
    expect(chooseChromium({ PERP_CHROMIUM: "npm" }, only(DEBIAN_CHROMIUM))).toMatchObject({ kind: "npm" });
  });

  it("PERP_CHROMIUM=system refuses to fall back, and an unknown value is refused", () => {
    expect(() => chooseChromium({ PERP_CHROMIUM: "system" }, only())).toThrow(/no Chromium at \/usr\/bin\/chromium/);
    expect(chooseChromium({ PERP_CHROMIUM: "system" }, only(DEBIAN_CHROMIUM))).toMatchObject({ kind: "system" });
    expect(() => chooseChromium({ PERP_CHROMIUM: "firefox" }, only())).toThrow(/expected "npm" or "system"/);
  });
});

describe("the npm Chromium (@sparticuz/chromium)", () => {
  it("unpacks, opens a page and lays out its text", { timeout: 120_000 }, async () => {
    const browser = await launchChromium({ kind: "npm", why: "always checked" });
    try {
      const page = await browser.newPage();
      await page.setContent("<main><button data-testid='b'>Deposit 25,000.00 USDC</button></main>");
      expect(await page.getByTestId("b").textContent()).toBe("Deposit 25,000.00 USDC");
      // A real font is found: the label has a width (no glyphs would lay out at zero width).
      expect((await page.getByTestId("b").boundingBox())?.width ?? 0).toBeGreaterThan(50);
    } finally {
      await browser.close();
    }
  });
});
