"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EXIT_FAILED = exports.EXIT_CANNOT_RUN = exports.EXIT_OK = void 0;
exports.exitCodeFor = exitCodeFor;
exports.formatTable = formatTable;
exports.formatJson = formatJson;
exports.EXIT_OK = 0;
exports.EXIT_CANNOT_RUN = 1;
exports.EXIT_FAILED = 2;
/** 0 when nothing failed; 1 when every attempted check failed on name resolution; else 2. */
function exitCodeFor(results) {
    const attempted = results.filter((r) => r.verdict !== "skip");
    if (!attempted.some((r) => r.verdict === "fail"))
        return exports.EXIT_OK;
    if (attempted.every((r) => r.unresolved === true))
        return exports.EXIT_CANNOT_RUN;
    return exports.EXIT_FAILED;
}
const VERDICT_LABEL = { pass: "PASS", fail: "FAIL", skip: "SKIP" };
/** A fixed-width table (check, expected, got, verdict), then one explained paragraph per failure. */
function formatTable(results) {
    const rows = [["check", "expected", "got", "verdict"], ...results.map((r) => [r.id, r.expected, r.got, VERDICT_LABEL[r.verdict]])];
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    const line = (row) => row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
    const out = [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
    const failed = results.filter((r) => r.verdict === "fail");
    if (failed.length > 0) {
        out.push("", "Failures:");
        for (const r of failed)
            out.push(`- ${r.id}: ${r.explanation ?? "(no explanation)"}`);
    }
    const count = (v) => results.filter((r) => r.verdict === v).length;
    out.push("", `${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`);
    return out.join("\n") + "\n";
}
function formatJson(report) {
    return JSON.stringify(report, null, 2) + "\n";
}
