"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WAF_PHASE = exports.OWASP_CORE_RULESET_ID = exports.CLOUDFLARE_MANAGED_RULESET_ID = void 0;
exports.wafRulesetSpec = wafRulesetSpec;
const expressions_1 = require("./expressions");
const rulesetSpec_1 = require("./rulesetSpec");
/** Cloudflare Managed Ruleset (Pro plan and above). */
exports.CLOUDFLARE_MANAGED_RULESET_ID = "efb7b8c949ac4650a09736fc376e9aee";
/** Cloudflare OWASP Core Ruleset (Pro plan and above). */
exports.OWASP_CORE_RULESET_ID = "4814384a9e5d4991b9815dcfc25d2f1f";
/** Phase of the managed WAF entry-point ruleset. */
exports.WAF_PHASE = "http_request_firewall_managed";
function executeRule(ref, description, rulesetId, hostname) {
    return {
        ref,
        description,
        expression: (0, expressions_1.hostEquals)(hostname),
        action: "execute",
        actionParameters: { id: rulesetId },
        enabled: true,
    };
}
/**
 * The managed WAF ruleset for `config.edge.waf`: `managed` executes the Cloudflare Managed
 * Ruleset, `owasp` also the OWASP Core Ruleset, both for the hostname only; `off` → none.
 */
function wafRulesetSpec(config) {
    const waf = config.edge.waf;
    if (waf === "off")
        return undefined;
    const rules = [
        executeRule("nova_waf_cloudflare_managed", `Cloudflare Managed Ruleset for ${config.hostname}`, exports.CLOUDFLARE_MANAGED_RULESET_ID, config.hostname),
    ];
    if (waf === "owasp") {
        rules.push(executeRule("nova_waf_owasp_core", `OWASP Core Ruleset for ${config.hostname}`, exports.OWASP_CORE_RULESET_ID, config.hostname));
    }
    return {
        suffix: "waf",
        phase: exports.WAF_PHASE,
        kind: "zone",
        name: "default",
        description: (0, rulesetSpec_1.rulesetDescription)("Managed WAF rulesets", config.stack),
        rules,
    };
}
