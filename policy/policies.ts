/**
 * The policies of the pack: each wires one pure rule of ./rules to @pulumi/policy; all are mandatory.
 * Kept apart from index.ts (which starts the policy server) so the tests can run them. Each awaits
 * the PowerShell grammar (loaded once) before its rule runs.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { FIREWALL_RULE, loadRules, RESOURCE_RULES } from "./rules";
import type { WinrmPolicyConfig } from "./rules/winrm";

export const resourcePolicies: ResourceValidationPolicy[] = RESOURCE_RULES.map((rule) => ({
    name: rule.name,
    description: rule.description,
    enforcementLevel: "mandatory",
    ...(rule.configSchema ? { configSchema: rule.configSchema } : {}),
    validateResource: async (args, reportViolation) => {
        await loadRules();
        const config = rule.configSchema ? args.getConfig<WinrmPolicyConfig>() : {};
        for (const message of rule.check(args.type, args.props, config)) reportViolation(message);
    },
}));

export const firewallPolicy: StackValidationPolicy = {
    name: FIREWALL_RULE.name,
    description: FIREWALL_RULE.description,
    enforcementLevel: "mandatory",
    validateStack: async (args, reportViolation) => {
        await loadRules();
        const resources = args.resources.map((r) => ({ type: r.type, urn: r.urn, props: r.props }));
        for (const v of FIREWALL_RULE.check(resources)) reportViolation(v.message, v.urn);
    },
};

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [...resourcePolicies, firewallPolicy];
