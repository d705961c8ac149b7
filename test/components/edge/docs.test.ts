import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guideSettingsTable, retiredGuideSettings } from "../../../components/edge/guideSettings";

describe("README.md", () => {
    const doc = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");

    it("carries the generated guide table verbatim", () => {
        const start = doc.indexOf("-->\n", doc.indexOf("<!-- BEGIN GUIDE TABLE")) + 4;
        const end = doc.indexOf("\n<!-- END GUIDE TABLE -->");
        expect(doc.slice(start, end)).toBe(guideSettingsTable());
    });

    it("lists each retired guide setting with its reason", () => {
        expect(retiredGuideSettings().map((s) => s.guide)).toEqual([
            "Auto Minify", "Brotli", "HTTP/2 (edge)", "HTTP/2 to Origin", "WAF (legacy) / Firewall Rules",
        ]);
        for (const s of retiredGuideSettings()) {
            expect(guideSettingsTable()).toContain(`| ${s.guide} | ${s.guideValue} | not managed: ${s.reason} |`);
        }
    });
});
