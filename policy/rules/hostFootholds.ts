/**
 * Host changes a deployment never needs, refused by the allow-list (./scriptAllowList.ts): changes to
 * Windows Defender (its preferences, keys and services), autostart locations (Run keys, the all-users
 * profile scripts, Startup folders), remote desktop (its keys, WMI class and services), local accounts
 * and groups, WSMan TrustedHosts (WSMan: drive or registry), files read from a network share, network
 * probes (Test-NetConnection, Test-Connection, Resolve-DnsName), and sc.exe aimed at a service that is
 * not ours.
 *
 * Locations are found in every string and bare word of a script (the steps name none of them, not even
 * to read), and in `$PSHOME`/`$PROFILE`; a location built at run time from pieces is not seen: the
 * program's own steps never do that, and the README says the pack reads constants only.
 */
import { CLOUDFLARED_SERVICE } from "../../components/host/paths";
import { argumentOf, bindScriptCall, callsTo, type CommandCall, descendants, lastAssignment, type Node, type ParsedScript, unwrap, valueOf, walk } from "./psScript";

/** Commands refused outright, with what they do. */
export const FOOTHOLD_COMMANDS: Readonly<Record<string, string>> = {
    "Set-MpPreference": "changes Windows Defender's preferences",
    "Add-MpPreference": "changes Windows Defender's preferences",
    "Remove-MpPreference": "changes Windows Defender's preferences",
    "New-LocalUser": "creates or changes a local account",
    "Set-LocalUser": "creates or changes a local account",
    "Enable-LocalUser": "creates or changes a local account",
    "Rename-LocalUser": "creates or changes a local account",
    "New-LocalGroup": "creates or changes a local account",
    "Add-LocalGroupMember": "creates or changes a local account",
    "Enable-PSRemoting": "changes WinRM's configuration",
    "Set-WSManQuickConfig": "changes WinRM's configuration",
    "Set-WSManInstance": "changes WinRM's configuration",
    "Connect-WSMan": "changes WinRM's configuration",
    "Test-NetConnection": "probes the network",
    "Test-Connection": "probes the network",
    "Resolve-DnsName": "probes the network (a DNS query can carry data out in its name)",
};

const PROFILE_SCRIPT = "an autostart location (a PowerShell profile script)";

