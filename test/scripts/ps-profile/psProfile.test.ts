/**
 * The committed 5.1 command profile is exactly the derivation of the full profile (when the full
 * profile is next to the checkout; a CI clone has none), and the derivation keeps what the binder needs.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSource, derivedText, main, PROFILE_FILE } from "../../../scripts/ps-profile/main";
import { deriveProfile, formatProfile, type SourceProfile } from "../../../analysis/powershell/derive";

const source = defaultSource();

describe("analysis/powershell/profile-5.1.json", () => {
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

describe("deriveProfile", () => {
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

describe("npm run ps-profile", () => {
    const io = () => {
        const out = { stdout: "", stderr: "" };
        return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t) } };
    };
    const tmpProfile = (): string => {
        const file = join(mkdtempSync(join(tmpdir(), "nova-ps-profile-")), "profile.json");
        writeFileSync(file, "old\n");
        return file;
    };
    const sourceFile = (): string => {
        const file = join(mkdtempSync(join(tmpdir(), "nova-ps-source-")), "full.json");
        writeFileSync(file, `\uFEFF${JSON.stringify(sample)}`);
        return file;
    };

    it("--help prints the usage and writes nothing; a bad option exits 1 naming it and writes nothing", async () => {
        const file = tmpProfile();
        const help = io();
        expect(await main(["--source", sourceFile(), "--help"], help.io, file)).toBe(0);
        expect(help.out.stdout).toContain("usage: npm run ps-profile -- [--source FILE] [--check] [--help]");
        expect(help.out.stderr).toBe("");
        const bad = io();
        expect(await main(["--source", sourceFile(), "--bogus"], bad.io, file)).toBe(1);
        expect(bad.out.stderr).toBe('ps-profile: unknown option "--bogus"\nusage: npm run ps-profile -- [--source FILE] [--check] [--help]\n');
        expect(readFileSync(file, "utf8")).toBe("old\n");
    });

    it("--check compares without writing; without it the derivation is written", async () => {
        const file = tmpProfile();
        const source = sourceFile();
        expect(await main(["--source", source, "--check"], io().io, file)).toBe(1);
        expect(readFileSync(file, "utf8")).toBe("old\n");
        expect(await main(["--source", source], io().io, file)).toBe(0);
        expect(readFileSync(file, "utf8")).toBe(formatProfile(deriveProfile(sample)));
        expect(await main(["--source", source, "--check"], io().io, file)).toBe(0);
    });
});
