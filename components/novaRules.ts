import * as pulumi from "@pulumi/pulumi";
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
        void args;
        this.registerOutputs({});
    }
}
