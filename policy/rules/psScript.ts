/**
 * A host script as the rules read it: parsed with the PowerShell grammar and its command calls bound
 * with the Windows PowerShell 5.1 binder (analysis/powershell), so an abbreviated parameter, an
 * alias or a colon-bound value means what it means to PowerShell. Values are read only when they are
 * constants, directly or through the last assignment of a variable before its use: anything computed
 * is "unknown", and the rules refuse what they cannot read.
 */
import { bindArguments, type BoundCall, type ParameterInfo } from "../../analysis/powershell/binder";
import { type CommandCall, commandCalls, commandElements, enclosingFunction, type TypeUse, typesUsed } from "../../analysis/powershell/commands";
import { constantValues, descendants, type Node, parsePowerShell, unwrap, walk } from "../../analysis/powershell/grammar";

export type { CommandCall, Node };

export interface ScriptFunction {
    readonly name: string;
    readonly node: Node;
    readonly parameters: readonly ParameterInfo[];
}

export interface ParsedScript {
    readonly text: string;
    readonly root: Node;
    readonly calls: readonly CommandCall[];
    readonly functions: readonly ScriptFunction[];
}

const cache = new Map<string, ParsedScript>();

function functionParameters(fn: Node): ParameterInfo[] {
    const params: ParameterInfo[] = [];
    for (const n of descendants(fn, "script_parameter")) {
        if (!sameNode(enclosing(n, "function_statement"), fn)) continue;
        const v = n.namedChildren.find((c) => c?.type === "variable");
        if (v) params.push({ name: v.text.replace(/^\$/, ""), aliases: [], switch: /\[\s*(switch|System\.Management\.Automation\.SwitchParameter)\s*\]/i.test(n.text) });
    }
    return params;
}

/** True when both are the same node of the tree (web-tree-sitter hands out a new object on each access). */
export function sameNode(a: Node | null | undefined, b: Node | null | undefined): boolean {
    return !!a && !!b && a.id === b.id;
}

/** The nearest ancestor of `node` of `type`. */
export function enclosing(node: Node, type: string): Node | undefined {
    for (let n = node.parent; n; n = n.parent) if (n.type === type) return n;
    return undefined;
}

