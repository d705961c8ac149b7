/** Rendering of the adopt report (one table, or JSON) and the process exit code. */
import { cell, table } from "../shared/cli/table";
import { type AdoptRow, needsAdoption } from "./rows";

export const EXIT_NOTHING_TO_ADOPT = 0;
export const EXIT_CANNOT_CHECK = 1;
export const EXIT_TO_ADOPT = 2;

export interface AdoptReport {
    readonly stack: string;
    readonly zoneId?: string;
    readonly rows: readonly AdoptRow[];
    /** What could not be checked, one sentence each. */
    readonly notChecked: readonly string[];
    /** What the reader should know that changes no exit code. */
    readonly notes: readonly string[];
    /** Deletions asked for and refused (nothing of that kind was deleted). */
    readonly refused: readonly string[];
    /** What a deletion flag deleted. */
    readonly deleted: readonly { readonly kind: string; readonly id: string; readonly object: string }[];
    /** With --write-import: where, and how many resources it imports. */
    readonly importFile?: { readonly path: string; readonly resources: number };
}

/** 1 when something could not be checked or a deletion was refused, else 2 when some object needs adopting, else 0. */
export function exitCodeFor(r: AdoptReport): number {
    if (r.notChecked.length > 0 || r.refused.length > 0) return EXIT_CANNOT_CHECK;
    return r.rows.some(needsAdoption) ? EXIT_TO_ADOPT : EXIT_NOTHING_TO_ADOPT;
}

/** The import command for the file adopt wrote. */
export function importCommand(path: string, stack: string): string {
    return `pulumi import --file ${path} --stack ${stack} --protect=false --generate-code=false`;
}

function verdict(r: AdoptReport, code: number): string {
    if (code === EXIT_NOTHING_TO_ADOPT) return "nothing to adopt";
    if (code === EXIT_TO_ADOPT) return "objects to adopt";
    const what = [...(r.notChecked.length > 0 ? ["some checks could not run"] : []), ...(r.refused.length > 0 ? ["a deletion was refused"] : [])].join(", and ");
    return r.rows.some(needsAdoption) ? `objects to adopt, and ${what}` : what;
}

export function formatText(r: AdoptReport): string {
    const out = [`Adopting stack ${r.stack}${r.zoneId ? ` (zone ${r.zoneId})` : ""}`];
    if (r.rows.length === 0) out.push("", r.notChecked.length === 0 ? "Nothing found that the program has to take over." : "Nothing found in what could be checked.");
    else {
        const why = (row: AdoptRow) => (row.into ? `${row.why} (into ${row.into.name}, import id ${row.into.importId})` : row.why);
        out.push("", ...table([["object", "action", "why"], ...r.rows.map((row) => [cell(row.object), row.action, cell(why(row))])]));
        const leftovers = r.rows.filter((row) => row.guideLeftover).length;
        if (leftovers > 0) out.push("", `Guide leftovers on the hosts: ${leftovers} (the host steps migrate them at the next pulumi up)`);
    }
    if (r.deleted.length > 0) out.push("", "Deleted:", ...r.deleted.map((d) => `- ${d.kind} ${d.id}: ${cell(d.object)}`));
    if (r.refused.length > 0) out.push("", "Refused (nothing of that kind deleted):", ...r.refused.map((m) => `- ${cell(m)}`));
    if (r.importFile !== undefined) {
        out.push("", `Import file: ${r.importFile.resources} resource${r.importFile.resources === 1 ? "" : "s"} written to ${r.importFile.path}`);
        if (r.importFile.resources > 0) out.push(`Next: ${importCommand(r.importFile.path, r.stack)}`, `then: pulumi preview --stack ${r.stack} (updates, no creates of those)`);
    }
    if (r.notes.length > 0) out.push("", "Notes:", ...r.notes.map((n) => `- ${cell(n)}`));
    if (r.notChecked.length > 0) out.push("", "Could not check:", ...r.notChecked.map((m) => `- ${cell(m)}`));
    const code = exitCodeFor(r);
    out.push("", `Result: ${verdict(r, code)} (exit ${code})`);
    return out.join("\n") + "\n";
}

export function formatJson(r: AdoptReport): string {
    return JSON.stringify({ ...r, exitCode: exitCodeFor(r) }, null, 2) + "\n";
}
