import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { createZoneRulesets } from "./edge/createRulesets";
import { pageRuleSpecs, rulesetSpecs } from "./edge/rules";
import { NovaConfig } from "./types";

export interface NovaRulesArgs {
    /** The validated stack configuration. */
    readonly config: NovaConfig;
    /** Zone the rules belong to (NovaDns's output). */
    readonly zoneId: pulumi.Input<string>;
}

/** Redirect, cache and rewrite rules for the hostname (rulesets, or legacy page rules). */
export class NovaRules extends pulumi.ComponentResource {
    constructor(name: string, args: NovaRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("nova:rules:NovaRules", name, {}, opts);
        const { config, zoneId } = args;
        // Entry-point rulesets and Page Rules are zone-wide: only the stack that owns the zone makes them.
        const owned = config.edge.manageZone;

        // rulesets engine: one entry-point ruleset per phase, owned whole.
        createZoneRulesets(name, zoneId, owned ? rulesetSpecs(config) : [], this);

        // pageRules engine: the guide's Page Rules, with explicit priorities.
        for (const rule of owned ? pageRuleSpecs(config) : []) {
            new cloudflare.PageRule(
                `${name}-${rule.suffix}`,
                { zoneId, target: rule.target, priority: rule.priority, status: rule.status, actions: rule.actions },
                { parent: this },
            );
        }

        this.registerOutputs({});
    }
}
