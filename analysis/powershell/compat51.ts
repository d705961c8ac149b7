/**
 * Whether a script runs on Windows PowerShell 5.1 as far as its text can tell: it parses without
 * PowerShell 7 syntax, every command exists on Windows Server 2019's 5.1, and every named parameter
 * binds to exactly one of its parameters (./binder.ts). Also what the text cannot settle: the calls
 * whose command is only known at run time, the native programs it runs, the .NET types it names.
 */
import { type ResolveOptions } from "./binder";
import { commandCalls, enclosingFunction, typesUsed } from "./commands";
import { parsePowerShell, sevenOnlySyntax } from "./grammar";

export interface Compat51Report {
    /** Syntax, unknown commands, parameters that do not bind: each one fails on 5.1. */
    readonly problems: readonly string[];
    /** `& $x` / `& (expr)` calls: the enclosing function (if any) and the call's text. */
    readonly dynamicCalls: readonly { readonly inFunction?: string; readonly text: string }[];
    /** Native programs run by name. */
    readonly nativePrograms: readonly string[];
    /** .NET types named in type literals and New-Object calls. */
    readonly types: readonly string[];
}

/**
 * Calls that bind on 5.1 but behave differently there than on pwsh 7, refused so a script never depends
 * on the default: Set-Content/Add-Content without -Encoding write ANSI on 5.1 (Out-File: UTF-16LE),
 * UTF-8 on 7 (https://learn.microsoft.com/powershell/module/microsoft.powershell.management/set-content?view=powershell-5.1,
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/out-file?view=powershell-5.1);
 * Invoke-WebRequest without -UseBasicParsing parses with Internet Explorer's engine on 5.1, which fails
 * where IE never ran ("required when Internet Explorer is not installed", the 5.1 cmdlet's docs,
 * https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/invoke-webrequest?view=powershell-5.1).
 */
const DEFAULTS_51: Readonly<Record<string, { readonly needs: string; readonly why: string }>> = {
    "Set-Content": { needs: "Encoding", why: "5.1 writes ANSI, pwsh 7 UTF-8" },
    "Add-Content": { needs: "Encoding", why: "5.1 writes ANSI, pwsh 7 UTF-8" },
    "Out-File": { needs: "Encoding", why: "5.1 writes UTF-16LE, pwsh 7 UTF-8" },
    "Invoke-WebRequest": { needs: "UseBasicParsing", why: "5.1 parses the response with Internet Explorer's engine" },
};

/** The 5.1 report of `script`. */
export function windows51Report(script: string, options: ResolveOptions = {}): Compat51Report {
    const root = parsePowerShell(script);
    const problems = sevenOnlySyntax(root).map((f) => `line ${f.row}: ${f.construct}: ${f.text}`);
    const dynamicCalls: { inFunction?: string; text: string }[] = [];
    const natives = new Set<string>();
    const calls = commandCalls(root, options);
    for (const call of calls) {
        const row = call.node.startPosition.row + 1;
        problems.push(...call.problems.map((p) => `line ${row}: ${p}`));
        const d = call.resolved ? DEFAULTS_51[call.resolved.name] : undefined;
        if (d && call.bound && !call.bound.named.has(d.needs)) problems.push(`line ${row}: ${call.resolved!.name} without -${d.needs}: ${d.why}`);
        if (call.dynamicName) dynamicCalls.push({ inFunction: enclosingFunction(call.node), text: call.node.text });
        if (call.resolved?.kind === "native") natives.add(call.resolved.name);
    }
    const types = typesUsed(root, calls);
    for (const t of types) if (t.name === undefined) problems.push(`line ${t.node.startPosition.row + 1}: New-Object with a type only known at run time`);
    return { problems, dynamicCalls, nativePrograms: [...natives].sort(), types: [...new Set(types.flatMap((t) => (t.name === undefined ? [] : [t.name])))].sort() };
}
