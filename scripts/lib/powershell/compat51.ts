/**
 * Whether a script runs on Windows PowerShell 5.1 as far as its text can tell: it parses without
 * PowerShell 7 syntax, every command exists on Windows Server 2019's 5.1, and every named parameter
 * binds to exactly one of its parameters (./binder.ts). Also what the text cannot settle: the calls
 * whose command is only known at run time, the native programs it runs, the .NET types it names.
 */
import { type ResolveOptions } from "./binder";
import { commandCalls } from "./commands";
import { constantValues, descendants, type Node, parsePowerShell, sevenOnlySyntax } from "./grammar";

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

/** The name of the function whose body holds `node`, if any. */
export function enclosingFunction(node: Node): string | undefined {
    for (let n: Node | null = node.parent; n; n = n.parent) {
        if (n.type === "function_statement") return n.namedChildren.find((c) => c?.type === "function_name")?.text;
    }
    return undefined;
}

function typesNamed(root: Node, newObjectTypes: string[]): string[] {
    const out = new Set<string>(newObjectTypes);
    for (const n of descendants(root, "type_literal")) {
        const spec = n.namedChildren.find((c) => c?.type === "type_spec");
        if (spec) out.add(spec.text);
    }
    return [...out].sort();
}

/** The 5.1 report of `script`. */
export function windows51Report(script: string, options: ResolveOptions = {}): Compat51Report {
    const root = parsePowerShell(script);
    const problems = sevenOnlySyntax(root).map((f) => `line ${f.row}: ${f.construct}: ${f.text}`);
    const dynamicCalls: { inFunction?: string; text: string }[] = [];
    const natives = new Set<string>();
    const newObjectTypes: string[] = [];
    for (const call of commandCalls(root, options)) {
        const row = call.node.startPosition.row + 1;
        problems.push(...call.problems.map((p) => `line ${row}: ${p}`));
        if (call.dynamicName) dynamicCalls.push({ inFunction: enclosingFunction(call.node), text: call.node.text });
        if (call.resolved?.kind === "native") natives.add(call.resolved.name);
        if (call.resolved?.name === "New-Object" && call.bound) {
            const typeArg = call.bound.named.get("TypeName") ?? call.bound.positional[0];
            const type = typeArg === undefined || typeArg === true ? undefined : constantValues(typeArg);
            if (type?.length === 1) newObjectTypes.push(type[0]);
            else if (!call.bound.named.has("ComObject")) problems.push(`line ${row}: New-Object with a type only known at run time`);
        }
    }
    return { problems, dynamicCalls, nativePrograms: [...natives].sort(), types: typesNamed(root, newObjectTypes) };
}
