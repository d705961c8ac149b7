/**
 * What a host script may run, by allow-list. The scripts are read with the PowerShell grammar and the
 * Windows PowerShell 5.1 binder (analysis/powershell): an alias (`iex`, `saps`), an abbreviated
 * parameter or a module-qualified name is what PowerShell would run. Refused:
 * - command lines of no known shape (policy/rules/scriptText.ts), scripts that do not parse;
 * - commands that run code the policy cannot read: Invoke-Expression, Add-Type, Start-Process, jobs,
 *   remoting, scheduled tasks, CIM/WMI writes and method calls (but Win32_Service's own methods on a
 *   service read with Get-CimInstance), new aliases, module imports;
 * - commands 5.1 does not know, parameters that do not bind (ambiguous prefix, unknown name), and
 *   splatting (`@p`) into a cmdlet, which hides its parameter names;
 * - a script function named like a command of Windows (it would shadow it);
 * - native programs other than sc.exe, nssm.exe and cloudflared.exe, run directly or through
 *   `Invoke-NovaNative` (powershell.exe with -EncodedCommand, cmd.exe, netsh, certutil, ... are refused);
 * - a command whose name is only known at run time (`& $x`, `& (Get-Command iwr)`), except the
 *   `& $FilePath @Arguments` of Invoke-NovaNative, whose callers are checked;
 * - .NET types off the list below (web clients and raw sockets among them), COM objects, reflection and
 *   script-block members (also named through a string, computed, or called by ForEach-Object -MemberName),
 *   `$ExecutionContext.InvokeCommand`;
 * - a TcpClient other than the loopback probe's (./loopbackSocket.ts), and a connection to anything but a
 *   loopback literal;
 * - footholds no step needs (./hostFootholds.ts) and secrets sent where they can be read (./secretFlow.ts).
 */
import { resolveCommand } from "../../analysis/powershell/binder";
import { sevenOnlySyntax } from "../../analysis/powershell/grammar";
import { argumentOf, bindScriptCall, callsTo, type CommandCall, descendants, functionOf, lastAssignment, type ParsedScript, parseScript, type Node, pathOf, typesOf, valueOf, variableName } from "./psScript";
import { CONNECT_METHODS, connectProblems, isTcpClient, memberNameOf, tcpClientUseProblems } from "./loopbackSocket";
import { footholdProblems } from "./hostFootholds";
import { commandScripts } from "./scriptText";
import { secretFlowProblems } from "./secretFlow";
import { isCommand, type Props } from "./types";
import { STEP_BOUND_LINE } from "../../components/host/stepBound";

/** Commands that run code the policy cannot read, or change what a name means. */
export const REFUSED_COMMANDS: readonly string[] = [
    "Invoke-Expression", "Add-Type", "Start-Process", "Start-Job", "Start-ThreadJob", "Invoke-Command", "Invoke-Item", "Enter-PSSession", "New-PSSession",
    "Register-ScheduledTask", "Set-ScheduledTask", "New-ScheduledTaskAction", "Register-ScheduledJob", "Register-WmiEvent", "Register-ObjectEvent",
    "Invoke-CimMethod", "Set-CimInstance", "New-CimInstance", "Remove-CimInstance", "Invoke-WmiMethod", "Set-WmiInstance", "Remove-WmiObject",
    "Set-Alias", "New-Alias", "Import-Alias", "Import-Module", "Set-ExecutionPolicy", "New-Service", "Set-Service",
];

/** Win32_Service methods a script may call through Invoke-CimMethod (on a Get-CimInstance Win32_Service object). */
export const SERVICE_CIM_METHODS: readonly string[] = ["Change", "StartService", "StopService", "PauseService", "ResumeService"];

/** True for `Invoke-CimMethod -InputObject $s -MethodName <service method>` with `$s = Get-CimInstance -ClassName Win32_Service ...`. */
function serviceMethodCall(script: ParsedScript, call: CommandCall): boolean {
    const method = valueOf(script, argumentOf(call, "MethodName"));
    const input = argumentOf(call, "InputObject");
    const name = input === undefined || input === true ? undefined : variableName(input);
    const source = name === undefined ? undefined : lastAssignment(script, name, call.node.startIndex);
    const gets = source ? script.calls.filter((c) => c.node.startIndex >= source.startIndex && c.node.endIndex <= source.endIndex) : [];
    return (
        method !== undefined && SERVICE_CIM_METHODS.includes(method) && call.bound?.splats.length === 0 && call.bound.positional.length === 0 &&
        gets.length === 1 && gets[0].resolved?.name === "Get-CimInstance" && valueOf(script, argumentOf(gets[0], "ClassName"))?.toLowerCase() === "win32_service"
    );
}

/** The native programs the steps run (Invoke-NovaNative or directly). */
export const ALLOWED_PROGRAMS: readonly string[] = ["sc.exe", "nssm.exe", "cloudflared.exe"];

