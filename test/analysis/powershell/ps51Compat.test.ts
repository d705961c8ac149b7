/**
 * Windows PowerShell 5.1 stays the target. Every generated host script (create, audit and delete of
 * every step; both committed stacks; both transports; both ingress modes), every script the offline
 * plans register (stdin, inline delete, the WinRM runner's documents) and the fixed bootstrap are
 * checked against the command profile of Windows Server 2019's PowerShell 5.1
 * (analysis/powershell/profile-5.1.json): no PowerShell 7 syntax, every command exists there,
 * every named parameter binds to exactly one parameter as 5.1's binder would, every native program is
 * on the machine or installed by the steps. Planted 7-only parameters and syntax make the check fail.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_TEXT, DELETE_LOADER_TEXT, LOADER_TEXT, decodePowerShellCommand, inlineCommand } from "../../../components/host/bootstrap";
import { renderHostSteps } from "../../../components/host/steps";
import type { HostConfig } from "../../../components/types";
import { bindScriptCall, callsTo, descendants, parseScript, pathOf } from "../../../policy/rules/psScript";
import { commandScripts } from "../../../policy/rules/scriptText";
import { resolveCommand } from "../../../analysis/powershell/binder";
import { windows51Report } from "../../../analysis/powershell/compat51";
import { initPowerShellGrammar } from "../../../analysis/powershell/grammar";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../../../scripts/shared/planning/offlineFixtures";
import { sshHost, winrmHost, withMode } from "../../support/fixtures/configs";
import { plan } from "../../support/harness";
import { policyView } from "../../policy/util";
import { renderServicesQuery } from "../../../scripts/status/hostQuery";
import { renderLogsQuery } from "../../../scripts/logs/hostQuery";

const ranges = { ipv4: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ipv6: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs };

/** label → script text, for every script checked. */
const scripts = new Map<string, string>();
/** The inline wrapper (the decoded -EncodedCommand of an older state's delete command), with a one-line script. */
const INLINE_WRAPPER = decodePowerShellCommand(inlineCommand("Write-Output 'x'").split(" ").pop()!);

const reports = new Map<string, ReturnType<typeof windows51Report>>();
/** The 5.1 report of a script (once per text: the checks below read the same reports). */
function report(text: string) {
    let r = reports.get(text);
    if (!r) reports.set(text, (r = windows51Report(text)));
    return r;
}

beforeAll(async () => {
    await initPowerShellGrammar();
    for (const stack of ["prod", "staging"]) {
        const p = await plan(stack);
        for (const transport of ["ssh", "winrm"] as const) {
            const host: HostConfig = p.config.hosts.find((h) => h.transport === transport) ?? (transport === "ssh" ? sshHost : winrmHost);
            for (const mode of ["tunnel", "direct"] as const) {
                // The read-only queries of `npm run status` and `npm run logs` (first poll and a --follow poll).
                scripts.set(`${stack}/${mode}/status/services`, renderServicesQuery(withMode(p.config, mode)));
                for (const service of ["app", "cloudflared"] as const) {
                    scripts.set(`${stack}/${mode}/logs/${service}`, renderLogsQuery(withMode(p.config, mode), { service, lines: 100, sinceSeconds: 3600 }));
                    scripts.set(`${stack}/${mode}/logs/${service}/follow`, renderLogsQuery(withMode(p.config, mode), { service, lines: 100, sinceSeconds: 0, from: { "C:\\x\\service.log": 12, eventlog: 3 } }));
                }
                for (const step of renderHostSteps(withMode(p.config, mode), host, { cloudflare: ranges })) {
                    for (const kind of ["create", "audit", "delete"] as const) {
                        const text = step.scripts[kind];
                        if (text !== undefined) scripts.set(`${stack}/${transport}/${mode}/${step.name}/${kind}`, text);
                    }
                }
            }
        }
        for (const r of p.run.resources.filter((r) => r.type.startsWith("command:"))) {
            const found = commandScripts(policyView(r.inputs) as Record<string, unknown>);
            expect(found.unknownLines).toEqual([]);
            found.scripts.forEach((text, i) => scripts.set(`${stack}/plan/${r.name}/${i}`, text));
        }
    }
    scripts.set("loader", LOADER_TEXT);
    scripts.set("delete loader", DELETE_LOADER_TEXT);
    scripts.set("bootstrap", BOOTSTRAP_TEXT);
    scripts.set("inline wrapper", INLINE_WRAPPER);
}, 120_000);

