/**
 * Derives the compact command profile the PowerShell binder reads (analysis/powershell/profile-5.1.json)
 * from the Windows Server 2019 / Windows PowerShell 5.1 compatibility profile of PSScriptAnalyzer
 * (see analysis/powershell/README.md for its origin and licence). Kept: per command its module and
 * version, whether it is a cmdlet or a function (and whether the function is advanced, so takes the
 * common parameters), its parameter names, which of them are switches, and its parameter aliases; the
 * command aliases; the native programs on the machine's PATH. Everything else (types, parameter sets,
 * positions) is left out. Parameters keep the source's order (PowerShell's, which its error messages
 * follow). The output is deterministic: same input, same bytes.
 */

/** The parts of the PSScriptAnalyzer profile this derivation reads. */
interface SourceCommand {
    readonly CmdletBinding?: boolean;
    readonly Parameters?: Record<string, { readonly Type?: string }>;
    readonly ParameterAliases?: Record<string, string>;
}
interface SourceModuleVersion {
    readonly Cmdlets?: Record<string, SourceCommand>;
    readonly Functions?: Record<string, SourceCommand>;
    readonly Aliases?: Record<string, string>;
}
export interface SourceProfile {
    readonly Platform: {
        readonly OperatingSystem: { readonly Name: string; readonly Version: string };
        readonly PowerShell: { readonly Version: string; readonly Edition: string };
        readonly ".NET": { readonly ClrVersion: string; readonly Runtime: string };
    };
    readonly Compatibility: {
        readonly Modules: Record<string, Record<string, SourceModuleVersion>>;
        readonly NativeCommands: Record<string, unknown>;
    };
}

/** One command of the compact profile. */
export interface ProfileCommand {
    readonly module: string;
    readonly version: string;
    readonly kind: "cmdlet" | "function";
    /** True for cmdlets and advanced functions: they take the common parameters. */
    readonly cmdletBinding: boolean;
    readonly parameters: readonly string[];
    readonly switches: readonly string[];
    /** Parameter alias → parameter name. */
    readonly parameterAliases: Readonly<Record<string, string>>;
}

export interface CompactProfile {
    readonly origin: string;
    readonly platform: { readonly os: string; readonly powershell: string; readonly dotnet: string };
    readonly commands: Readonly<Record<string, ProfileCommand>>;
    /** Command alias → command name. */
    readonly aliases: Readonly<Record<string, string>>;
    /** File names of the executables on the machine's PATH. */
    readonly nativeCommands: readonly string[];
}

export const ORIGIN =
    "PowerShell/PSScriptAnalyzer CrossCompatibility/profiles/win-8_x64_10.0.17763.0_5.1.17763.134_x64_4.0.30319.42000_framework.json " +
    "at commit ad713a08749cc88e4069fe80467f4350e620c55c (MIT licence: LICENSE-PSScriptAnalyzer.txt)";

const SWITCH = "System.Management.Automation.SwitchParameter";

const byName = (a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : a < b ? -1 : a > b ? 1 : 0);
const sortedRecord = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries.sort(([a], [b]) => byName(a, b)));

function compactCommand(module: string, version: string, kind: "cmdlet" | "function", source: SourceCommand): ProfileCommand {
    const parameters = Object.entries(source.Parameters ?? {});
    return {
        module,
        version,
        kind,
        cmdletBinding: kind === "cmdlet" || source.CmdletBinding === true,
        parameters: parameters.map(([name]) => name),
        switches: parameters.filter(([, p]) => p.Type === SWITCH).map(([name]) => name),
        parameterAliases: sortedRecord(Object.entries(source.ParameterAliases ?? {})),
    };
}

/**
 * The compact profile of `source`. A command name defined by two modules keeps the first in the
 * source's module order (PowerShell's own choice depends on module load order; the only such name on
 * this machine is Get-Certificate, PKI's cmdlet and a RemoteDesktop function).
 */
export function deriveProfile(source: SourceProfile): CompactProfile {
    const commands = new Map<string, [string, ProfileCommand]>();
    const aliases = new Map<string, [string, string]>();
    for (const [module, versions] of Object.entries(source.Compatibility.Modules)) {
        for (const [version, content] of Object.entries(versions)) {
            for (const [kind, table] of [["cmdlet", content.Cmdlets], ["function", content.Functions]] as const) {
                for (const [name, command] of Object.entries(table ?? {})) {
                    if (!commands.has(name.toLowerCase())) commands.set(name.toLowerCase(), [name, compactCommand(module, version, kind, command)]);
                }
            }
            for (const [alias, target] of Object.entries(content.Aliases ?? {})) {
                if (!aliases.has(alias.toLowerCase())) aliases.set(alias.toLowerCase(), [alias, target]);
            }
        }
    }
    const { OperatingSystem: os, PowerShell: ps } = source.Platform;
    const dotnet = source.Platform[".NET"];
    return {
        origin: ORIGIN,
        platform: { os: `${os.Name} ${os.Version}`, powershell: `${ps.Edition} ${ps.Version}`, dotnet: `${dotnet.Runtime} ${dotnet.ClrVersion}` },
        commands: sortedRecord([...commands.values()]),
        aliases: sortedRecord([...aliases.values()]),
        nativeCommands: Object.keys(source.Compatibility.NativeCommands).sort(byName),
    };
}

/** The committed text: one command (or alias block, native list) per line, so a change reads as a small diff. */
export function formatProfile(profile: CompactProfile): string {
    const lines = [
        "{",
        `"origin": ${JSON.stringify(profile.origin)},`,
        `"platform": ${JSON.stringify(profile.platform)},`,
        `"aliases": ${JSON.stringify(profile.aliases)},`,
        `"nativeCommands": ${JSON.stringify(profile.nativeCommands)},`,
        `"commands": {`,
        Object.entries(profile.commands)
            .map(([name, command]) => `${JSON.stringify(name)}: ${JSON.stringify(command)}`)
            .join(",\n"),
        "}",
        "}",
        "",
    ];
    return lines.join("\n");
}
