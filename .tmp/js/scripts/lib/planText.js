"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderTree = renderTree;
function summary(inputs) {
    if (!inputs || typeof inputs !== "object")
        return "";
    const parts = [];
    for (const [k, v] of Object.entries(inputs)) {
        if (k.startsWith("__") || parts.length >= 6)
            continue;
        if (typeof v === "string")
            parts.push(v.includes("\n") ? `${k}=<${v.split("\n").length} lines>` : `${k}=${v.length > 60 ? `${v.slice(0, 57)}...` : v}`);
        else if (typeof v === "number" || typeof v === "boolean")
            parts.push(`${k}=${v}`);
    }
    return parts.join(" ");
}
function renderTree(doc) {
    const children = new Map();
    for (const r of doc.resources)
        children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const lines = [`stack ${doc.stack}: ${doc.resources.length} resources (offline plan, mock runtime)`];
    const walk = (parent, depth) => {
        for (const r of children.get(parent) ?? []) {
            const s = summary(r.inputs);
            lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}${s ? `  ${s}` : ""}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    lines.push("", "outputs:");
    for (const [k, v] of Object.entries((doc.outputs ?? {})))
        lines.push(`  ${k}: ${JSON.stringify(v)}`);
    lines.push("", `offline fixtures: zone id ${doc.fixtures.zoneId}; Cloudflare IP ranges recorded on ${doc.fixtures.cloudflareIpRangesRecordedOn}`);
    if (doc.secretsToSet.length > 0) {
        lines.push("", "secrets shown as [secret], to set with `pulumi config set --secret` before a real preview:");
        for (const s of doc.secretsToSet)
            lines.push(`  ${s.key}: ${s.command}`);
    }
    return lines.join("\n");
}
