/**
 * What the program declares at the edge, read from its offline plan (the real index.ts under the mock
 * runtime, scripts/shared/planning/plan.ts): the resources an existing object can be imported into, with their
 * exact types, names, URNs and parents, so the import file cannot drift from the program.
 */
import type { PlanDocument, PlanResource } from "../shared/planning/plan";

export const TYPES = {
    stack: "pulumi:pulumi:Stack",
    dnsRecord: "cloudflare:index/dnsRecord:DnsRecord",
    ruleset: "cloudflare:index/ruleset:Ruleset",
    pageRule: "cloudflare:index/pageRule:PageRule",
    tunnel: "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared",
} as const;

/** The guide's three Page Rules, by what they do. */
export type PageRuleRole = "root" | "api" | "assets";

export interface ProgramEdge {
    /** Every planned resource (for parents and their URNs). */
    readonly resources: readonly PlanResource[];
    readonly stackUrn: string;
    readonly records: readonly { readonly resource: PlanResource; readonly name: string; readonly type: string }[];
    readonly rulesets: readonly { readonly resource: PlanResource; readonly phase: string }[];
    readonly pageRules: readonly { readonly resource: PlanResource; readonly role: PageRuleRole }[];
    /** Tunnel mode: the program's tunnel and its name in the account. */
    readonly tunnel?: { readonly resource: PlanResource; readonly name: string };
}

const inputsOf = (r: PlanResource): Record<string, unknown> => (r.inputs ?? {}) as Record<string, unknown>;

/** What a Page Rule's actions do (the program's inputs, camelCase). */
export function pageRuleRole(actions: Record<string, unknown>): PageRuleRole | undefined {
    if (actions.forwardingUrl !== undefined) return "root";
    if (actions.cacheLevel === "bypass") return "api";
    if (actions.cacheLevel === "cache_everything") return "assets";
    return undefined;
}

export function programEdge(plan: PlanDocument): ProgramEdge {
    const ofType = (t: string) => plan.resources.filter((r) => r.type === t);
    const stack = ofType(TYPES.stack)[0];
    if (stack === undefined) throw new Error("the offline plan has no stack resource");
    const tunnel = ofType(TYPES.tunnel)[0];
    return {
        resources: plan.resources,
        stackUrn: stack.urn,
        records: ofType(TYPES.dnsRecord).map((resource) => ({ resource, name: String(inputsOf(resource).name), type: String(inputsOf(resource).type) })),
        rulesets: ofType(TYPES.ruleset).map((resource) => ({ resource, phase: String(inputsOf(resource).phase) })),
        pageRules: ofType(TYPES.pageRule).flatMap((resource) => {
            const role = pageRuleRole((inputsOf(resource).actions ?? {}) as Record<string, unknown>);
            return role === undefined ? [] : [{ resource, role }];
        }),
        ...(tunnel !== undefined ? { tunnel: { resource: tunnel, name: String(inputsOf(tunnel).name) } } : {}),
    };
}
