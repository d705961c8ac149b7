/**
 * The pure decisions for the zone's objects: each DNS record, entry-point ruleset and Page Rule found,
 * against what the program declares (its offline plan) and what the stack's state already holds.
 */
import type { NovaConfig } from "../../components/types";
import type { PageRule, PhaseGetResponse, RecordResponse } from "../shared/cloudflare/api";
import { type EdgeInventory, INSPECTED_PHASES, stackHostnames } from "./edgeInventory";
import type { PageRuleRole, ProgramEdge } from "./programEdge";
import type { AdoptRow } from "./rows";

/** The stack's state: resource URN to provider id. */
export type StateIds = ReadonlyMap<string, string>;

const TYPE_ORDER = ["A", "CNAME", "AAAA"];

function recordText(r: RecordResponse): string {
    return `DNS ${r.type} ${r.name} -> ${r.content ?? ""}${r.proxied ? " (proxied)" : ""}`;
}

/** Whether the state holds `urn` as this object (its id, or the id it was imported with). */
function inState(state: StateIds, urn: string, id: string, importId: string): boolean {
    const held = state.get(urn);
    return held !== undefined && (held === id || held === importId);
}

function importOrKeep(base: Omit<AdoptRow, "action" | "why" | "into">, state: StateIds, into: NonNullable<AdoptRow["into"]>, why: string): AdoptRow {
    if (inState(state, into.urn, base.id, into.importId)) return { ...base, action: "keep", why: `already in the stack's state as ${into.name}` };
    return { ...base, action: "import", why, into };
}

export function decideRecords(inv: EdgeInventory, cfg: NovaConfig, edge: ProgramEdge, state: StateIds): AdoptRow[] {
    const rows: AdoptRow[] = [];
    for (const host of stackHostnames(cfg)) {
        const planned = edge.records.filter((p) => p.name.toLowerCase() === host);
        const found = inv.records.filter((r) => r.name.toLowerCase() === host).sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type));
        const match = new Map<RecordResponse, (typeof planned)[number]>();
        const free = () => found.filter((r) => !match.has(r));
        const unplanned = () => planned.filter((p) => ![...match.values()].includes(p));
        for (const p of planned) {
            const same = free().find((r) => r.type === p.type);
            if (same) match.set(same, p);
        }
        for (const p of unplanned()) {
            const other = free().find((r) => TYPE_ORDER.includes(r.type));
            if (other) match.set(other, p);
        }
        const wantsCname = planned.some((p) => p.type === "CNAME");
        for (const r of found) {
            const base = { kind: "dns-record" as const, object: recordText(r), id: r.id };
            const p = match.get(r);
            if (p) {
                const change = r.type === p.type ? "the next pulumi up sets its content, proxied, TTL and comment" : `the next pulumi up turns it into the program's ${p.type} (delete first, never two at once)`;
                rows.push(importOrKeep(base, state, { urn: p.resource.urn, name: p.resource.name, type: p.resource.type, importId: `${inv.zoneId}/${r.id}` },
                    `the record the program declares for ${host}; creating it instead fails (a record with that host already exists); ${change}`));
            } else if (wantsCname) {
                rows.push({ ...base, action: "remove", why: `the program's CNAME cannot share the name ${host} with another record: delete this one before pulumi up` });
            } else {
                rows.push({ ...base, action: "keep", why: "not a record the program declares; it stays as it is" });
            }
        }
    }
    return rows;
}

/** The refs of a ruleset's rules, or their descriptions when they have none (dashboard rules). */
function rulesText(rs: PhaseGetResponse): string {
    const names = rs.rules.map((r) => r.ref || r.description || r.id);
    return names.length === 0 ? "no rules" : `rules ${names.join(", ")}`;
}

export function decideRulesets(inv: EdgeInventory, cfg: NovaConfig, edge: ProgramEdge, state: StateIds): AdoptRow[] {
    const rows: AdoptRow[] = [];
    const hosts = stackHostnames(cfg);
    const phases = [...new Set([...INSPECTED_PHASES, ...edge.rulesets.map((r) => r.phase)])];
    for (const phase of phases) {
        const rs = inv.entrypoints.find((e) => e.phase === phase);
        if (rs === undefined) continue;
        const base = { kind: "ruleset" as const, object: `ruleset ${phase} "${rs.name}" (${rulesText(rs)})`, id: rs.id };
        const planned = edge.rulesets.find((r) => r.phase === phase);
        if (planned) {
            rows.push(importOrKeep(base, state, { urn: planned.resource.urn, name: planned.resource.name, type: planned.resource.type, importId: `zones/${inv.zoneId}/${rs.id}` },
                `the phase's entry point, which the program owns whole: creating its own instead fails ("a similar configuration already exists"); ` +
                    `the next pulumi up replaces its rules with the program's and keeps its name`));
            continue;
        }
        const owner = cfg.edge.manageZone ? "the program declares no ruleset in this phase" : "zone-wide: the stack with nova:manageZone true owns the entry points";
        const ours = rs.rules.some((r) => hosts.some((h) => (r.expression ?? "").includes(`"${h}"`)));
        rows.push({ ...base, action: "keep", why: `${owner}; it stays as it is${ours ? `; it has rules for ${hosts[0]}: review them` : ""}` });
    }
    return rows;
}

