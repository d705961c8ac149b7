import { NovaConfig } from "../types";
import { hostEquals } from "./expressions";
import { RuleSpec, ZoneRulesetSpec, rulesetDescription } from "./rulesetSpec";

/** Cloudflare Managed Ruleset (Pro plan and above). */
export const CLOUDFLARE_MANAGED_RULESET_ID = "efb7b8c949ac4650a09736fc376e9aee";
/** Cloudflare OWASP Core Ruleset (Pro plan and above). */
export const OWASP_CORE_RULESET_ID = "4814384a9e5d4991b9815dcfc25d2f1f";

/** Phase of the managed WAF entry-point ruleset. */
export const WAF_PHASE = "http_request_firewall_managed";

function executeRule(ref: string, description: string, rulesetId: string, hostname: string): RuleSpec {
    return {
        ref,
        description,
        expression: hostEquals(hostname),
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
        executeRule("nova_waf_cloudflare_managed", `Cloudflare Managed Ruleset for ${config.hostname}`,
            CLOUDFLARE_MANAGED_RULESET_ID, config.hostname),
    ];
    if (waf === "owasp") {
        rules.push(executeRule("nova_waf_owasp_core", `OWASP Core Ruleset for ${config.hostname}`,
            OWASP_CORE_RULESET_ID, config.hostname));
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
