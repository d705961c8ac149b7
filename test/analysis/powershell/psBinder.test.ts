import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { bindArguments, matchParameter, parametersOf, profile51, resolveCommand, type ParameterInfo } from "../../../analysis/powershell/binder";
import { commandCalls } from "../../../analysis/powershell/commands";
import { initPowerShellGrammar, parsePowerShell } from "../../../analysis/powershell/grammar";

beforeAll(initPowerShellGrammar);

function params(name: string): ParameterInfo[] {
    const r = resolveCommand(name);
    if (r === undefined || (r.kind !== "cmdlet" && r.kind !== "function")) throw new Error(`${name} is not a profile command`);
    return parametersOf(r.name, r.command);
}

const bindsTo = (command: string, given: string) => {
    const m = matchParameter(params(command), given);
    return "error" in m ? m.error : m.parameter.name;
};

/** The bound parameters (name → argument text) and problems of the only command in `text`. */
function bind(text: string) {
    const calls = commandCalls(parsePowerShell(text));
    if (calls.length !== 1) throw new Error(`expected one command, found ${calls.length}`);
    const [call] = calls;
    const named = Object.fromEntries([...(call.bound?.named ?? new Map()).entries()].map(([k, v]) => [k, v === true ? true : v.text]));
    return { named, positional: (call.bound?.positional ?? []).map((n) => n.text), problems: call.problems, resolved: call.resolved };
}

describe("matchParameter (Windows PowerShell 5.1 rules)", () => {
    it("binds an exact name, case-insensitively", () => {
        expect(bindsTo("Set-NetFirewallRule", "RemoteAddress")).toBe("RemoteAddress");
        expect(bindsTo("Set-NetFirewallRule", "remoteaddress")).toBe("RemoteAddress");
    });
    it("binds a unique prefix", () => {
        expect(bindsTo("Set-NetFirewallRule", "RemoteAddr")).toBe("RemoteAddress");
        expect(bindsTo("Invoke-WebRequest", "OutF")).toBe("OutFile");
    });
    it("refuses an ambiguous prefix with PowerShell's message", () => {
        expect(bindsTo("Set-NetFirewallRule", "Remote")).toBe(
            "Parameter cannot be processed because the parameter name 'Remote' is ambiguous. Possible matches include: -RemoteAddress -RemotePort -RemoteUser -RemoteMachine.",
        );
    });
    it("words an ambiguity through an alias as Windows PowerShell 5.1 does: the parameters' own names", () => {
        // Output of Windows PowerShell 5.1.15063 quoted in https://github.com/PowerShell/PowerShell/issues/6343
        // (-com matches -ComputerName and -Command, an alias of -ScriptBlock).
        expect(bindsTo("Invoke-Command", "com")).toBe("Parameter cannot be processed because the parameter name 'com' is ambiguous. Possible matches include: -ComputerName -ScriptBlock.");
        // Remove-Item -f is ambiguous (-Force, -Filter): https://github.com/PowerShell/PowerShell/issues/2199
        expect(bindsTo("Remove-Item", "f")).toMatch(/^Parameter cannot be processed because the parameter name 'f' is ambiguous\. Possible matches include: -Filter -Force\.$/);
    });
    it("lets an exact name win over the longer names it prefixes", () => {
        expect(bindsTo("Invoke-WebRequest", "Proxy")).toBe("Proxy");
        expect(bindsTo("Invoke-WebRequest", "Prox")).toMatch(/^Parameter cannot be processed because the parameter name 'Prox' is ambiguous\. Possible matches include: -Proxy -ProxyCredential -ProxyUseDefaultCredentials\.$/);
    });
    it("binds parameter aliases, exactly and by prefix", () => {
        expect(bindsTo("Get-ChildItem", "s")).toBe("Recurse");
        expect(bindsTo("Invoke-WebRequest", "SV")).toBe("SessionVariable");
        expect(bindsTo("New-ItemProperty", "Type")).toBe("PropertyType");
        expect(bindsTo("Get-Content", "Hea")).toBe("TotalCount");
    });
    it("adds the common parameters to cmdlets and advanced functions", () => {
        expect(bindsTo("Invoke-WebRequest", "ErrorAction")).toBe("ErrorAction");
        expect(bindsTo("Invoke-WebRequest", "ea")).toBe("ErrorAction");
        expect(bindsTo("New-NetFirewallRule", "WarningAction")).toBe("WarningAction");
        expect(bindsTo("Get-Service", "Verbose")).toBe("Verbose");
        expect(bindsTo("Invoke-WebRequest", "Error")).toMatch(/ambiguous\. Possible matches include: -ErrorAction -ErrorVariable\.$/);
    });
    it("adds the Registry provider's -Type to Set-ItemProperty (a dynamic parameter the profile lacks)", () => {
        expect(bindsTo("Set-ItemProperty", "Type")).toBe("Type");
    });
    it("refuses PowerShell 7 parameters: not in the 5.1 profile", () => {
        expect(bindsTo("Invoke-WebRequest", "SkipCertificateCheck")).toBe("A parameter cannot be found that matches parameter name 'SkipCertificateCheck'.");
        expect(bindsTo("ForEach-Object", "Parallel")).toBe("A parameter cannot be found that matches parameter name 'Parallel'.");
        expect(bindsTo("Get-Content", "AsByteStream")).toBe("A parameter cannot be found that matches parameter name 'AsByteStream'.");
    });
});

