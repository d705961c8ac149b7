/** The zone and the stack's state after the program's `pulumi up` (for the tests of the flags and of a second adopt). */
import { rulesetSpecs } from "../../../components/edge/rules";
import { managedComment } from "../../../components/edge/dnsRecords";
import type { NovaConfig } from "../../../components/types";
import type { PhaseGetResponse } from "../../../scripts/shared/cloudflare/api";
import { type Plan, planOffline } from "../../../scripts/shared/planning/plan";
import { readStackFile } from "../../../components/config/stackFile";
import type { CloudflareData } from "../../support/fake-cloudflare";
import { ACCOUNT_ID, cnameRecord, connector, guidePageRules, OLD_TUNNEL_ID, OUR_TUNNEL_ID, tunnel, ZONE, ZONE_ID } from "../../support/fixtures/cloudflareZone";
import { program } from "../../support/harness";

export function planOf(root: string, stack: string): Promise<Plan> {
    return planOffline(readStackFile(stack, root), program, root);
}

const IDS: Record<string, string> = { "nova-record": "rec-ours", "nova-redirect": "rs-redirect-ours", "nova-cache": "rs-cache-ours", "nova-origin": "rs-origin-ours", "nova-tunnel": OUR_TUNNEL_ID };

/** URN → id of the program's edge resources, as the state holds them after `pulumi up`. */
export function stateAfterUp(plan: Plan): Map<string, string> {
    return new Map(plan.document.resources.filter((r) => IDS[r.name] !== undefined).map((r) => [r.urn, IDS[r.name]]));
}

/** The program's entry points as the API returns them. */
function programRulesets(cfg: NovaConfig): PhaseGetResponse[] {
    return rulesetSpecs(cfg).map((spec) => ({
        id: `rs-${spec.suffix}-ours`, kind: "zone", name: spec.name, phase: spec.phase as PhaseGetResponse["phase"], description: spec.description, last_updated: "2026-12-01T10:00:00Z", version: "2",
        rules: spec.rules.map((rule, i) => ({ id: `r-ours-${spec.suffix}-${i}`, ref: rule.ref, action: rule.action, expression: rule.expression, description: rule.description, enabled: rule.enabled, last_updated: "2026-12-01T10:00:00Z", version: "1" })),
    }));
}

export interface AfterUp {
    /** The guide's tunnel: still connected, idle (no connector), or deleted. */
    readonly oldTunnel: "connected" | "idle" | "gone";
    readonly pageRules: "guide" | "gone";
    /** The program's tunnel: healthy with a connector (default), or down. */
    readonly ours?: "healthy" | "down";
}

export function afterUpZone(host: string, cfg: NovaConfig, opts: AfterUp): CloudflareData {
    const healthy = (opts.ours ?? "healthy") === "healthy";
    const old = opts.oldTunnel === "gone" ? [] : [tunnel(OLD_TUNNEL_ID, "nova-tunnel", "local", opts.oldTunnel === "connected" ? "healthy" : "inactive")];
    return {
        zones: [ZONE],
        records: { [ZONE_ID]: [cnameRecord("rec-ours", host, OUR_TUNNEL_ID, managedComment(cfg.stack))] },
        pageRules: { [ZONE_ID]: opts.pageRules === "guide" ? guidePageRules(host) : guidePageRules(host).filter((p) => p.id === "pr-other") },
        entrypoints: { [ZONE_ID]: programRulesets(cfg) },
        tunnels: { [ACCOUNT_ID]: [...old, tunnel(OUR_TUNNEL_ID, cfg.tunnel.name, "cloudflare", healthy ? "healthy" : "down")] },
        connections: { [OLD_TUNNEL_ID]: opts.oldTunnel === "connected" ? [connector("old-connector")] : [], ...(healthy ? { [OUR_TUNNEL_ID]: [connector("our-connector")] } : {}) },
    };
}
