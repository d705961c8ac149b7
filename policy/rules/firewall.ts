/**
 * The origin firewall. Windows Firewall changes only through our rule shapes
 * (components/host/steps/firewall.ts): rules of our group `NOVA (nova-infra <stack>)` named
 * `nova-infra-<stack>-tcp-<port>-in`, created with New-NetFirewallRule and changed with
 * Set-NetFirewallRule -Name <ours>; removed with Remove-NetFirewallRule fed by
 * `Get-NetFirewallRule -Group <ours>` (directly, through a variable, or through a script function of the
 * shape in ./firewallGuide), our groups being the stack's and the earlier shared `NOVA (nova-infra)`.
 * The guide's rules are disabled and enabled again only by their recorded names (./firewallGuide). direct mode: an inbound allow rule admits only addresses inside
 * Cloudflare's published ranges (the pinned copy in ./cloudflareRanges). tunnel mode: no inbound allow
 * rule is created or opened (cloudflared dials out).
 *
 * Scripts are read with the PowerShell grammar and the 5.1 binder: `-RemoteAddr Any`, `-Ena:$false` or a
 * module-qualified `NetSecurity\Set-NetFirewallProfile` mean what they mean to PowerShell. Values are
 * read when constant (directly or through a variable's last assignment); anything else is refused.
 * Every other firewall change is refused: the other NetSecurity commands that change state
 * (Set-NetFirewallProfile, Set-NetFirewallAddressFilter, any other Disable-NetFirewallRule, ...), netsh
 * advfirewall/firewall, the firewall's registry keys and stopping its services.
 */
import { LEGACY_FIREWALL_GROUP } from "../../components/host/steps/firewall";
import { CLOUDFLARE_RANGES, cidrsOutside } from "./cloudflareRanges";
import { disableProblems, enableProblems, passesRulesThrough, returnsOurRules, stateKeyProblems } from "./firewallGuide";
import { argumentOf, type CommandCall, lastAssignment, type Node, type ParsedScript, parseScript, upstream, valueOf, valuesOf, variableName } from "./psScript";
import { commandScripts } from "./scriptText";
import { isCommand, type Props, type StackResource, type StackViolation, TUNNEL } from "./types";

export type IngressMode = "tunnel" | "direct";

/** Our rules' groups: `NOVA (nova-infra <stack>)` (firewallGroup: no wildcard can match), and the one group of earlier releases. */
const OUR_GROUP = /^NOVA \(nova-infra [A-Za-z0-9_.-]+\)$/;
const FIREWALL_GROUP = "NOVA (nova-infra <stack>)";
export function isOurGroup(group: string | undefined): boolean {
    return group !== undefined && (OUR_GROUP.test(group) || group === LEGACY_FIREWALL_GROUP);
}

/** Our rule names (firewallRuleName in components/host/steps/firewall.ts). */
export const OUR_RULE_NAME = /^nova-infra-[A-Za-z0-9_.-]+-tcp-\d{1,5}-in$/;

/** Parameters of Set-NetFirewallRule our shapes use (plus the common parameters). */
const SET_PARAMETERS = new Set(["Name", "Direction", "Action", "Enabled", "Protocol", "LocalPort", "RemoteAddress", "Profile", "DisplayName", "Description", "ErrorAction", "WarningAction", "Verbose", "PassThru"]);
/** Parameters of New-NetFirewallRule our shapes use. */
const NEW_PARAMETERS = new Set([...SET_PARAMETERS, "Group"]);
/** NetSecurity commands that only read. */
const READS = /^(Get|Show|Test|Find)-/i;

/** tunnel mode when the stack has a Cloudflare tunnel, else direct mode. */
export function ingressModeOf(resources: readonly Pick<StackResource, "type">[]): IngressMode {
    return resources.some((r) => r.type === TUNNEL) ? "tunnel" : "direct";
}

const text = (n: Node | true | undefined) => (n === undefined ? "missing" : n === true ? "(switch)" : n.text);

