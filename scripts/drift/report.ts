/** Rendering of a drift report (table or JSON) and the process exit code. */
import type { EdgeResult } from "./edge";
import type { HostStepResult } from "./hosts";

export const EXIT_NO_DRIFT = 0;
export const EXIT_CANNOT_CHECK = 1;
export const EXIT_DRIFT = 2;

export interface DriftReport {
    readonly stack: string;
    /** Where the Cloudflare ranges of the firewall audit came from (direct mode), else undefined. */
    readonly rangesSource?: string;
    /** Host results; undefined when the host half was not run. */
    readonly hosts?: readonly HostStepResult[];
    /** Problem that stopped the whole host half before any host was tried. */
    readonly hostsUnavailable?: string;
    /** Edge result; undefined when the edge half was not run. */
    readonly edge?: EdgeResult;
    /** Host steps to replace and the command; `edgeCommand` when the edge drifted (run by hand). */
    readonly repair?: { readonly urns: readonly string[]; readonly command: string; readonly edgeCommand?: string };
}

/** What could not be checked, one plain sentence each. */
export function notChecked(r: DriftReport): string[] {
    const out: string[] = [];
    if (r.hostsUnavailable !== undefined) out.push(`hosts: ${r.hostsUnavailable}`);
    for (const h of r.hosts ?? []) if (h.status === "unavailable") out.push(`${h.host} ${h.step}: ${h.reason}`);
    if (r.edge?.status === "unavailable") out.push(`edge: could not check: ${r.edge.reason}`);
    return out;
}

export function hasDrift(r: DriftReport): boolean {
    const host = (r.hosts ?? []).some((h) => h.status === "checked" && h.items.some((i) => !i.ok));
    return host || (r.edge?.status === "checked" && r.edge.drift.length > 0);
}

/** 1 when anything could not be checked (the report is incomplete), else 2 on drift, else 0. */
export function exitCodeFor(r: DriftReport): number {
    if (notChecked(r).length > 0) return EXIT_CANNOT_CHECK;
    return hasDrift(r) ? EXIT_DRIFT : EXIT_NO_DRIFT;
}

function table(rows: string[][]): string[] {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    const line = (row: string[]): string => row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
    return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

/** Cells stay on one line. */
const cell = (s: string): string => s.replace(/\r?\n/g, "\\n");

export function formatText(r: DriftReport): string {
    const out: string[] = [`Drift of stack ${r.stack}`];
    if (r.rangesSource !== undefined) out.push(r.rangesSource);
    if (r.hosts !== undefined && r.hosts.length > 0) {
        const rows = [["host", "step", "item", "desired", "actual", "ok"]];
        for (const h of r.hosts) {
            if (h.status === "checked") for (const i of h.items) rows.push([h.host, h.step, cell(i.item), cell(i.desired), cell(i.actual), i.ok ? "ok" : "DRIFT"]);
            else rows.push([h.host, h.step, "-", "", "", "NOT CHECKED"]);
        }
        out.push("", "Hosts:", ...table(rows));
    }
    if (r.edge?.status === "checked") {
        out.push("", "Edge (pulumi refresh --preview-only):");
        if (r.edge.drift.length === 0) out.push("no drift");
        else out.push(...table([["resource", "change", "properties"], ...r.edge.drift.map((d) => [d.urn, d.change, d.properties.join(", ")])]));
    }
    const missing = notChecked(r);
    if (missing.length > 0) out.push("", "Could not check:", ...missing.map((m) => `- ${m}`));
    if (r.repair !== undefined) {
        out.push("", "Repair (re-runs the drifted host steps; each sets only what differs):");
        out.push(r.repair.urns.length > 0 ? `  ${r.repair.command}` : "  no drifted host step");
        if (r.repair.edgeCommand !== undefined) out.push("Edge (reads the drifted resources back, then sets them to the program's values):", `  ${r.repair.edgeCommand}`);
    }
    const code = exitCodeFor(r);
    const verdict = code === EXIT_NO_DRIFT ? "no drift" : code === EXIT_DRIFT ? "drift found" : hasDrift(r) ? "drift found, and some checks could not run" : "some checks could not run";
    out.push("", `Result: ${verdict} (exit ${code})`);
    return out.join("\n") + "\n";
}

export function formatJson(r: DriftReport): string {
    return JSON.stringify({ ...r, notChecked: notChecked(r), drift: hasDrift(r), exitCode: exitCodeFor(r) }, null, 2) + "\n";
}
