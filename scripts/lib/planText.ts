/** Renders a plan document as a resource tree for people. */
import { PlanDocument, PlanResource } from "./plan";

function summary(inputs: unknown): string {
    if (!inputs || typeof inputs !== "object") return "";
    const parts: string[] = [];
    for (const [k, v] of Object.entries(inputs as Record<string, unknown>)) {
        if (k.startsWith("__") || parts.length >= 6) continue;
        if (typeof v === "string") parts.push(v.includes("\n") ? `${k}=<${v.split("\n").length} lines>` : `${k}=${v.length > 60 ? `${v.slice(0, 57)}...` : v}`);
        else if (typeof v === "number" || typeof v === "boolean") parts.push(`${k}=${v}`);
    }
    return parts.join(" ");
}

export function renderTree(doc: PlanDocument): string {
    const children = new Map<string | null, PlanResource[]>();
    for (const r of doc.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const lines: string[] = [`stack ${doc.stack}: ${doc.resources.length} resources (offline plan, mock runtime)`];
    const walk = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const s = summary(r.inputs);
            lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}${s ? `  ${s}` : ""}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    lines.push("", "outputs:");
    for (const [k, v] of Object.entries((doc.outputs ?? {}) as Record<string, unknown>)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
    lines.push("", `offline fixtures: zone id ${doc.fixtures.zoneId}; Cloudflare IP ranges recorded on ${doc.fixtures.cloudflareIpRangesRecordedOn}`);
    if (doc.secretsToSet.length > 0) {
        lines.push("", "secrets shown as [secret], to set with `pulumi config set --secret` before a real preview:");
        for (const s of doc.secretsToSet) lines.push(`  ${s.key}: ${s.command}`);
    }
    if (doc.placeholdersToSet.length > 0) {
        lines.push("", "placeholder values, to set before a real preview:");
        for (const p of doc.placeholdersToSet) lines.push(`  ${p.problem}`);
    }
    return lines.join("\n");
}