/** True when the rules `call` acts on through the pipeline come from Get-NetFirewallRule -Group <ours>. */
function fedByOurGroup(script: ParsedScript, call: CommandCall): boolean {
    const feed = upstream(script, call);
    if (feed.length === 0) return false;
    const source = feed[feed.length - 1];
    const filters = feed.slice(0, -1);
    if (!filters.every((f) => f.type === "command" && passesRulesThrough(script, f))) return false;
    const origin: Node | undefined = source.type === "command" ? source : (() => {
        const v = variableName(source);
        return v === undefined ? undefined : lastAssignment(script, v, call.node.startIndex);
    })();
    if (!origin) return false;
    if (source.type === "command") {
        const [call0, ...rest] = script.calls.filter((c) => c.node.startIndex >= source.startIndex && c.node.endIndex <= source.endIndex);
        const fn = call0?.resolved?.kind === "script-function" ? script.functions.find((f) => f.name.toLowerCase() === call0.resolved!.name.toLowerCase()) : undefined;
        if (fn && rest.length === 0) return returnsOurRules(script, fn, isOurGroup);
    }
    const gets: CommandCall[] = script.calls.filter((c) => c.node.startIndex >= origin.startIndex && c.node.endIndex <= origin.endIndex);
    return gets.length > 0 && gets[0].resolved?.name === "Get-NetFirewallRule" && isOurGroup(valueOf(script, argumentOf(gets[0], "Group"))) && gets.every((g) => g === gets[0] || passesRulesThrough(script, g.node));
}

function addressProblems(script: ParsedScript, call: CommandCall, mode: IngressMode, ranges: readonly string[], creates: boolean): string[] {
    const direction = (valueOf(script, argumentOf(call, "Direction")) ?? (creates ? "Inbound" : "")).toLowerCase();
    const action = (valueOf(script, argumentOf(call, "Action")) ?? (creates ? "Allow" : "")).toLowerCase();
    if (direction === "outbound" || action === "block") return [];
    const arg = argumentOf(call, "RemoteAddress");
    if (mode === "tunnel") {
        if (creates) return ["tunnel mode: a script creates an inbound firewall rule (New-NetFirewallRule)"];
        return arg !== undefined ? ["tunnel mode: a script opens an inbound firewall rule to remote addresses"] : [];
    }
    if (arg === undefined) return creates ? ["an inbound firewall rule is created without -RemoteAddress (it would admit any address)"] : [];
    const addresses = valuesOf(script, arg);
    if (addresses === undefined) return [`cannot verify the firewall rule's remote addresses: -RemoteAddress ${text(arg)}`];
    const outside = cidrsOutside(addresses, ranges);
    return outside.length > 0 ? [`the firewall rule admits addresses outside Cloudflare's ranges: ${outside.join(", ")}`] : [];
}

