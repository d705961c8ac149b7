/**
 * The policies of the pack: each wires one pure rule of ./rules to @pulumi/policy; all are mandatory.
 * Kept apart from index.ts (which starts the policy server) so the tests can run them.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { FIREWALL_RULE, RESOURCE_RULES } from "./rules";

export const resourcePolicies: ResourceValidationPolicy[] = RESOURCE_RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const message of rule.check(args.type, args.props)) reportViolation(message);
    },
}));

export const firewallPolicy: StackValidationPolicy = {
    name: FIREWALL_RULE.name,
    description: FIREWALL_RULE.description,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const resources = args.resources.map((r) => ({ type: r.type, urn: r.urn, props: r.props }));
        for (const v of FIREWALL_RULE.check(resources)) reportViolation(v.message, v.urn);
    },
};

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [...resourcePolicies, firewallPolicy];