/** What a Page Rule of the API does, by its actions (`forwarding_url`, `cache_level`). */
export function apiPageRuleRole(p: PageRule): PageRuleRole | undefined {
    const ids = new Map(p.actions.map((a) => [a.id, (a as { value?: unknown }).value]));
    if (ids.has("forwarding_url")) return "root";
    if (ids.get("cache_level") === "bypass") return "api";
    if (ids.get("cache_level") === "cache_everything") return "assets";
    return undefined;
}

/** The Rules rule (phase and ref) that does the work of a guide Page Rule, under this configuration. */
export function replacingRule(role: PageRuleRole, cfg: NovaConfig): { phase: string; ref: string } | undefined {
    if (role === "api") return { phase: "http_request_cache_settings", ref: "nova_cache_bypass_dynamic" };
    if (role === "assets") return { phase: "http_request_cache_settings", ref: "nova_cache_assets" };
    if (cfg.edge.rootPath === "redirect") return { phase: "http_request_dynamic_redirect", ref: "nova_root_redirect" };
    if (cfg.edge.rootPath === "rewrite") return { phase: "http_request_transform", ref: "nova_root_rewrite" };
    return undefined;
}

/** Whether the zone's entry point of `phase` has the rule `ref` covering `hostname` (this stack's, or the zone owner's). */
export function ruleInZone(inv: EdgeInventory, phase: string, ref: string, hostname: string): boolean {
    const rs = inv.entrypoints.find((e) => e.phase === phase);
    return rs !== undefined && rs.rules.some((r) => r.ref === ref && r.enabled !== false && (r.expression ?? "").includes(`"${hostname.toLowerCase()}"`));
}

function pageRuleText(p: PageRule): string {
    const acts = p.actions.map((a) => {
        const v = (a as { value?: unknown }).value;
        if (a.id === "forwarding_url") {
            const f = (v ?? {}) as { url?: string; status_code?: number };
            return `forwarding_url ${f.status_code ?? ""} -> ${f.url ?? ""}`;
        }
        return v === undefined || typeof v === "object" ? a.id : `${a.id} ${String(v)}`;
    });
    return `page rule ${p.targets.map((t) => t.constraint?.value ?? "").join(" ")} (${acts.join(", ")}; priority ${p.priority}${p.status === "active" ? "" : `, ${p.status}`})`;
}

export function decidePageRules(inv: EdgeInventory, cfg: NovaConfig, edge: ProgramEdge, state: StateIds): AdoptRow[] {
    return inv.pageRules.map((p): AdoptRow => {
        const base = { kind: "page-rule" as const, object: pageRuleText(p), id: p.id };
        const role = apiPageRuleRole(p);
        if (role === undefined) return { ...base, action: "keep", why: "not one of the guide's three Page Rules; it stays as it is: review it" };
        if (cfg.edge.rulesEngine === "pageRules") {
            const planned = edge.pageRules.find((r) => r.role === role);
            if (planned === undefined) return { ...base, action: "keep", why: cfg.edge.manageZone ? "the program declares no such Page Rule (nova:rootPath)" : "zone-wide: the stack with nova:manageZone true owns the Page Rules" };
            return importOrKeep(base, state, { urn: planned.resource.urn, name: planned.resource.name, type: planned.resource.type, importId: `${inv.zoneId}/${p.id}` },
                "the guide's Page Rule the program declares (nova:rulesEngine pageRules); the next pulumi up sets its target, actions and priority");
        }
        const by = replacingRule(role, cfg);
        if (by === undefined) return { ...base, action: "keep", why: "nova:rootPath none: the program leaves / alone, so this rule goes on redirecting it" };
        const present = ruleInZone(inv, by.phase, by.ref, cfg.hostname);
        return {
            ...base,
            action: "remove",
            why: `replaced by the program's rule ${by.ref} (${by.phase}), which is ${present ? "in the zone: delete this one with --delete-page-rules" : "not in the zone yet: after pulumi up, delete this one with --delete-page-rules"}`,
            replacedBy: { ...by, present },
        };
    });
}