describe("resolveCommand", () => {
    it("follows command aliases of 5.1 (curl and wget are Invoke-WebRequest there)", () => {
        for (const alias of ["iwr", "curl", "wget", "IWR"]) expect(resolveCommand(alias)).toMatchObject({ kind: "cmdlet", name: "Invoke-WebRequest" });
        expect(resolveCommand("iex")).toMatchObject({ kind: "cmdlet", name: "Invoke-Expression", alias: "iex" });
        expect(resolveCommand("sc")).toMatchObject({ kind: "cmdlet", name: "Set-Content" });
    });
    it("finds native programs on the PATH with or without .exe, and the ones the steps install", () => {
        expect(resolveCommand("sc.exe")).toEqual({ kind: "native", name: "sc.exe" });
        expect(resolveCommand("icacls")).toEqual({ kind: "native", name: "icacls.exe" });
        expect(resolveCommand("C:\\Program Files\\nova-infra\\nssm\\nssm.exe")).toEqual({ kind: "native", name: "nssm.exe" });
        expect(resolveCommand("cloudflared")).toEqual({ kind: "native", name: "cloudflared.exe" });
        expect(resolveCommand("cloudflared", { extraNative: [] })).toBeUndefined();
    });
    it("resolves module-qualified names only in their own module", () => {
        expect(resolveCommand("Microsoft.PowerShell.Utility\\Invoke-WebRequest")).toMatchObject({ kind: "cmdlet", name: "Invoke-WebRequest" });
        expect(resolveCommand("NetSecurity\\Invoke-WebRequest")).toBeUndefined();
    });
    it("lets a script's own function shadow a cmdlet, and knows nothing else", () => {
        expect(resolveCommand("Get-FileHash", { scriptFunctions: new Set(["Get-FileHash"]) })).toEqual({ kind: "script-function", name: "Get-FileHash" });
        expect(resolveCommand("Get-NovaThing")).toBeUndefined();
    });
    it("reads the 5.1 profile of Windows Server 2019", () => {
        expect(profile51().platform).toEqual({ os: "Microsoft Windows Server 2019 Datacenter 10.0.17763.0", powershell: "Desktop 5.1.17763.134", dotnet: "Framework 4.0.30319.42000" });
    });
});

describe("bindArguments", () => {
    const p: ParameterInfo[] = [
        { name: "Path", aliases: ["PSPath"], switch: false },
        { name: "Force", aliases: [], switch: true },
        { name: "PassThru", aliases: [], switch: false },
    ];
    it("a switch takes no argument; the next one is positional", () => {
        const b = bindArguments(p, [{ kind: "parameter", name: "Force" }, { kind: "argument", value: "x" }]);
        expect([...b.named.entries()]).toEqual([["Force", true]]);
        expect(b.positional).toEqual(["x"]);
    });
    it("a colon-bound value goes to its parameter, a switch included", () => {
        const b = bindArguments(p, [{ kind: "parameter", name: "Force", value: "$false" }, { kind: "parameter", name: "PSP", value: "a" }]);
        expect([...b.named.entries()]).toEqual([["Force", "$false"], ["Path", "a"]]);
    });
    it("reports a missing argument, a parameter given twice, and keeps splats apart", () => {
        const b = bindArguments(p, [{ kind: "parameter", name: "Path", value: "a" }, { kind: "parameter", name: "path" }, { kind: "argument", value: "@s", splat: true }]);
        expect(b.errors).toEqual(["Missing an argument for parameter 'Path'. Specify a parameter of the required type and try again."]);
        expect(b.splats).toEqual(["@s"]);
        expect(bindArguments(p, [{ kind: "parameter", name: "Path", value: "a" }, { kind: "parameter", name: "Pa", value: "b" }]).errors).toEqual([
            "Parameter cannot be processed because the parameter name 'Pa' is ambiguous. Possible matches include: -Path -PassThru.",
        ]);
        expect(bindArguments(p, [{ kind: "parameter", name: "Path", value: "a" }, { kind: "parameter", name: "PSPath", value: "b" }]).errors).toEqual([
            "Cannot bind parameter because parameter 'Path' is specified more than once.",
        ]);
    });
});