/** Locations no step touches, by what a change there does. */
export const FOOTHOLD_LOCATIONS: readonly { readonly pattern: RegExp; readonly what: string }[] = [
    { pattern: /\\Microsoft\\Windows Defender\b/i, what: "Windows Defender's settings (its registry keys)" },
    { pattern: /^['"]?(WinDefend|WdNisSvc|WdFilter|WdBoot|Sense|SecurityHealthService)['"]?$/i, what: "a Windows Defender service (stopping or changing it)" },
    { pattern: /\\CurrentVersion\\(Run|RunOnce|RunOnceEx|RunServices|RunServicesOnce|Policies\\Explorer\\Run)\b/i, what: "an autostart location (a Run key)" },
    { pattern: /\\CurrentVersion\\Winlogon\b/i, what: "an autostart location (Winlogon)" },
    { pattern: /Start Menu\\Programs\\Startup\b|shell:(common )?startup/i, what: "an autostart location (a Startup folder)" },
    { pattern: /profile\.ps1/i, what: PROFILE_SCRIPT },
    { pattern: /fDenyTSConnections|\\Control\\Terminal Server\b|^['"]?Remote Desktop|Win32_TerminalService|\bTerminalServices\b|^['"]?(TermService|UmRdpService)['"]?$/i, what: "remote desktop (enabling it, or its firewall rules)" },
    { pattern: /TrustedHosts|trusted_hosts|\\WSMAN\\Client\b/i, what: "WSMan TrustedHosts (the hosts WinRM trusts without checks)" },
    { pattern: /^['"]?\\\\[A-Za-z0-9][\w.-]*\\[^\\]/, what: "a network share (a file from there is an unpinned download)" },
];

/** Automatic variables that name the profile scripts (`$PROFILE`) and their folder (`$PSHOME`). */
const PROFILE_VARIABLES = /^\$\{?(PROFILE|PSHOME)\b/i;

const STRING_NODES = new Set(["string_literal", "expandable_string_literal", "verbatim_string_characters", "generic_token", "variable"]);

function locationProblems(script: ParsedScript): string[] {
    const out = new Map<string, string>();
    walk(script.root, (n) => {
        if (n.type === "variable") {
            if (PROFILE_VARIABLES.test(n.text)) out.set("profile", `uses ${n.text}, ${PROFILE_SCRIPT}, which no step touches`);
            return;
        }
        const hit = FOOTHOLD_LOCATIONS.find((l) => l.pattern.test(n.text));
        if (hit && !out.has(hit.what)) out.set(hit.what, `names ${hit.what}, which no step touches: ${n.text.slice(0, 80)}`);
    }, STRING_NODES);
    return [...out.values()];
}

/** The items of an argument list written as an array (`@('a', $b)`, `'a', $b`), each unwrapped. */
function arrayItems(node: Node): Node[] {
    const n = unwrap(node);
    if (["array_expression", "statement_list", "pipeline", "array_literal_expression", "argument_expression_list"].includes(n.type)) {
        return n.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment" && c.type !== "empty_statement").flatMap(arrayItems);
    }
    return [n];
}

/** The services a script may aim sc.exe at: its own `$NovaService`/`$NovaTunnelService` (each assigned once) and cloudflared's. */
function ourServices(script: ParsedScript): string[] {
    const names = [CLOUDFLARED_SERVICE];
    for (const v of ["NovaService", "NovaTunnelService"]) {
        const writes = descendants(script.root, "assignment_expression").filter((a) => new RegExp(`^\\$${v}$`, "i").test(a.namedChildren[0]?.text ?? ""));
        const rhs = writes.length === 1 ? lastAssignment(script, v, script.text.length) : undefined;
        const value = rhs ? valueOf(script, rhs) : undefined;
        if (value !== undefined) names.push(value);
    }
    return names.map((n) => n.toLowerCase());
}

/** sc.exe subcommands that only read (allowed on any service of this machine). */
export const SC_READS: readonly string[] = ["query", "queryex", "qc", "qdescription", "qfailure", "qfailureflag", "qsidtype", "qprivs", "qtriggerinfo", "qpreferrednode", "qmanagedaccount", "qprotection", "getdisplayname", "getkeyname", "enumdepend", "sdshow", "showsid"];

function scProblem(script: ParsedScript, args: readonly Node[], ours: readonly string[]): string | undefined {
    const values = args.map((a) => valueOf(script, a));
    const shown = args.map((a) => a.text).join(" ");
    if (values[0] === undefined || values[0].startsWith("\\\\")) return `runs sc.exe ${shown}: on another machine or a subcommand only known at run time, not ours`;
    if (args.length < 2 || SC_READS.includes(values[0].toLowerCase())) return undefined;
    const name = values[1];
    return name !== undefined && ours.includes(name.toLowerCase()) ? undefined : `runs sc.exe ${shown}: the service ${name ?? args[1].text} is not ours (${ours.join(", ")})`;
}

function serviceControlProblems(script: ParsedScript): string[] {
    const ours = ourServices(script);
    const out: string[] = [];
    const isSc = (c: CommandCall) => c.resolved?.kind === "native" && /^sc(\.exe)?$/i.test(c.resolved.name);
    for (const call of script.calls.filter(isSc)) {
        const problem = scProblem(script, call.elements.flatMap((e) => (e.kind === "argument" ? [e.value] : [])), ours);
        if (problem) out.push(problem);
    }
    for (const call of callsTo(script, "Invoke-NovaNative")) {
        const bound = bindScriptCall(script, call);
        const program = valueOf(script, bound?.named.get("FilePath") ?? bound?.positional[0]);
        if (!program || !/(^|\\)sc\.exe$/i.test(program)) continue;
        const list = bound?.named.get("Arguments") ?? bound?.positional[1];
        const problem = list === undefined || list === true ? `runs sc.exe without readable arguments, not ours` : scProblem(script, arrayItems(list), ours);
        if (problem) out.push(problem);
    }
    return out;
}

/** Footholds in one script. */
export function footholdProblems(script: ParsedScript): string[] {
    const out: string[] = [];
    for (const call of script.calls) {
        const name = call.resolved?.name ?? call.name?.replace(/^.*\\/, "");
        const what = name === undefined ? undefined : Object.entries(FOOTHOLD_COMMANDS).find(([k]) => k.toLowerCase() === name.toLowerCase());
        if (what) out.push(`runs ${call.name}${call.name !== what[0] ? ` (${what[0]})` : ""}: ${what[0]} ${what[1]}, which no step needs`);
        if (name && /^Enable-NetFirewallRule$/i.test(name) && argumentOf(call, "Name") === undefined) out.push(`runs ${call.name} on rules not named one by one (-DisplayGroup, -Group, -DisplayName): it can enable remote desktop or other rules that are not ours`);
    }
    return [...out, ...locationProblems(script), ...serviceControlProblems(script)];
}
