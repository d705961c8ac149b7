/**
 * The offline plan for people: a header saying what it is (what the program would register, not a
 * diff), the resource tree with one readable line each (host steps say what they do on the host,
 * rulesets list their rules' expressions and actions, the tunnel its ingress rules), the counts by
 * type and a summary line. Colours come from picocolors, switched on by the caller (a terminal).
 */
import pc from "picocolors";
import type { Colors } from "picocolors/types";
import { PlanDocument, PlanResource } from "../shared/planning/plan";

type Inputs = Record<string, unknown>;
type Rule = { ref?: string; action?: string; actionParameters?: Inputs; expression?: string; enabled?: boolean; description?: string };

const NO_COLOURS: Colors = pc.createColors(false);
const HOST = "nova:host:WindowsHostService";
const SHORT_TYPE: Readonly<Record<string, string>> = {
    "cloudflare:index/ruleset:Ruleset": "ruleset",
    "cloudflare:index/zoneSetting:ZoneSetting": "zone setting",
    "cloudflare:index/dnsRecord:DnsRecord": "DNS record",
    "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared": "tunnel",
    "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig": "tunnel configuration",
    "cloudflare:index/pageRule:PageRule": "page rule",
    "command:remote:Command": "host step (ssh)",
    "command:local:Command": "host step (WinRM)",
};

/** Scalar inputs as `k=v`, long text shortened (resources without a reading of their own). */
function scalars(inputs: unknown): string {
    if (!inputs || typeof inputs !== "object") return "";
    const parts: string[] = [];
    for (const [k, v] of Object.entries(inputs as Inputs)) {
        if (k.startsWith("__") || parts.length >= 6) continue;
        if (typeof v === "string") parts.push(v.includes("\n") ? `${k}=<${v.split("\n").length} lines>` : `${k}=${v.length > 60 ? `${v.slice(0, 57)}...` : v}`);
        else if (typeof v === "number" || typeof v === "boolean") parts.push(`${k}=${v}`);
    }
    return parts.join(" ");
}

/** What a rule does, in words. */
export function ruleAction(rule: Rule): string {
    const p = rule.actionParameters ?? {};
    switch (rule.action) {
        case "redirect": {
            const from = (p.fromValue ?? {}) as { statusCode?: number; preserveQueryString?: boolean; targetUrl?: { value?: string; expression?: string } };
            const target = from.targetUrl?.value ?? from.targetUrl?.expression ?? "?";
            return `redirect ${from.statusCode ?? 302} to ${target}${from.preserveQueryString ? ", query string kept" : ""}`;
        }
        case "rewrite": {
            const path = ((p.uri ?? {}) as { path?: { value?: string; expression?: string } }).path;
            return `rewrite the path to ${path?.value ?? path?.expression ?? "?"}`;
        }
        case "set_cache_settings": {
            if (p.cache === false) return "bypass the cache";
            const ttl = p.edgeTtl as { default?: number; mode?: string } | undefined;
            return `cache at the edge${ttl?.default !== undefined ? ` for ${ttl.default} s` : ""}${ttl?.mode ? ` (${ttl.mode})` : ""}`;
        }
        case "execute":
            return `run managed ruleset ${String(p.id ?? "?")}`;
        default:
            return `${rule.action ?? "?"}${Object.keys(p).length > 0 ? ` ${JSON.stringify(p)}` : ""}`;
    }
}

/** A Page Rule's actions, in words where they have them. */
function pageRuleActions(actions: Inputs): string {
    return Object.entries(actions)
        .map(([k, v]) => {
            if (k === "forwardingUrl") {
                const f = v as { statusCode?: number; url?: string };
                return `forward ${f.statusCode ?? 302} to ${f.url ?? "?"}`;
            }
            return `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`;
        })
        .join(", ");
}

/** The line after the name, and the lines under it. */
function reading(r: PlanResource): { line: string; details: string[] } {
    const inputs = (r.inputs ?? {}) as Inputs;
    if (r.summary !== undefined) return { line: r.summary, details: [] };
    switch (r.type) {
        case "cloudflare:index/ruleset:Ruleset": {
            const rules = (inputs.rules ?? []) as Rule[];
            return {
                line: `phase ${String(inputs.phase)}, ${rules.length} rule${rules.length === 1 ? "" : "s"}`,
                details: rules.map((rule) => `${rule.ref ?? "rule"}${rule.enabled === false ? " (disabled)" : ""}: ${ruleAction(rule)} when ${rule.expression ?? "?"}`),
            };
        }
        case "cloudflare:index/pageRule:PageRule":
            return { line: `${String(inputs.target)} (priority ${String(inputs.priority)}${inputs.status === "active" ? "" : `, ${String(inputs.status)}`}): ${pageRuleActions((inputs.actions ?? {}) as Inputs)}`, details: [] };
        case "cloudflare:index/zoneSetting:ZoneSetting":
            return { line: `${String(inputs.settingId)} = ${JSON.stringify(inputs.value)}`, details: [] };
        case "cloudflare:index/dnsRecord:DnsRecord":
            return { line: `${String(inputs.type)} ${String(inputs.name)} -> ${String(inputs.content)}${inputs.proxied ? ", proxied" : ", not proxied"}${inputs.ttl === 1 ? ", TTL auto" : ""}`, details: [] };
        case "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig": {
            const ingresses = (((inputs.config ?? {}) as Inputs).ingresses ?? []) as { hostname?: string; path?: string; service?: string }[];
            return {
                line: `ingress, ${ingresses.length} rules in order`,
                details: ingresses.map((i) => `${i.hostname ?? "any other hostname"}${i.path ? ` ${i.path}` : ""} -> ${i.service ?? "?"}`),
            };
        }
        default:
            return { line: scalars(inputs), details: [] };
    }
}