function ruleViolations(source: string, mode: IngressMode, ranges: readonly string[]): string[] {
    const script = parseScript(source);
    const out: string[] = [];
    for (const call of script.calls) {
        const resolved = call.resolved;
        if (!resolved) continue;
        if (resolved.kind === "native" && /^(netsh\.exe)$/i.test(resolved.name)) {
            out.push(`the firewall is changed with ${resolved.name}, which this policy cannot verify: use our rule shapes (New-NetFirewallRule/Set-NetFirewallRule)`);
            continue;
        }
        if (/^(Stop|Set|Suspend)-Service$/.test(resolved.name) && call.bound) {
            const names = [...(valuesOf(script, argumentOf(call, "Name")) ?? []), ...call.bound.positional.flatMap((p) => valuesOf(script, p) ?? [])];
            if (names.some((n) => /^(MpsSvc|BFE)$/i.test(n))) out.push(`the firewall service is stopped or changed (${resolved.name} ${names.join(", ")})`);
            continue;
        }
        if (resolved.kind !== "cmdlet" && resolved.kind !== "function") continue;
        if (/^(Set|New|Remove|Clear|Copy|Move|Rename)-ItemProperty$|^(New|Set|Remove)-Item$/.test(resolved.name)) {
            out.push(...stateKeyProblems(script, call));
            const paths = [argumentOf(call, "Path"), argumentOf(call, "LiteralPath"), call.bound?.positional[0]].flatMap((a) => (a === undefined || a === true ? [] : [a.text]));
            if (paths.some((p) => /FirewallPolicy|SharedAccess/i.test(p))) out.push(`the firewall's registry keys are written (${resolved.name} ${paths.join(", ")})`);
            continue;
        }
        if (resolved.command.module !== "NetSecurity" || READS.test(resolved.name)) continue;
        const given = [...(call.bound?.named.keys() ?? [])];
        if ((resolved.name === "New-NetFirewallRule" || resolved.name === "Set-NetFirewallRule") && upstream(script, call).length > 0) {
            out.push(`${resolved.name} takes pipeline input: what it binds from the pipeline cannot be read, pass every parameter by name`);
        }
        if (resolved.name === "New-NetFirewallRule") {
            const group = valueOf(script, argumentOf(call, "Group"));
            const name = valueOf(script, argumentOf(call, "Name"));
            if (!isOurGroup(group) || name === undefined || !OUR_RULE_NAME.test(name)) {
                out.push(`New-NetFirewallRule is not our rule shape: -Group must be '${FIREWALL_GROUP}' and -Name nova-infra-<stack>-tcp-<port>-in (got -Group ${text(argumentOf(call, "Group"))}, -Name ${text(argumentOf(call, "Name"))})`);
            }
            const extra = given.filter((p) => !NEW_PARAMETERS.has(p));
            if (extra.length > 0) out.push(`New-NetFirewallRule -${extra.join(" -")} is not one of our rule shapes`);
            out.push(...addressProblems(script, call, mode, ranges, true));
        } else if (resolved.name === "Set-NetFirewallRule") {
            const name = valueOf(script, argumentOf(call, "Name"));
            if (name === undefined || !OUR_RULE_NAME.test(name)) out.push(`Set-NetFirewallRule changes a rule that is not ours (-Name ${text(argumentOf(call, "Name"))}): only nova-infra-<stack>-tcp-<port>-in rules may change`);
            const extra = given.filter((p) => !SET_PARAMETERS.has(p));
            if (extra.length > 0) out.push(`Set-NetFirewallRule -${extra.join(" -")} is not one of our rule shapes`);
            out.push(...addressProblems(script, call, mode, ranges, false));
        } else if (resolved.name === "Remove-NetFirewallRule") {
            const group = argumentOf(call, "Group");
            const name = valueOf(script, argumentOf(call, "Name"));
            const ours = given.length === 0 ? fedByOurGroup(script, call) : (isOurGroup(valueOf(script, group)) && given.every((p) => p === "Group")) || (name !== undefined && OUR_RULE_NAME.test(name) && given.every((p) => p === "Name"));
            if (!ours) out.push(`Remove-NetFirewallRule removes rules that are not provably ours: remove by -Group '${FIREWALL_GROUP}', our -Name, or from Get-NetFirewallRule -Group '${FIREWALL_GROUP}'`);
        } else if (resolved.name === "Disable-NetFirewallRule") {
            out.push(...disableProblems(script, call));
        } else if (resolved.name === "Enable-NetFirewallRule") {
            out.push(...enableProblems(script, call));
        } else {
            out.push(`${call.name} changes the firewall outside our rule shapes (only New-NetFirewallRule/Set-NetFirewallRule/Remove-NetFirewallRule of our group, Disable-/Enable-NetFirewallRule of the guide's recorded rules)`);
        }
    }
    return out;
}

/** Violations of the origin-firewall rule for one command resource, given the stack's ingress mode. */
export function firewallViolations(type: string, props: Props, mode: IngressMode, ranges: readonly string[] = CLOUDFLARE_RANGES): string[] {
    if (!isCommand(type)) return [];
    return [...new Set(commandScripts(props).scripts.flatMap((script) => ruleViolations(script, mode, ranges)))];
}

/** The origin-firewall rule over a whole stack (the mode comes from the stack's resources). */
export function firewallStackViolations(resources: readonly StackResource[]): StackViolation[] {
    const mode = ingressModeOf(resources);
    return resources.flatMap((r) => firewallViolations(r.type, r.props, mode).map((message) => ({ urn: r.urn, message })));
}
