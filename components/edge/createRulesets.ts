import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { ZoneRulesetSpec } from "./rulesetSpec";

/**
 * Resource options of every zone ruleset. `name` is ignored after creation: where the provider marks
 * it as forcing replacement (terraform-provider v5 releases differ), a change would replace the
 * ruleset, and a replacement (create first) of a phase entry point collides with itself ("A similar
 * configuration with rules already exists"); elsewhere it would rename an entry point the program did
 * not name. So an entry point imported under another name (the dashboard's, or one made through the
 * API) keeps its name, and `pulumi preview` after the import shows an update of its rules.
 */
export function rulesetOptions(parent: pulumi.Resource): pulumi.CustomResourceOptions {
    return { parent, ignoreChanges: ["name"] };
}

/**
 * One `cloudflare.Ruleset` per spec, named `${name}-${spec.suffix}`, children of `parent`.
 * Each is a phase entry point: one per phase per zone; import an existing one (`npm run adopt`).
 */
export function createZoneRulesets(
    name: string,
    zoneId: pulumi.Input<string>,
    specs: readonly ZoneRulesetSpec[],
    parent: pulumi.Resource,
): cloudflare.Ruleset[] {
    return specs.map(
        (spec) =>
            new cloudflare.Ruleset(
                `${name}-${spec.suffix}`,
                {
                    zoneId,
                    kind: spec.kind,
                    phase: spec.phase,
                    name: spec.name,
                    description: spec.description,
                    rules: spec.rules.map((rule) => ({ ...rule })),
                },
                rulesetOptions(parent),
            ),
    );
}