/** .NET types the steps use (case-insensitive, `System.` optional). */
export const ALLOWED_TYPES: readonly string[] = [
    "string", "string[]", "char", "bool", "int", "switch", "object", "ordered", "regex", "Console", "Convert", "StringComparison",
    "Collections.Generic.List[string]", "Collections.Generic.List[object]", "Text.Encoding", "Text.UTF8Encoding",
    "Security.Cryptography.SHA256", "Security.Principal.SecurityIdentifier", "Security.AccessControl.FileSecurity", "Security.AccessControl.FileSystemAccessRule",
    "Security.AccessControl.RegistrySecurity", "Security.AccessControl.RegistryAccessRule", "Net.IPAddress", "Net.Sockets.AddressFamily",
    "Net.ServicePointManager", "Net.SecurityProtocolType", "IO.File", "Diagnostics.Stopwatch", "Microsoft.Win32.RegistryValueOptions",
    // Data, text, files, ACLs and certificates: nothing here fetches or runs code.
    "long", "double", "byte", "byte[]", "hashtable", "array", "pscustomobject", "PSObject", "datetime", "TimeSpan", "Version", "Uri", "Math", "Array",
    "Environment", "EnvironmentVariableTarget", "Globalization.CultureInfo", "Text.StringBuilder", "IO.Path", "IO.Directory", "IO.FileInfo",
    "IO.DirectoryInfo", "IO.FileOptions", "IO.StreamReader", "Security.AccessControl.DirectorySecurity", "Security.AccessControl.InheritanceFlags",
    "Security.AccessControl.PropagationFlags", "Security.AccessControl.AccessControlType", "Security.AccessControl.FileSystemRights",
    "Security.AccessControl.RegistryRights", "Security.Principal.NTAccount", "Security.Principal.WellKnownSidType",
    "Security.Cryptography.X509Certificates.X509Certificate2", "Security.Cryptography.X509Certificates.CertificateRequest",
    "Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder", "Security.Cryptography.HashAlgorithmName", "Security.Cryptography.ECDsa",
    "Security.Cryptography.ECCurve", "Security.Cryptography.ECDsaCng", "Security.Cryptography.CngKey", "Security.Cryptography.CngAlgorithm",
    "Security.Cryptography.CngKeyCreationParameters", "Security.Cryptography.CngExportPolicies", "PlatformID", "Globalization.DateTimeStyles",
    // PowerShell's own null string (a true null for a .NET string parameter): a value, no I/O.
    "Management.Automation.Language.NullString",
    // TcpClient is not here: it is allowed in one shape only, checked apart (./loopbackSocket.ts): New-Object
    // without arguments, then .Connect('127.0.0.1', <port>), the direct-mode health probe's connection to the app port.
];

/** Members that reach code or types the policy cannot read (reflection, script blocks, downloads). */
export const REFUSED_MEMBERS = /^(InvokeScript|NewScriptBlock|ExpandString|InvokeMember|CreateInstance|GetType|GetMethod|Load|LoadFrom|LoadFile|LoadWithPartialName|Invoke|InvokeReturnAsIs|Download\w*|Upload\w*|OpenRead|OpenWrite|GetAsync|GetStringAsync|SendAsync)$/i;

