/**
 * The committed 5.1 command profile is exactly the derivation of the full profile (when the full
 * profile is next to the checkout; a CI clone has none), and the derivation keeps what the binder needs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSource, derivedText, PROFILE_FILE } from "../scripts/psProfile";
import { deriveProfile, formatProfile, type SourceProfile } from "../scripts/psProfile/derive";

const source = defaultSource();

describe("scripts/lib/powershell/profile-5.1.json", () => {
    it.skipIf(source === undefined)("equals the derivation of shared/reference/powershell/windows-server-2019-powershell-5.1.json", () => {
        expect(readFileSync(PROFILE_FILE, "utf8") === derivedText(source!)).toBe(true);
    });
    it("carries its licence and cites its origin", () => {
        const dir = join(PROFILE_FILE, "..");
        expect(readFileSync(join(dir, "LICENSE-PSScriptAnalyzer.txt"), "utf8")).toMatch(/^The MIT License \(MIT\)\n\nCopyright \(c\) 2015 Microsoft Corporation\./);
        expect(JSON.parse(readFileSync(PROFILE_FILE, "utf8")).origin).toMatch(/^PowerShell\/PSScriptAnalyzer CrossCompatibility\/profiles\/win-8_x64_10\.0\.17763\.0_5\.1\.17763\.134.* at commit ad713a08749cc88e4069fe80467f4350e620c55c/);
        expect(existsSync(join(dir, "README.md"))).toBe(true);
    });
});

describe("deriveProfile", () => {
    const sample: SourceProfile = {
        Platform: { OperatingSystem: { Name: "W", Version: "10" }, PowerShell: { Version: "5.1", Edition: "Desktop" }, ".NET": { ClrVersion: "4.0", Runtime: "Framework" } },
        Compatibility: {
            Modules: {
                A: {
                    "1.0": {
                        Cmdlets: { "Get-B": { Parameters: { Path: { Type: "System.String" }, Force: { Type: "System.Management.Automation.SwitchParameter" } }, ParameterAliases: { PSPath: "Path" } } },
                        Functions: { "Set-C": { CmdletBinding: false, Parameters: { X: { Type: "System.Object" } } } },
                        Aliases: { gb: "Get-B" },
                    },
                },
                Z: { "2.0": { Functions: { "get-b": { CmdletBinding: true, Parameters: {} } } } },
            },
            NativeCommands: { "sc.exe": {}, "ARP.EXE": {} },
        },
    };
    it("keeps module, kind, advanced-ness, parameters, switches and aliases; the first module wins a name", () => {
        const p = deriveProfile(sample);
        expect(p.commands).toEqual({
            "Get-B": { module: "A", version: "1.0", kind: "cmdlet", cmdletBinding: true, parameters: ["Path", "Force"], switches: ["Force"], parameterAliases: { PSPath: "Path" } },
            "Set-C": { module: "A", version: "1.0", kind: "function", cmdletBinding: false, parameters: ["X"], switches: [], parameterAliases: {} },
        });
        expect(p.aliases).toEqual({ gb: "Get-B" });
        expect(p.nativeCommands).toEqual(["ARP.EXE", "sc.exe"]);
        expect(p.platform).toEqual({ os: "W 10", powershell: "Desktop 5.1", dotnet: "Framework 4.0" });
    });
    it("formats as valid JSON, one command per line", () => {
        const text = formatProfile(deriveProfile(sample));
        expect(JSON.parse(text)).toEqual(deriveProfile(sample));
        expect(text.split("\n").filter((l) => l.startsWith('"Get-B": '))).toHaveLength(1);
    });
});