/** The parsed script (cached by text: several rules read the same script). */
export function parseScript(text: string): ParsedScript {
    const hit = cache.get(text);
    if (hit) return hit;
    const root = parsePowerShell(text);
    const functions: ScriptFunction[] = [];
    for (const n of descendants(root, "function_statement")) {
        const name = n.namedChildren.find((c) => c?.type === "function_name")?.text;
        if (name) functions.push({ name, node: n, parameters: functionParameters(n) });
    }
    const parsed = { text, root, calls: commandCalls(root), functions };
    if (cache.size > 200) cache.clear();
    cache.set(text, parsed);
    return parsed;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Calls that run `command` (a cmdlet, profile function, script function or native program, by its resolved name). */
export function callsTo(script: ParsedScript, command: string): CommandCall[] {
    return script.calls.filter((c) => c.resolved !== undefined && same(c.resolved.name, command));
}

/** The name of the function whose body holds `node`. */
export const functionOf: (node: Node) => string | undefined = enclosingFunction;

/** The .NET types a script names (New-Object's type read through variables too; undefined when computed). */
export function typesOf(script: ParsedScript): TypeUse[] {
    return typesUsed(script.root, script.calls, (n) => valueOf(script, n));
}

/** The argument bound to `parameter` (`true` for a switch without one). */
export function argumentOf(call: CommandCall, parameter: string): Node | true | undefined {
    return call.bound?.named.get(parameter);
}

/** The variable name of `node` when it is a plain variable (`$x`, `$script:x`), else undefined. */
export function variableName(node: Node): string | undefined {
    const n = unwrap(node);
    if (n.type !== "variable" || !n.text.startsWith("$") || /^\$\{?env:/i.test(n.text)) return undefined;
    return n.text.replace(/^\$\{?(script:|global:|local:)?/i, "").replace(/\}$/, "");
}

const VARIABLE_PARAMETERS = ["OutVariable", "ErrorVariable", "WarningVariable", "InformationVariable", "PipelineVariable"];

/**
 * The right-hand side of the last `$name = ...` before `at`, in document order. Undefined when the last
 * write before `at` is anything else (`+=`, a foreach loop variable, Set-Variable/New-Variable, an
 * -OutVariable and the like): the value is then not a constant the rules can read.
 */
export function lastAssignment(script: ParsedScript, name: string, at: number): Node | undefined {
    const writes: { at: number; rhs?: Node }[] = [];
    for (const n of descendants(script.root, "assignment_expression")) {
        if (n.startIndex >= at) break;
        const left = n.namedChildren[0];
        const v = left ? variableName(left) : undefined;
        if (v === undefined || !same(v, name)) continue;
        const op = n.namedChildren.find((c) => c?.type === "assignement_operator");
        writes.push({ at: n.startIndex, rhs: op?.text.trim() === "=" ? (n.namedChildren[n.namedChildren.length - 1] ?? undefined) : undefined });
    }
    for (const n of descendants(script.root, "foreach_statement")) {
        const v = n.namedChildren.find((c) => c?.type === "variable");
        if (n.startIndex < at && v && same(variableName(v) ?? "", name)) writes.push({ at: n.startIndex });
    }
    for (const call of script.calls) {
        if (call.node.startIndex >= at || !call.bound) continue;
        const byName = /^(Set|New|Clear|Remove)-Variable$/.test(call.resolved?.name ?? "") ? [call.bound.named.get("Name") ?? call.bound.positional[0]] : [];
        const targets = [...byName, ...VARIABLE_PARAMETERS.map((p) => call.bound!.named.get(p))].map((t) => (t === undefined || t === true ? undefined : constantValues(t)?.[0]));
        if (targets.some((t) => t !== undefined && same(t.replace(/^\+/, ""), name))) writes.push({ at: call.node.startIndex });
    }
    writes.sort((a, b) => a.at - b.at);
    return writes[writes.length - 1]?.rhs;
}

/** The constant values `node` stands for (itself, or through a variable's last assignment); undefined when computed. */
export function valuesOf(script: ParsedScript, node: Node | true | undefined): string[] | undefined {
    if (node === undefined || node === true) return undefined;
    const direct = constantValues(node);
    if (direct !== undefined) return direct;
    const name = variableName(node);
    if (name === undefined) return undefined;
    const rhs = lastAssignment(script, name, node.startIndex);
    return rhs === undefined ? undefined : constantValues(rhs);
}

/** The one constant value of `node`, or undefined. */
export function valueOf(script: ParsedScript, node: Node | true | undefined): string | undefined {
    const values = valuesOf(script, node);
    return values?.length === 1 ? values[0] : undefined;
}

/**
 * The file a path expression names: a constant, or `Join-Path <base> <constant>` (the base a constant,
 * `$env:ProgramFiles` or another such Join-Path), directly or through a variable. Undefined otherwise.
 */
export function pathOf(script: ParsedScript, node: Node | true | undefined): string | undefined {
    if (node === undefined || node === true) return undefined;
    const constant = valueOf(script, node);
    if (constant !== undefined) return constant;
    const name = variableName(node);
    const target = name === undefined ? node : lastAssignment(script, name, node.startIndex);
    if (target === undefined) return undefined;
    const command = descendants(target, "command")[0];
    if (!command || !/^Join-Path$/i.test(command.namedChildren.find((c) => c?.type === "command_name")?.text ?? "")) return undefined;
    const args = commandElements(command);
    if (args.length !== 2 || args.some((a) => a.kind !== "argument")) return undefined;
    const [base, leaf] = args.map((a) => (a.kind === "argument" ? a.value : undefined));
    const leafValue = leaf ? valueOf(script, leaf) : undefined;
    const baseOk = base !== undefined && (/^\$env:ProgramFiles$/i.test(unwrap(base).text) || pathOf(script, base) !== undefined);
    return baseOk && leafValue !== undefined ? leafValue : undefined;
}

/** Binds a call of one of the script's own functions against the parameters it declares. */
export function bindScriptCall(script: ParsedScript, call: CommandCall): BoundCall<Node> | undefined {
    const fn = script.functions.find((f) => call.resolved && same(f.name, call.resolved.name));
    if (!fn) return undefined;
    return bindArguments(fn.parameters, call.elements);
}

/** The commands that feed `call` through the pipeline, nearest first (empty when it starts its pipeline). */
export function upstream(script: ParsedScript, call: CommandCall): Node[] {
    const chain = call.node.parent;
    if (!chain) return [];
    const before = chain.namedChildren.filter((c): c is Node => c !== null && c.endIndex <= call.node.startIndex);
    return before.reverse();
}

export { commandElements, constantValues, descendants, unwrap, walk };
