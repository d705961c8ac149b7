import { NovaConfig } from "../types";
import { hostIn } from "./expressions";
import { ruleHostnames } from "./rules";
import { RuleSpec, ZoneRulesetSpec, rulesetDescription } from "./rulesetSpec";

/** Cloudflare Managed Ruleset (Pro plan and above). */
export const CLOUDFLARE_MANAGED_RULESET_ID = "efb7b8c949ac4650a09736fc376e9aee";
/** Cloudflare OWASP Core Ruleset (Pro plan and above). */
export const OWASP_CORE_RULESET_ID = "4814384a9e5d4991b9815dcfc25d2f1f";

/** Phase of the managed WAF entry-point ruleset. */
export const WAF_PHASE = "http_request_firewall_managed";

function executeRule(ref: string, description: string, rulesetId: string, hostnames: readonly string[]): RuleSpec {
    return {
        ref,
        description,
        expression: hostIn(hostnames),
        action: "execute",
        actionParameters: { id: rulesetId },
        enabled: true,
    };
}

/**
 * The managed WAF ruleset for `config.edge.waf`: `managed` executes the Cloudflare Managed
 * Ruleset, `owasp` also the OWASP Core Ruleset, both for the hostname only; `off` → none.
 */
export function wafRulesetSpec(config: NovaConfig): ZoneRulesetSpec | undefined {
    const waf = config.edge.waf;
    if (waf === "off") return undefined;
    const rules: RuleSpec[] = [
        executeRule("nova_waf_cloudflare_managed", `Cloudflare Managed Ruleset for ${ruleHostnames(config).join(", ")}`,
            CLOUDFLARE_MANAGED_RULESET_ID, ruleHostnames(config)),
    ];
    if (waf === "owasp") {
        rules.push(executeRule("nova_waf_owasp_core", `OWASP Core Ruleset for ${ruleHostnames(config).join(", ")}`,
            OWASP_CORE_RULESET_ID, ruleHostnames(config)));
    }
    return {
        suffix: "waf",
        phase: WAF_PHASE,
        kind: "zone",
        name: "default",
        description: rulesetDescription("Managed WAF rulesets", config.stack),
        rules,
    };
}
