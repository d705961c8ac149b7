/** Rendering of verification results (table or JSON) and the process exit code. */
import { table } from "../shared/cli/table";
import type { CheckResult } from "../shared/edge/types";

export const EXIT_OK = 0;
export const EXIT_CANNOT_RUN = 1;
export const EXIT_FAILED = 2;

/** 0 when nothing failed; 1 when every attempted check failed on name resolution; else 2. */
export function exitCodeFor(results: readonly CheckResult[]): number {
    const attempted = results.filter((r) => r.verdict !== "skip");
    if (!attempted.some((r) => r.verdict === "fail")) return EXIT_OK;
    if (attempted.every((r) => r.unresolved === true)) return EXIT_CANNOT_RUN;
    return EXIT_FAILED;
}

const VERDICT_LABEL = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const;

/** A fixed-width table (check, expected, got, verdict), then one explained paragraph per failure. */
export function formatTable(results: readonly CheckResult[]): string {
    const rows = [["check", "expected", "got", "verdict"], ...results.map((r) => [r.id, r.expected, r.got, VERDICT_LABEL[r.verdict]])];
    const out = table(rows);
    const failed = results.filter((r) => r.verdict === "fail");
    if (failed.length > 0) {
        out.push("", "Failures:");
        for (const r of failed) out.push(`- ${r.id}: ${r.explanation ?? "(no explanation)"}`);
    }
    const count = (v: CheckResult["verdict"]): number => results.filter((r) => r.verdict === v).length;
    out.push("", `${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`);
    return out.join("\n") + "\n";
}

export interface JsonReport {
    readonly stack: string;
    readonly hostname: string;
    readonly exitCode: number;
    readonly results: readonly CheckResult[];
}

export function formatJson(report: JsonReport): string {
    return JSON.stringify(report, null, 2) + "\n";
}
