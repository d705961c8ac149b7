"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const vitest_1 = require("vitest");
const guideSettings_1 = require("../../components/edge/guideSettings");
(0, vitest_1.describe)("README.md", () => {
    const doc = (0, node_fs_1.readFileSync)((0, node_path_1.join)(__dirname, "..", "..", "README.md"), "utf8");
    (0, vitest_1.it)("carries the generated guide table verbatim", () => {
        const start = doc.indexOf("-->\n", doc.indexOf("<!-- BEGIN GUIDE TABLE")) + 4;
        const end = doc.indexOf("\n<!-- END GUIDE TABLE -->");
        (0, vitest_1.expect)(doc.slice(start, end)).toBe((0, guideSettings_1.guideSettingsTable)());
    });
    (0, vitest_1.it)("lists each retired guide setting with its reason", () => {
        (0, vitest_1.expect)((0, guideSettings_1.retiredGuideSettings)().map((s) => s.guide)).toEqual([
            "Auto Minify", "Brotli", "HTTP/2 (edge)", "HTTP/2 to Origin", "WAF (legacy) / Firewall Rules",
        ]);
        for (const s of (0, guideSettings_1.retiredGuideSettings)()) {
            (0, vitest_1.expect)((0, guideSettings_1.guideSettingsTable)()).toContain(`| ${s.guide} | ${s.guideValue} | not managed: ${s.reason} |`);
        }
    });
});
