/**
 * The origin firewall. direct mode: every inbound allow rule our scripts create or change admits only
 * addresses inside Cloudflare's published ranges (the pinned copy in ./cloudflareRanges). tunnel mode:
 * no inbound rule is created at all (cloudflared dials out).
 *
 * The firewall step (components/host/steps/firewall.ts) carries the address list as a PowerShell
 * variable, `$NovaCidrs = [string[]]@('173.245.48.0/20', ...)`, and passes it as
 * `New-NetFirewallRule ... -RemoteAddress $NovaCidrs` / `Set-NetFirewallRule ... -RemoteAddress $NovaCidrs`.
 * The rule reads every such call in a command's scripts, resolves a variable through its assignments
 * in the same script, and requires each address to be a CIDR inside the ranges. Anything it cannot
 * read (an expression, a missing -RemoteAddress, `Any`) is a violation: unverifiable means refused.
 */
import { CLOUDFLARE_RANGES, cidrsOutside } from "./cloudflareRanges";
import { assignments, commandScripts, invocations, joinContinuations, parameter, quotedList } from "./scriptText";
import { isCommand, type Props, type StackResource, type StackViolation, TUNNEL } from "./types";

export type IngressMode = "tunnel" | "direct";

/** tunnel mode when the stack has a Cloudflare tunnel, else direct mode. */
export function ingressModeOf(resources: readonly Pick<StackResource, "type">[]): IngressMode {
    return resources.some((r) => r.type === TUNNEL) ? "tunnel" : "direct";
}

function unquote(value: string): string {
    return quotedList(value)?.[0] ?? value;
}

/** The addresses a `-RemoteAddress` argument stands for; undefined when they cannot be read. */
function remoteAddresses(arg: string, script: string, before: number): string[] | undefined {
    const variable = /^\$(\w+)$/.exec(arg);
    if (!variable) return quotedList(arg) ?? (/^[\w.:/,]+$/.test(arg) ? arg.split(",") : undefined);
    const set = assignments(script, variable[1]).filter((a) => a.index < before);
    if (set.length === 0) return undefined;
    return quotedList(set[set.length - 1].value);
}

function ruleViolations(script: string, mode: IngressMode, ranges: readonly string[]): string[] {
    const text = joinContinuations(script);
    const out: string[] = [];
    const calls = [
        ...invocations(text, "New-NetFirewallRule").map((c) => ({ ...c, creates: true })),
        ...invocations(text, "Set-NetFirewallRule").map((c) => ({ ...c, creates: false })),
    ];
    for (const call of calls) {
        const direction = unquote(parameter(call.text, "Direction") ?? (call.creates ? "Inbound" : "")).toLowerCase();
        const action = unquote(parameter(call.text, "Action") ?? (call.creates ? "Allow" : "")).toLowerCase();
        if (direction === "outbound" || action === "block") continue;
        const arg = parameter(call.text, "RemoteAddress");
        if (mode === "tunnel") {
            if (call.creates) out.push("tunnel mode: a script creates an inbound firewall rule (New-NetFirewallRule)");
            else if (arg !== undefined) out.push("tunnel mode: a script opens an inbound firewall rule to remote addresses");
            continue;
        }
        if (arg === undefined) {
            if (call.creates) out.push("an inbound firewall rule is created without -RemoteAddress (it would admit any address)");
            continue;
        }
        const addresses = remoteAddresses(arg, text, call.index);
        if (addresses === undefined) {
            out.push(`cannot verify the firewall rule's remote addresses: -RemoteAddress ${arg}`);
            continue;
        }
        const outside = cidrsOutside(addresses, ranges);
        if (outside.length > 0) {
            out.push(`the firewall rule admits addresses outside Cloudflare's ranges: ${outside.join(", ")}`);
        }
    }
    for (const _ of text.matchAll(/netsh(\.exe)?\s+advfirewall\s+firewall\s+add\s+rule\b[^\n]*\bdir=in\b/gi)) {
        out.push("an inbound firewall rule is added with netsh, which this policy cannot verify: use New-NetFirewallRule");
    }
    return out;
}

/** Violations of the origin-firewall rule for one command resource, given the stack's ingress mode. */
export function firewallViolations(type: string, props: Props, mode: IngressMode, ranges: readonly string[] = CLOUDFLARE_RANGES): string[] {
    if (!isCommand(type)) return [];
    return [...new Set(commandScripts(props).flatMap((script) => ruleViolations(script, mode, ranges)))];
}

/** The origin-firewall rule over a whole stack (the mode comes from the stack's resources). */
export function firewallStackViolations(resources: readonly StackResource[]): StackViolation[] {
    const mode = ingressModeOf(resources);
    return resources.flatMap((r) => firewallViolations(r.type, r.props, mode).map((message) => ({ urn: r.urn, message })));
}
