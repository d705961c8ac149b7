import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { ZoneRulesetSpec } from "./rulesetSpec";

/**
 * One `cloudflare.Ruleset` per spec, named `${name}-${spec.suffix}`, children of `parent`.
 * Each is a phase entry point: one per phase per zone; import an existing one (docs/EDGE.md).
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
                { parent },
            ),
    );
}
