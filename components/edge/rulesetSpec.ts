import type * as cloudflare from "@pulumi/cloudflare";

/** One rule of a zone ruleset, as `cloudflare.Ruleset` takes it (plain values only). */
export interface RuleSpec {
    /** Stable reference: keeps the rule's identity across updates. */
    readonly ref: string;
    readonly description: string;
    readonly expression: string;
    readonly action: string;
    readonly actionParameters?: cloudflare.types.input.RulesetRuleActionParameters;
    readonly enabled: true;
}

/** One phase entry-point ruleset of the zone (kind `zone`), owned whole by this program. */
export interface ZoneRulesetSpec {
    /** Child name suffix, e.g. `redirect`. */
    readonly suffix: string;
    readonly phase: string;
    readonly kind: "zone";
    /** Entry-point rulesets the dashboard creates are called `default`; an imported one keeps its name. */
    readonly name: "default";
    readonly description: string;
    readonly rules: readonly RuleSpec[];
}

/** Description of every ruleset we own. */
export function rulesetDescription(purpose: string, stack: string): string {
    return `${purpose}. Managed by nova-infra (stack ${stack})`;
}
