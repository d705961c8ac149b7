/**
 * PowerShell's command and parameter binder, as Windows PowerShell 5.1 resolves names, over the
 * compact command profile of Windows Server 2019 (profile-5.1.json, derived by `npm run ps-profile`).
 *
 * Command lookup follows PowerShell's precedence: alias, then function (the script's own first), then
 * cmdlet, then a native program on the PATH (about_Command_Precedence). A parameter name binds like
 * MergedCommandParameterMetadata.GetMatchingParameter: an exact name or alias (case-insensitive) wins;
 * otherwise the name must be a prefix of exactly one parameter (its name or one of its aliases), else
 * PowerShell refuses the command with "ambiguous" or "cannot be found". Cmdlets and advanced functions
 * also take the common parameters. Nothing here knows about the AST: callers hand it names and
 * argument lists (analysis/powershell/commands.ts does it for parsed scripts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CompactProfile, ProfileCommand } from "./derive";

export type { CompactProfile, ProfileCommand };

let loaded: CompactProfile | undefined;

/** The Windows PowerShell 5.1 profile (read once). */
export function profile51(): CompactProfile {
    loaded ??= JSON.parse(readFileSync(join(__dirname, "profile-5.1.json"), "utf8")) as CompactProfile;
    return loaded;
}

/**
 * The common parameters and their aliases, for cmdlets and advanced functions (about_CommonParameters,
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters?view=powershell-5.1).
 * WhatIf and Confirm are per command: the profile lists them where a command has them.
 */
export const COMMON_PARAMETERS: readonly { name: string; aliases: readonly string[]; switch: boolean }[] = [
    { name: "Debug", aliases: ["db"], switch: true },
    { name: "ErrorAction", aliases: ["ea"], switch: false },
    { name: "ErrorVariable", aliases: ["ev"], switch: false },
    { name: "InformationAction", aliases: ["infa"], switch: false },
    { name: "InformationVariable", aliases: ["iv"], switch: false },
    { name: "OutBuffer", aliases: ["ob"], switch: false },
    { name: "OutVariable", aliases: ["ov"], switch: false },
    { name: "PipelineVariable", aliases: ["pv"], switch: false },
    { name: "Verbose", aliases: ["vb"], switch: true },
    { name: "WarningAction", aliases: ["wa"], switch: false },
    { name: "WarningVariable", aliases: ["wv"], switch: false },
];

/**
 * Provider dynamic parameters the profile lacks (it lists static parameters only), each with its source.
 * Binding one where its provider does not apply fails at run time on Windows; the binder accepts it.
 */
export const PROVIDER_DYNAMIC_PARAMETERS: Readonly<Record<string, readonly { name: string; aliases: readonly string[]; switch: boolean; source: string }[]>> = {
    "Set-ItemProperty": [
        {
            name: "Type",
            aliases: [],
            switch: false,
            source: "Registry provider (RegistryValueKind): https://learn.microsoft.com/powershell/module/microsoft.powershell.management/set-itemproperty?view=powershell-5.1#-type",
        },
    ],
};

/** Native programs the host steps install themselves (not on a fresh machine's PATH). */
export const INSTALLED_NATIVE_COMMANDS: readonly string[] = ["nssm.exe", "cloudflared.exe"];

/** Extensions Windows tries for a bare native name (the default PATHEXT subset that matters here). */
const PATHEXT = [".exe", ".com", ".bat", ".cmd"];

export type ResolvedCommand =
    | { readonly kind: "cmdlet" | "function"; readonly name: string; readonly command: ProfileCommand; readonly alias?: string }
    | { readonly kind: "script-function"; readonly name: string; readonly alias?: string }
    | { readonly kind: "native"; readonly name: string; readonly alias?: string };

export interface ResolveOptions {
    /** Functions the script defines (they shadow cmdlets of the same name). */
    readonly scriptFunctions?: ReadonlySet<string>;
    /** Native programs known besides the profile's PATH (default INSTALLED_NATIVE_COMMANDS). */
    readonly extraNative?: readonly string[];
    readonly profile?: CompactProfile;
}

const lower = (s: string) => s.toLowerCase();

const indexes = new WeakMap<object, Map<string, string>>();

/** Case-insensitive lookup (PowerShell's names are), through a lower-case index built once per table. */
function lookup<T>(table: Readonly<Record<string, T>>, name: string): [string, T] | undefined {
    let index = indexes.get(table);
    if (!index) {
        index = new Map(Object.keys(table).map((k) => [lower(k), k]));
        indexes.set(table, index);
    }
    const key = index.get(lower(name));
    return key === undefined ? undefined : [key, table[key]];
}

