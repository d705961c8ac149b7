/**
 * The rules of the policy pack as pure functions, and one entry that applies all of them to a list of
 * resources (used by the tests on the offline plans; policy/index.ts registers each rule separately).
 * The script rules read PowerShell with the tree-sitter grammar: `loadRules()` loads it once, before
 * any rule runs (the policies await it).
 */
import { initPowerShellGrammar } from "../../analysis/powershell/grammar";
import { downloadPinViolations } from "./downloads";
import { literalSecretViolations } from "./entropy";
import { firewallStackViolations } from "./firewall";
import { hostKeyViolations, secretLoggingViolations } from "./remoteCommand";
import { scriptAllowListResourceViolations } from "./scriptAllowList";
import type { Props, StackResource, StackViolation } from "./types";
import { WINRM_CONFIG_SCHEMA, type WinrmPolicyConfig, winrmHttpViolations } from "./winrm";
import { minTlsViolations, sslModeViolations } from "./zoneSettings";

/** A rule over one resource; `config` is the policy's config (only rules with a schema read it). */
export type ResourceRule = (type: string, props: Props, config?: WinrmPolicyConfig) => string[];

/** A rule that looks at one resource at a time. */
export interface ResourceRuleSpec {
    readonly name: string;
    readonly description: string;
    readonly check: ResourceRule;
    readonly configSchema?: typeof WINRM_CONFIG_SCHEMA;
}

/** Loads what the script rules need (the PowerShell grammar); idempotent. */
export const loadRules: () => Promise<void> = initPowerShellGrammar;

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
    {
        name: "host-script-allow-list",
        description: "Host scripts run only commands, programs and .NET types the policy can read (no Invoke-Expression, no unknown programs, no dynamic commands).",
        check: scriptAllowListResourceViolations,
    },
    {
        name: "winrm-https-only",
        description: "WinRM runs over HTTPS only (override: policy config allowPlainHttp).",
        check: winrmHttpViolations,
        configSchema: WINRM_CONFIG_SCHEMA,
    },
    {
        name: "command-line-no-literal-secret",
        description: "No high-entropy literal (a secret) in a command's create/update/delete or environment.",
        check: literalSecretViolations,
    },
];

export const FIREWALL_RULE = {
    name: "origin-firewall-cloudflare-only",
    description: "Firewall changes only through our rule shapes; direct mode: the app port admits only Cloudflare's ranges; tunnel mode: no inbound firewall rule is created.",
    check: firewallStackViolations,
} as const;

/** Every rule over every resource; `rule` names the policy that found each violation (after `loadRules()`). */
export function allViolations(resources: readonly StackResource[], config: WinrmPolicyConfig = {}): (StackViolation & { rule: string })[] {
    const perResource = resources.flatMap((r) =>
        RESOURCE_RULES.flatMap((rule) => rule.check(r.type, r.props, config).map((message) => ({ rule: rule.name, urn: r.urn, message }))),
    );
    const stack = FIREWALL_RULE.check(resources).map((v) => ({ rule: FIREWALL_RULE.name, ...v }));
    return [...perResource, ...stack];
}