const normalType = (t: string) => t.replace(/\s+/g, "").replace(/^System\./i, "").replace(/\[System\./gi, "[").toLowerCase();
const ALLOWED = new Set(ALLOWED_TYPES.map(normalType));
const fileName = (path: string) => path.replace(/^.*[\\/]/, "").toLowerCase();

function programProblems(script: ParsedScript): string[] {
    const out: string[] = [];
    for (const call of script.calls) {
        if (call.resolved?.kind === "native" && !ALLOWED_PROGRAMS.includes(call.resolved.name.toLowerCase())) {
            out.push(`runs ${call.resolved.name}, which is not one of the allowed programs (${ALLOWED_PROGRAMS.join(", ")})`);
        }
    }
    for (const call of callsTo(script, "Invoke-NovaNative")) {
        const bound = bindScriptCall(script, call);
        const program = pathOf(script, bound?.named.get("FilePath") ?? bound?.positional[0]);
        if (program === undefined || !ALLOWED_PROGRAMS.includes(fileName(program))) {
            out.push(`Invoke-NovaNative runs ${program ?? "a program only known at run time"}, which is not one of the allowed programs (${ALLOWED_PROGRAMS.join(", ")})`);
        }
    }
    return out;
}

/** True when `node` is a script block literal (`{ ... }`), maybe wrapped in single-child nodes. */
function isScriptBlock(node: Node): boolean {
    for (let n: Node | null = node; n; n = n.namedChildren.length === 1 ? n.namedChildren[0] : null) if (n.type === "script_block_expression") return true;
    return false;
}

/** Members named so the policy cannot read them, or that reach code it cannot read (`.Invoke`, `ForEach-Object -MemberName Invoke`). */
function memberProblems(script: ParsedScript): string[] {
    const out: string[] = [];
    for (const n of descendants(script.root, "member_name")) {
        const name = memberNameOf(n);
        if (name === undefined) out.push(`uses a member whose name is only known at run time: ${n.text.slice(0, 80)}`);
        else if (REFUSED_MEMBERS.test(name)) out.push(`calls .${name}, which reaches code the policy cannot read`);
    }
    for (const call of callsTo(script, "ForEach-Object")) {
        const first = call.bound?.positional[0];
        const member = argumentOf(call, "MemberName") ?? (first && !isScriptBlock(first) ? first : undefined);
        if (member === undefined) continue;
        const name = valueOf(script, member);
        if (name === undefined || REFUSED_MEMBERS.test(name) || CONNECT_METHODS.test(name)) {
            out.push(`calls ${name === undefined ? "a member only known at run time" : `.${name}`} through ForEach-Object -MemberName, which the policy does not follow`);
        }
    }
    return out;
}

/**
 * `text` with its step-bound watchdog statement blanked: exactly the line components/host/stepBound.ts
 * writes (constant watchdog script, an integer bound, a quoted message), and only as the line right after
 * the script's `param(...)` line. Any other `[PowerShell]::Create()` is refused as a type off the list.
 */
export function withoutStepBound(text: string): string {
    const lines = text.split("\n");
    if (lines.length > 1 && /^param\(/.test(lines[0]) && STEP_BOUND_LINE.test(lines[1])) lines[1] = "";
    return lines.join("\n");
}

/** Allow-list violations of one script. */
export function scriptAllowListViolations(text: string): string[] {
    const script = parseScript(withoutStepBound(text));
    const out: string[] = [];
    for (const f of sevenOnlySyntax(script.root)) out.push(`the script does not parse as Windows PowerShell 5.1 (line ${f.row}: ${f.construct})`);
    for (const fn of script.functions) {
        if (resolveCommand(fn.name, { extraNative: [] }) !== undefined) out.push(`the script defines a function ${fn.name}, which shadows a command of Windows`);
    }
    for (const call of script.calls) {
        if (call.scriptBlock) continue;
        if (call.dynamicName) {
            const own = call.operator === "&" && variableName(call.dynamicName) === "FilePath" && functionOf(call.node) === "Invoke-NovaNative";
            if (!own) out.push(`runs a command only known at run time: ${call.node.text.slice(0, 80)}`);
            continue;
        }
        out.push(...call.problems);
        const name = call.resolved?.name;
        if (name && REFUSED_COMMANDS.includes(name) && !(name === "Invoke-CimMethod" && serviceMethodCall(script, call))) out.push(`runs ${call.name}${call.resolved?.alias ? ` (${name})` : ""}, which the policy refuses: it runs code or changes commands the policy cannot read`);
        if ((call.resolved?.kind === "cmdlet" || call.resolved?.kind === "function") && (call.bound?.splats.length ?? 0) > 0) {
            out.push(`splats arguments into ${name} (${call.bound!.splats.map((s) => s.text).join(", ")}): its parameters cannot be read`);
        }
        if (name === "New-Object" && argumentOf(call, "ComObject") !== undefined) out.push("creates a COM object (New-Object -ComObject)");
    }
    out.push(...programProblems(script));
    for (const type of typesOf(script)) {
        if (type.name === undefined) out.push(`creates an object whose type is only known at run time: ${type.node.text.slice(0, 80)}`);
        else if (isTcpClient(type.name)) out.push(...tcpClientUseProblems(type.name, script.calls.find((c) => c.node.id === type.node.id)));
        else if (!ALLOWED.has(normalType(type.name))) out.push(`uses the .NET type ${type.name}, which is not on the policy's allow-list`);
    }
    out.push(...connectProblems(script));
    if (descendants(script.root, "trap_statement").length > 0) out.push("uses trap, which can swallow the errors the checks throw");
    out.push(...memberProblems(script), ...footholdProblems(script), ...secretFlowProblems(script));
    for (const n of descendants(script.root, "member_access")) {
        if (/^\$\{?ExecutionContext\}?\s*\.\s*(['"]?)InvokeCommand\1(?![\w-])/i.test(n.text)) out.push("uses $ExecutionContext.InvokeCommand, which reaches code the policy cannot read");
    }
    return out;
}

/** Allow-list violations of one command resource (its scripts, and command lines of no known shape). */
export function scriptAllowListResourceViolations(type: string, props: Props): string[] {
    if (!isCommand(type)) return [];
    const { scripts, unknownLines } = commandScripts(props);
    const lines = unknownLines.map((l) => `a command line the policy cannot read (neither the bootstrap, an inline script nor the WinRM runner): ${l.slice(0, 80)}`);
    return [...new Set([...lines, ...scripts.flatMap(scriptAllowListViolations)])];
}
