/** Rendering of a drift report (table or JSON) and the process exit code. */
import { cell, table } from "../shared/cli/table";
import type { EdgeResult } from "./edge";
import type { HostStepResult } from "../shared/audit/hosts";
import type { RepairTarget } from "./repair";
import { type RepairOutcome, repairedClean } from "./repairRun";

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
    /** With `--repair`: what it re-applies, and (with `--yes`) what happened. */
    readonly repair?: RepairReport;
}

export interface RepairReport {
    /** The drifted host steps it re-applies, host by host, steps in run order. */
    readonly steps: readonly RepairTarget[];
    /** The command that runs it. */
    readonly command: string;
    /** When the edge drifted: the command to run by hand (never run by this command). */
    readonly edgeCommand?: string;
    /** With `--yes`: each step's outcome, in the order of `steps`. */
    readonly results?: readonly RepairOutcome[];
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

/** A repair was run and some step of it was not re-applied, or its audit still finds drift. */
export function repairFailed(r: DriftReport): boolean {
    return (r.repair?.results ?? []).some((o) => !repairedClean(o));
}

/** Drift that remains: what was found, less the host steps a repair re-applied and found clean. */
export function remainingDrift(r: DriftReport): boolean {
    const fixed = new Set((r.repair?.results ?? []).filter(repairedClean).map((o) => `${o.host}/${o.step}`));
    const host = (r.hosts ?? []).some((h) => h.status === "checked" && h.items.some((i) => !i.ok) && !fixed.has(`${h.host}/${h.step}`));
    return host || (r.edge?.status === "checked" && r.edge.drift.length > 0);
}

/**
 * 1 when anything could not be checked (the report is incomplete) or a repair did not leave its step
 * clean, else 2 on drift (after a repair: drift that remains), else 0.
 */
export function exitCodeFor(r: DriftReport): number {
    if (notChecked(r).length > 0 || repairFailed(r)) return EXIT_CANNOT_CHECK;
    return remainingDrift(r) ? EXIT_DRIFT : EXIT_NO_DRIFT;
}

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
    if (r.repair !== undefined) out.push("", ...repairLines(r.repair));
    const code = exitCodeFor(r);
    out.push("", `Result: ${verdict(r, code)} (exit ${code})`);
    return out.join("\n") + "\n";
}

function verdict(r: DriftReport, code: number): string {
    if (r.repair?.results !== undefined && r.repair.results.length > 0) {
        const failed = r.repair.results.filter((o) => !repairedClean(o)).length;
        if (failed > 0) return `repair incomplete: ${failed} of ${r.repair.results.length} drifted host steps not repaired`;
        const rest = notChecked(r).length > 0 ? ", but some checks could not run" : code === EXIT_DRIFT ? ", drift remains elsewhere" : "";
        return `every drifted host step re-applied and clean${rest}`;
    }
    if (code === EXIT_NO_DRIFT) return "no drift";
    if (code === EXIT_DRIFT) return "drift found";
    return hasDrift(r) ? "drift found, and some checks could not run" : "some checks could not run";
}

function outcomeLine(o: RepairOutcome): string {
    const where = `  ${o.host} ${o.step}: `;
    if (o.status !== "repaired") return `${where}${o.status === "failed" ? "FAILED" : "NOT RUN"}: ${cell(o.reason)}`;
    const changed = o.changed.length > 0 ? `changed ${o.changed.join(", ")}` : "changed nothing";
    if (o.reaudit.status === "unavailable") return `${where}re-applied (${changed}); audit again: NOT CHECKED: ${cell(o.reaudit.reason)}`;
    const left = o.reaudit.items.filter((i) => !i.ok).map((i) => i.item);
    return `${where}re-applied (${changed}); audit again: ${left.length === 0 ? "clean" : `STILL DRIFTED: ${left.join(", ")}`}`;
}

function repairLines(p: RepairReport): string[] {
    const out = ["Repair (re-applies each drifted host step: its create script, as pulumi up ran it, runs again over the host's transport; it sets only what differs):"];
    if (p.steps.length === 0) out.push("  no drifted host step");
    else out.push(...p.steps.map((s) => `  ${s.host} ${s.step} (create script over ${s.transport})`));
    if (p.results !== undefined) {
        if (p.results.length > 0) out.push("Repair run:", ...p.results.map(outcomeLine));
    } else if (p.steps.length > 0) {
        out.push("To run it:", `  ${p.command}`);
    }
    if (p.edgeCommand !== undefined) out.push("Edge (reads the drifted resources back, then sets them to the program's values; run by hand):", `  ${p.edgeCommand}`);
    return out;
}

export function formatJson(r: DriftReport): string {
    const after = r.repair?.results !== undefined ? { driftRemaining: remainingDrift(r) } : {};
    return JSON.stringify({ ...r, notChecked: notChecked(r), drift: hasDrift(r), ...after, exitCode: exitCodeFor(r) }, null, 2) + "\n";
}