/** What `name` runs on Windows PowerShell 5.1, or undefined when no such command exists there. */
export function resolveCommand(name: string, options: ResolveOptions = {}): ResolvedCommand | undefined {
    const p = options.profile ?? profile51();
    // Module\Command: one backslash, a command name without an extension (a path has more, or a file name).
    const slash = name.indexOf("\\");
    const qualifier = slash > 0 && slash === name.lastIndexOf("\\") && !name.includes(":") && !name.slice(slash + 1).includes(".") ? name.slice(0, slash) : undefined;
    if (qualifier !== undefined) {
        // Module-qualified (Microsoft.PowerShell.Utility\Invoke-WebRequest): no alias or script function.
        const found = lookup(p.commands, name.slice(slash + 1));
        return found && lower(found[1].module) === lower(qualifier) ? { kind: found[1].kind, name: found[0], command: found[1] } : undefined;
    }
    const seen = new Set<string>();
    let current = name;
    let alias: string | undefined;
    for (;;) {
        const a = lookup(p.aliases, current);
        if (!a || seen.has(lower(current))) break;
        seen.add(lower(current));
        alias ??= a[0];
        current = a[1];
    }
    const withAlias = <T extends object>(r: T) => (alias === undefined ? r : { ...r, alias });
    const scriptFunction = [...(options.scriptFunctions ?? [])].find((f) => lower(f) === lower(current));
    if (scriptFunction !== undefined) return withAlias({ kind: "script-function" as const, name: scriptFunction });
    const found = lookup(p.commands, current);
    if (found) return withAlias({ kind: found[1].kind, name: found[0], command: found[1] });
    const file = current.replace(/^.*[\\/]/, "");
    const natives = new Map([...p.nativeCommands, ...(options.extraNative ?? INSTALLED_NATIVE_COMMANDS)].map((n) => [lower(n), n]));
    const candidates = PATHEXT.some((ext) => lower(file).endsWith(ext)) ? [file] : PATHEXT.map((ext) => file + ext);
    const native = candidates.map((c) => natives.get(lower(c))).find((n) => n !== undefined);
    return native === undefined ? undefined : withAlias({ kind: "native" as const, name: native });
}

/** One bindable parameter of a command: its name, aliases and whether it is a switch. */
export interface ParameterInfo {
    readonly name: string;
    readonly aliases: readonly string[];
    readonly switch: boolean;
}

/** Every parameter a call of `command` (a cmdlet or function of the profile) can bind. */
export function parametersOf(name: string, command: ProfileCommand): ParameterInfo[] {
    const aliasesOf = (param: string) => Object.entries(command.parameterAliases).filter(([, target]) => target === param).map(([alias]) => alias);
    const own = command.parameters.map((param) => ({ name: param, aliases: aliasesOf(param), switch: command.switches.includes(param) }));
    const dynamic = lookup(PROVIDER_DYNAMIC_PARAMETERS, name)?.[1] ?? [];
    const common = command.cmdletBinding ? COMMON_PARAMETERS : [];
    return [...own, ...dynamic.filter((d) => !own.some((o) => lower(o.name) === lower(d.name))), ...common.filter((c) => !own.some((o) => lower(o.name) === lower(c.name)))];
}

export type ParameterMatch = { readonly parameter: ParameterInfo } | { readonly error: string };

/**
 * The parameter `given` (without its dash) binds to, as PowerShell 5.1 decides: an exact name or alias
 * first, then a unique prefix; the error text is PowerShell's.
 */
export function matchParameter(parameters: readonly ParameterInfo[], given: string): ParameterMatch {
    const g = lower(given);
    const exact = parameters.find((p) => lower(p.name) === g || p.aliases.some((a) => lower(a) === g));
    if (exact) return { parameter: exact };
    const prefixed = parameters.filter((p) => lower(p.name).startsWith(g) || p.aliases.some((a) => lower(a).startsWith(g)));
    if (prefixed.length === 1) return { parameter: prefixed[0] };
    if (prefixed.length === 0) return { error: `A parameter cannot be found that matches parameter name '${given}'.` };
    return {
        error: `Parameter cannot be processed because the parameter name '${given}' is ambiguous. Possible matches include: ${prefixed.map((p) => `-${p.name}`).join(" ")}.`,
    };
}

/** An element of a command's argument list, as the caller read it. */
export type CommandElement<T> =
    | { readonly kind: "parameter"; readonly name: string; readonly value?: T }
    | { readonly kind: "argument"; readonly value: T; readonly splat?: boolean };

export interface BoundCall<T> {
    /** Bound parameter name → its argument (`true` for a switch given without one). */
    readonly named: ReadonlyMap<string, T | true>;
    /** Arguments bound by position (not checked: the profile keeps no positions). */
    readonly positional: readonly T[];
    /** Splatted arguments (`@args`): their parameter names are not known statically. */
    readonly splats: readonly T[];
    readonly errors: readonly string[];
}

/**
 * Binds the named parameters of a call. A parameter given as `-Name:value` takes that value; a switch
 * takes nothing else; any other parameter takes the next argument. What is left is positional.
 */
export function bindArguments<T>(parameters: readonly ParameterInfo[], elements: readonly CommandElement<T>[]): BoundCall<T> {
    const named = new Map<string, T | true>();
    const positional: T[] = [];
    const splats: T[] = [];
    const errors: string[] = [];
    for (let i = 0; i < elements.length; i++) {
        const e = elements[i];
        if (e.kind === "argument") {
            (e.splat ? splats : positional).push(e.value);
            continue;
        }
        const match = matchParameter(parameters, e.name);
        if ("error" in match) {
            errors.push(match.error);
            continue;
        }
        const param = match.parameter;
        let value: T | true;
        if (e.value !== undefined) value = e.value;
        else if (param.switch) value = true;
        else {
            const next = elements[i + 1];
            if (next === undefined || next.kind !== "argument" || next.splat) {
                errors.push(`Missing an argument for parameter '${param.name}'. Specify a parameter of the required type and try again.`);
                continue;
            }
            value = next.value;
            i++;
        }
        if (named.has(param.name)) errors.push(`Cannot bind parameter because parameter '${param.name}' is specified more than once.`);
        named.set(param.name, value);
    }
    return { named, positional, splats, errors };
}