/** The options a reader should notice (the provider's own secret outputs are in --json). */
function optionFlags(r: PlanResource): string {
    const o = r.options;
    const flags = [
        ...(o.protect ? ["protect"] : []),
        ...(o.deleteBeforeReplace ? ["delete before replace"] : []),
        ...(o.ignoreChanges.length > 0 ? [`ignore changes to ${o.ignoreChanges.join(", ")}`] : []),
    ];
    return flags.length > 0 ? `  [${flags.join("; ")}]` : "";
}

function plural(n: number, one: string, many = `${one}s`): string {
    return `${n} ${n === 1 ? one : many}`;
}

/** `29 resources: 7 host steps on 1 host, 3 rules in 2 rulesets, ...; 4 secrets to set before a real preview`. */
export function summaryLine(doc: PlanDocument): string {
    const of = (type: string) => doc.resources.filter((r) => r.type === type);
    const steps = doc.resources.filter((r) => r.type.startsWith("command:")).length;
    const rulesets = of("cloudflare:index/ruleset:Ruleset");
    const rules = rulesets.reduce((n, r) => n + (((r.inputs as Inputs).rules ?? []) as unknown[]).length, 0);
    const parts = [
        `${plural(steps, "host step")} on ${plural(of(HOST).length, "host")}`,
        ...(rulesets.length > 0 ? [`${plural(rules, "rule")} in ${plural(rulesets.length, "ruleset")}`] : []),
        ...(of("cloudflare:index/pageRule:PageRule").length > 0 ? [plural(of("cloudflare:index/pageRule:PageRule").length, "page rule")] : []),
        plural(of("cloudflare:index/zoneSetting:ZoneSetting").length, "zone setting"),
        plural(of("cloudflare:index/dnsRecord:DnsRecord").length, "DNS record"),
        plural(of("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared").length, "tunnel"),
    ];
    const secrets = doc.secretsToSet.length > 0 ? `; ${plural(doc.secretsToSet.length, "secret")} to set before a real preview` : "";
    return `${plural(doc.resources.length, "resource")} for stack ${doc.stack}: ${parts.join(", ")}${secrets}`;
}

export function renderTree(doc: PlanDocument, c: Colors = NO_COLOURS): string {
    const children = new Map<string | null, PlanResource[]>();
    for (const r of doc.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const lines: string[] = [
        c.bold(`stack ${doc.stack}: ${doc.resources.length} resources (offline plan, mock runtime)`),
        "What the program would register for this stack, not a diff against the live state: `pulumi preview`",
        "compares with the stack's state and the real zone and hosts. Data sources are offline fixtures (below).",
        "",
    ];
    const walk = (parent: string | null, depth: number) => {
        for (const r of children.get(parent) ?? []) {
            const { line, details } = reading(r);
            const text = r.summary !== undefined ? c.green(line) : line;
            lines.push(`${"  ".repeat(depth)}${c.dim(r.type)}  ${c.bold(r.name)}${line ? `  ${text}` : ""}${optionFlags(r)}`);
            for (const d of details) lines.push(`${"  ".repeat(depth + 2)}${d}`);
            walk(r.urn, depth + 1);
        }
    };
    walk(null, 0);
    lines.push("", "outputs:");
    for (const [k, v] of Object.entries((doc.outputs ?? {}) as Inputs)) lines.push(`  ${k}: ${JSON.stringify(v)}`);
    const counts = new Map<string, number>();
    for (const r of doc.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    lines.push("", "resources by type:");
    for (const [type, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
        lines.push(`  ${String(n).padStart(3)}  ${type}${SHORT_TYPE[type] ? c.dim(`  (${SHORT_TYPE[type]})`) : ""}`);
    }
    lines.push("", `offline fixtures: zone id ${doc.fixtures.zoneId}; Cloudflare IP ranges recorded on ${doc.fixtures.cloudflareIpRangesRecordedOn}`);
    if (doc.secretsToSet.length > 0) {
        lines.push("", c.yellow("secrets shown as [secret], to set with `pulumi config set --secret` before a real preview:"));
        for (const s of doc.secretsToSet) lines.push(`  ${s.key}: ${s.command}`);
    }
    if (doc.placeholdersToSet.length > 0) {
        lines.push("", c.yellow("placeholder values, to set before a real preview:"));
        for (const p of doc.placeholdersToSet) lines.push(`  ${p.problem}`);
    }
    lines.push("", c.bold(summaryLine(doc)));
    return lines.join("\n");
}