describe("every generated script on Windows PowerShell 5.1", () => {
    it("covers both stacks, both transports, both modes, every step and kind, and the plans' registered scripts", () => {
        const labels = [...scripts.keys()];
        for (const stack of ["prod", "staging"]) {
            for (const transport of ["ssh", "winrm"]) {
                for (const step of ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"]) {
                    for (const kind of ["create", "audit"]) expect(labels).toContain(`${stack}/${transport}/tunnel/${step}/${kind}`);
                }
            }
            expect(labels.filter((l) => l.startsWith(`${stack}/plan/`)).length).toBeGreaterThanOrEqual(6);
        }
        expect(labels.filter((l) => l.endsWith("/delete")).length).toBeGreaterThan(20);
        for (const stack of ["prod", "staging"]) for (const q of ["status/services", "logs/app", "logs/cloudflared", "logs/app/follow"]) expect(labels).toContain(`${stack}/tunnel/${q}`);
    });

    it("no PowerShell 7 syntax, no unknown command, every named parameter binds to one parameter", () => {
        const problems = Object.fromEntries([...scripts].map(([label, text]) => [label, report(text).problems]).filter(([, p]) => p.length > 0));
        expect(problems).toEqual({});
    });

    it("the only commands known at run time: Invoke-NovaNative's program, and the bootstrap's script block", () => {
        const dynamic = new Set([...scripts.values()].flatMap((t) => report(t).dynamicCalls.map((d) => `${d.inFunction ?? "-"}: ${d.text}`)));
        expect([...dynamic].sort()).toEqual(["-: & $NovaBlock $NovaArgs", "Invoke-NovaNative: & $FilePath @Arguments 2>&1"]);
    });

    it("every program Invoke-NovaNative runs is on the 5.1 machine's PATH or installed by the steps", () => {
        const programs = new Set<string>();
        for (const text of scripts.values()) {
            const script = parseScript(text);
            for (const call of callsTo(script, "Invoke-NovaNative")) {
                const bound = bindScriptCall(script, call);
                const path = pathOf(script, bound?.named.get("FilePath") ?? bound?.positional[0]);
                expect(path, call.node.text).toBeDefined();
                const resolved = resolveCommand(path!);
                expect(resolved?.kind, path).toBe("native");
                programs.add(resolved!.name);
            }
        }
        expect([...programs].sort()).toEqual(["cloudflared.exe", "nssm.exe", "sc.exe"]);
        expect(resolveCommand("powershell.exe")).toEqual({ kind: "native", name: "powershell.exe" });
    });
});

/**
 * .NET APIs the scripts call whose behaviour differs between .NET Framework 4.x (Windows PowerShell
 * 5.1, the target) and .NET (pwsh 7, where a model of the host would run them). Every type the scripts
 * name is either here or in SAME_IN_BOTH; every entry here is used by some script.
 */
