/**
 * nova-guardrails: the policy pack run by `pulumi preview --policy-pack policy`. Each policy only
 * wires a pure rule of ./rules to @pulumi/policy; all are mandatory.
 */
import { PolicyPack, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { FIREWALL_RULE, RESOURCE_RULES } from "./rules";

const resourcePolicies: ResourceValidationPolicy[] = RESOURCE_RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const message of rule.check(args.type, args.props)) reportViolation(message);
    },
}));

const firewallPolicy: StackValidationPolicy = {
    name: FIREWALL_RULE.name,
    description: FIREWALL_RULE.description,
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const resources = args.resources.map((r) => ({ type: r.type, urn: r.urn, props: r.props }));
        for (const v of FIREWALL_RULE.check(resources)) reportViolation(v.message, v.urn);
    },
};

export const policies = [...resourcePolicies, firewallPolicy];

new PolicyPack("nova-guardrails", { policies });
