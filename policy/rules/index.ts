/**
 * The rules of the policy pack as pure functions, and one entry that applies all of them to a list of
 * resources (used by the tests on the offline plans; policy/index.ts registers each rule separately).
 */
import { downloadPinViolations } from "./downloads";
import { firewallStackViolations } from "./firewall";
import { hostKeyViolations, secretLoggingViolations } from "./remoteCommand";
import type { Props, StackResource, StackViolation } from "./types";
import { minTlsViolations, sslModeViolations } from "./zoneSettings";

export type ResourceRule = (type: string, props: Props) => string[];

/** A rule that looks at one resource at a time. */
export interface ResourceRuleSpec {
    readonly name: string;
    readonly description: string;
    readonly check: ResourceRule;
}

export const RESOURCE_RULES: readonly ResourceRuleSpec[] = [
    { name: "zone-ssl-mode-encrypted", description: "The zone's SSL mode is never off or flexible.", check: sslModeViolations },
    { name: "zone-min-tls-1-2", description: "The zone's minimum TLS version is 1.2 or later.", check: minTlsViolations },
    { name: "remote-command-host-key", description: "Every remote command pins the host's SSH key (connection.hostKey).", check: hostKeyViolations },
    {
        name: "command-secret-output-not-logged",
        description: "A command that receives secrets on stdin does not log its stderr (exception text can quote values).",
        check: secretLoggingViolations,
    },
    { name: "downloads-pinned-sha256", description: "Every download a host script makes is verified against a pinned SHA-256.", check: downloadPinViolations },
];

export const FIREWALL_RULE = {
    name: "origin-firewall-cloudflare-only",
    description: "direct mode: the app port admits only Cloudflare's ranges; tunnel mode: no inbound firewall rule is created.",
    check: firewallStackViolations,
} as const;

/** Every rule over every resource; `rule` names the policy that found each violation. */
export function allViolations(resources: readonly StackResource[]): (StackViolation & { rule: string })[] {
    const perResource = resources.flatMap((r) =>
        RESOURCE_RULES.flatMap((rule) => rule.check(r.type, r.props).map((message) => ({ rule: rule.name, urn: r.urn, message }))),
    );
    const stack = FIREWALL_RULE.check(resources).map((v) => ({ rule: FIREWALL_RULE.name, ...v }));
    return [...perResource, ...stack];
}