const FRAMEWORK_DIFFERENCES: readonly { api: string; framework: string; core: string }[] = [
    {
        api: "System.IO.File::SetAccessControl",
        framework: "File.SetAccessControl(string, FileSecurity) (https://learn.microsoft.com/dotnet/api/system.io.file.setaccesscontrol?view=netframework-4.8)",
        core: "absent; FileSystemAclExtensions.SetAccessControl(FileInfo, FileSecurity), Windows only",
    },
    {
        api: "Net.ServicePointManager::SecurityProtocol",
        framework: "selects the TLS versions of WebRequest, which 5.1's Invoke-WebRequest uses (TLS 1.2 must be added on 4.x without strong-crypto defaults)",
        core: "exists, but pwsh 7's Invoke-WebRequest uses HttpClient, which ignores it",
    },
    {
        api: "System.IO.Directory::SetAccessControl",
        framework: "Directory.SetAccessControl(string, DirectorySecurity) (https://learn.microsoft.com/dotnet/api/system.io.directory.setaccesscontrol?view=netframework-4.8)",
        core: "absent; FileSystemAclExtensions.SetAccessControl(DirectoryInfo, DirectorySecurity), Windows only (https://learn.microsoft.com/dotnet/api/system.io.filesystemaclextensions.setaccesscontrol)",
    },
    {
        api: "System.IO.File::Create",
        framework: "File.Create(string, int, FileOptions, FileSecurity) creates the token file with its ACL (https://learn.microsoft.com/dotnet/api/system.io.file.create?view=netframework-4.8)",
        core: "no FileSecurity overload; FileSystemAclExtensions.Create(FileInfo, FileMode, FileSystemRights, FileShare, int, FileOptions, FileSecurity), Windows only (https://learn.microsoft.com/dotnet/api/system.io.filesystemaclextensions.create)",
    },
    {
        api: "Microsoft.Win32.RegistryValueOptions::DoNotExpandEnvironmentNames",
        framework: "RegistryKey.GetValue with this option reads REG_EXPAND_SZ unexpanded",
        core: "same API, Windows only (Microsoft.Win32.Registry throws PlatformNotSupportedException elsewhere)",
    },
];
const SAME_IN_BOTH = [
    "bool", "char", "int", "object", "ordered", "regex", "string", "string[]", "switch", "Console", "Convert", "PSObject", "ScriptBlock",
    "System.Collections.Generic.List[object]", "System.Collections.Generic.List[string]", "System.Diagnostics.Stopwatch", "System.IO.File", "System.IO.StreamReader",
    "System.Net.IPAddress", "System.Net.Sockets.AddressFamily", "System.Security.Cryptography.SHA256", "System.StringComparison", "System.Text.Encoding",
    "System.Text.UTF8Encoding", "Net.SecurityProtocolType", "Net.ServicePointManager", "Microsoft.Win32.RegistryValueOptions",
    // NullString: PowerShell 3.0 and later, in both (https://learn.microsoft.com/dotnet/api/system.management.automation.language.nullstring).
    "System.Management.Automation.Language.NullString",
    // The bootstrap loader: DeflateStream(Stream, CompressionMode) and MemoryStream(byte[]) in .NET Framework 2.0+ (System.dll) and
    // .NET Core 1.0+ (https://learn.microsoft.com/dotnet/api/system.io.compression.deflatestream.-ctor?view=netframework-4.7.2); `::new` from PowerShell 5.0.
    "IO.StreamReader", "IO.MemoryStream", "IO.Compression.DeflateStream", "IO.Compression.CompressionMode",
    // The runner splits the document with String.Split(String[], Int32, StringSplitOptions): .NET Framework 2.0+ and every .NET
    // (https://learn.microsoft.com/dotnet/api/system.string.split?view=netframework-4.8#system-string-split(system-string()-system-int32-system-stringsplitoptions)).
    "System.StringSplitOptions",
    "Array", "Environment", "Math", "PlatformID", "byte", "byte[]", "datetime", "hashtable", "pscustomobject", "System.Globalization.CultureInfo",
    "System.Globalization.DateTimeStyles", "System.Security.Cryptography.X509Certificates.X509Certificate2",
    // The types exist in both; what differs is a member (FRAMEWORK_DIFFERENCES: Directory::SetAccessControl, File::Create with a FileSecurity).
    "System.IO.Directory", "System.IO.FileOptions",
    // Windows-only in .NET (System.Security.AccessControl, System.Security.Principal.Windows), same API as the Framework's.
    "System.Security.AccessControl.FileSecurity", "System.Security.AccessControl.FileSystemAccessRule", "System.Security.AccessControl.RegistryAccessRule",
    "System.Security.AccessControl.RegistrySecurity", "System.Security.Principal.SecurityIdentifier", "System.Security.AccessControl.DirectorySecurity",
    "System.Security.AccessControl.FileSystemRights", "System.Security.AccessControl.InheritanceFlags", "System.Security.AccessControl.PropagationFlags",
    // CNG: .NET Framework 3.5+ and .NET Core 1.0+, but Windows only in .NET (PlatformNotSupportedException elsewhere), which is
    // why New-NovaEcdsaKey takes them on Win32NT only (https://learn.microsoft.com/dotnet/api/system.security.cryptography.cngkey,
    // https://learn.microsoft.com/dotnet/api/system.security.cryptography.ecdsacng).
    "System.Security.Cryptography.CngAlgorithm", "System.Security.Cryptography.CngExportPolicies", "System.Security.Cryptography.CngKey",
    "System.Security.Cryptography.CngKeyCreationParameters", "System.Security.Cryptography.ECDsaCng",
    // Both, from .NET Framework 4.7.2 (which Windows Server 2019 ships) and .NET Core 2.0: CertificateRequest and
    // SubjectAlternativeNameBuilder (https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.certificaterequest?view=netframework-4.7.2,
    // https://learn.microsoft.com/dotnet/api/system.security.cryptography.x509certificates.subjectalternativenamebuilder?view=netframework-4.7.2);
    // ECCurve and ECDsa.Create(ECCurve) from 4.7 (https://learn.microsoft.com/dotnet/api/system.security.cryptography.eccurve?view=netframework-4.7);
    // HashAlgorithmName from 4.6 (https://learn.microsoft.com/dotnet/api/system.security.cryptography.hashalgorithmname?view=netframework-4.6).
    "System.Security.Cryptography.X509Certificates.CertificateRequest", "System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder",
    "System.Security.Cryptography.ECCurve", "System.Security.Cryptography.ECDsa", "System.Security.Cryptography.HashAlgorithmName",
    // The direct-mode health probe: TcpClient (Connect(string, int), GetStream) exists in .NET Framework 2.0+ and every
    // .NET (https://learn.microsoft.com/dotnet/api/system.net.sockets.tcpclient?view=netframework-4.8); the probe writes its
    // own TLS 1.2 ClientHello and reads the Certificate message (components/host/steps/health.ts), no SslStream.
    "System.Net.Sockets.TcpClient",
    // status and logs queries: [int64] (System.Int64) for an uptime in seconds, [array]::Reverse (System.Array) for newest-first lists.
    "int64", "array",
    // The step-bound watchdog (components/host/stepBound.ts): [PowerShell]::Create(), AddScript, AddArgument, BeginInvoke are
    // PowerShell 2.0+ SDK members, in 5.1 and 7 alike (https://learn.microsoft.com/dotnet/api/system.management.automation.powershell).
    "PowerShell",
];