describe("command calls of a parsed script", () => {
    it("binds prefixes and colon values, ignoring positional arguments", () => {
        expect(bind("Set-NetFirewallRule -Name 'x' -RemoteAddr:'Any' -Ena True")).toMatchObject({
            named: { Name: "'x'", RemoteAddress: "'Any'", Enabled: "True" },
            positional: [],
            problems: [],
        });
        expect(bind("Join-Path $env:ProgramFiles 'nova-infra'")).toMatchObject({ named: {}, positional: ["$env:ProgramFiles", "'nova-infra'"], problems: [] });
        expect(bind("Invoke-WebRequest -UseBasicParsing 'https://x' -ea Stop")).toMatchObject({ named: { UseBasicParsing: true, ErrorAction: "Stop" }, positional: ["'https://x'"] });
    });
    it("reads an en dash, em dash or horizontal bar before a name as a parameter, as PowerShell does", () => {
        expect(bind("Set-NetFirewallRule -Name 'x' \u2013RemoteAddr Any \u2014Enabled True \u2015Action Allow")).toMatchObject({
            named: { Name: "'x'", RemoteAddress: "Any", Enabled: "True", Action: "Allow" },
            positional: [],
        });
    });
    it("reports 7-only and ambiguous parameters as PowerShell would", () => {
        expect(bind("Invoke-WebRequest -Uri 'https://x' -SkipCertificateCheck").problems).toEqual([
            "Invoke-WebRequest: A parameter cannot be found that matches parameter name 'SkipCertificateCheck'.",
        ]);
        expect(bind("Set-NetFirewallRule -Remote Any").problems[0]).toMatch(/^Set-NetFirewallRule: Parameter cannot be processed because the parameter name 'Remote' is ambiguous/);
        expect(bind("Get-Thing -X 1").problems).toEqual(["The term 'Get-Thing' is not recognized as the name of a cmdlet, function, script file, or operable program."]);
    });
    it("resolves aliases through the call and sees the script's own functions", () => {
        expect(bind("iwr -Uri 'https://x' -OutF 'y'")).toMatchObject({ named: { Uri: "'https://x'", OutFile: "'y'" }, resolved: { name: "Invoke-WebRequest", alias: "iwr" } });
        const calls = commandCalls(parsePowerShell("function Get-NovaX([string]$A) { }\nGet-NovaX -A 'b'\n& $exe 'x'\n& { 1 }\n"));
        expect(calls.map((c) => [c.name ?? c.dynamicName?.text ?? (c.scriptBlock ? "{block}" : "?"), c.resolved?.kind, c.problems])).toEqual([
            ["Get-NovaX", "script-function", []],
            ["$exe", undefined, []],
            ["{block}", undefined, []],
        ]);
    });
});

describe("every command of the 5.1 profile", () => {
    const commands = Object.entries(profile51().commands);
    it("binds each parameter's name and each of its aliases to it, whatever the case", () => {
        expect(commands.length).toBeGreaterThan(1500);
        const wrong: string[] = [];
        for (const [name, command] of commands) {
            const params = parametersOf(name, command);
            for (const p of params) {
                for (const given of [p.name, ...p.aliases]) {
                    const m = matchParameter(params, given);
                    if (!("parameter" in m) || m.parameter.name !== p.name) wrong.push(`${name} -${given}`);
                }
            }
        }
        expect(wrong).toEqual([]);
    });
    it("binds a prefix to a parameter only when no other parameter (name or alias) starts with it", () => {
        fc.assert(
            fc.property(fc.constantFrom(...commands.filter(([name, c]) => parametersOf(name, c).length > 0)), fc.nat(), fc.nat(), ([name, command], pick, cut) => {
                const params = parametersOf(name, command);
                const p = params[pick % params.length];
                const prefix = p.name.slice(0, 1 + (cut % p.name.length));
                const starts = params.filter((q) => [q.name, ...q.aliases].some((n) => n.toLowerCase().startsWith(prefix.toLowerCase())));
                const exact = params.find((q) => [q.name, ...q.aliases].some((n) => n.toLowerCase() === prefix.toLowerCase()));
                const m = matchParameter(params, prefix.toUpperCase());
                if (exact) return "parameter" in m && m.parameter.name === exact.name;
                return starts.length === 1 ? "parameter" in m && m.parameter.name === p.name : "error" in m && m.error.includes("is ambiguous");
            }),
            { numRuns: 2000 },
        );
    });
});