/** `Type::Member` of every static member access in a script. */
function staticMembers(text: string): string[] {
    const out: string[] = [];
    const root = parseScript(text).root;
    for (const n of [...descendants(root, "member_access"), ...descendants(root, "invokation_expression")]) {
        const [first, second] = n.namedChildren;
        const spec = first?.type === "type_literal" ? first.namedChildren.find((c) => c?.type === "type_spec") : undefined;
        if (spec && second?.type === "member_name" && n.text.slice(first!.endIndex - n.startIndex).startsWith("::")) out.push(`${spec.text}::${second.text}`);
    }
    return out;
}

describe(".NET Framework and .NET differences the scripts meet", () => {
    it("every type the scripts name is classified, and every listed difference is used", () => {
        const types = new Set([...scripts.values()].flatMap((t) => report(t).types));
        expect([...types].filter((t) => !SAME_IN_BOTH.includes(t))).toEqual([]);
        const members = new Set([...scripts.values()].flatMap(staticMembers));
        for (const d of FRAMEWORK_DIFFERENCES) expect(members, d.api).toContain(d.api);
    });
});

describe("the 5.1 check fails on what 5.1 lacks", () => {
    const tools = () => scripts.get("prod/ssh/tunnel/tools/create")!;
    it("a planted PowerShell 7 parameter: Invoke-WebRequest -SkipCertificateCheck", () => {
        const planted = tools().replace("Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $Path", "Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $Path -SkipCertificateCheck");
        expect(planted).not.toBe(tools());
        expect(windows51Report(tools()).problems).toEqual([]);
        expect(windows51Report(planted).problems).toEqual([expect.stringMatching(/^line \d+: Invoke-WebRequest: A parameter cannot be found that matches parameter name 'SkipCertificateCheck'\.$/)]);
    });
    it.each([
        ["$x = $NovaChanged ?? 'none'", "null-coalescing operator ?? / ??= (PowerShell 7)"],
        ["$x ??= 'none'", "null-coalescing operator ?? / ??= (PowerShell 7)"],
        ["$x = $NovaChanged?.Count", "null-conditional member access ?. (PowerShell 7)"],
        ["$x = ${NovaChanged}?[0]", "null-conditional index ?[] (PowerShell 7)"],
        ["$x = $ok ? 'a' : 'b'", "ternary operator a ? b : c (PowerShell 7)"],
        ["Get-Service 'x' && Write-Output 'y'", "pipeline chain && / || (PowerShell 7)"],
        ["Get-Service 'x' || Write-Output 'y'", "pipeline chain && / || (PowerShell 7)"],
        ["function Get-NovaPlanted { process { } clean { } }", "clean {} block (PowerShell 7.3)"],
    ])("planted syntax %s", (line, construct) => {
        const problems = windows51Report(`${tools()}${line}\n`).problems;
        expect(problems.length).toBeGreaterThan(0);
        expect(problems[0]).toContain(construct);
    });
    it.each([
        ["Set-Content -LiteralPath 'C:\\x.txt' -Value 'y'", "Set-Content without -Encoding: 5.1 writes ANSI, pwsh 7 UTF-8"],
        ["'y' | Out-File -FilePath 'C:\\x.txt'", "Out-File without -Encoding: 5.1 writes UTF-16LE, pwsh 7 UTF-8"],
        ["Add-Content -LiteralPath 'C:\\x.txt' -Value 'y'", "Add-Content without -Encoding: 5.1 writes ANSI, pwsh 7 UTF-8"],
        ["Invoke-WebRequest -Uri 'https://example.net/' -OutFile 'C:\\x'", "Invoke-WebRequest without -UseBasicParsing: 5.1 parses the response with Internet Explorer's engine"],
    ])("a default that differs between 5.1 and 7: %s", (line, message) => {
        const problems = windows51Report(`${tools()}${line}\n`).problems;
        expect(problems).toEqual([expect.stringMatching(new RegExp(`^line \\d+: ${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`))]);
        expect(windows51Report(`${tools()}${line.replace(" -Value", " -Encoding UTF8 -Value").replace(" -FilePath", " -Encoding UTF8 -FilePath").replace(" -OutFile", " -UseBasicParsing -OutFile")}\n`).problems).toEqual([]);
    });
    it.each([
        ["1..3 | ForEach-Object -Parallel { $_ }", "ForEach-Object: A parameter cannot be found that matches parameter name 'Parallel'."],
        ["Get-Content -LiteralPath 'x' -AsByteStream", "Get-Content: A parameter cannot be found that matches parameter name 'AsByteStream'."],
        ["ConvertFrom-Json -InputObject '{}' -AsHashtable", "ConvertFrom-Json: A parameter cannot be found that matches parameter name 'AsHashtable'."],
        ["Set-NetFirewallRule -Name 'x' -Remote Any", "Set-NetFirewallRule: Parameter cannot be processed because the parameter name 'Remote' is ambiguous."],
        ["Get-Error", "The term 'Get-Error' is not recognized as the name of a cmdlet, function, script file, or operable program."],
    ])("planted command %s", (line, message) => {
        const problems = windows51Report(`${tools()}${line}\n`).problems;
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain(message.replace(/\.$/, ""));
    });
});
