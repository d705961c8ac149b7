/**
 * The command calls of a parsed script, each resolved and bound with the 5.1 binder (./binder.ts): what
 * runs (cmdlet, function, the script's own function, native program, or a name only known at run time)
 * and which parameter each named argument binds to.
 */
import { type BoundCall, bindArguments, type CommandElement, parametersOf, type ResolveOptions, type ResolvedCommand, resolveCommand } from "./binder";
import { constantValues, descendants, type Node, unwrap } from "./grammar";

export interface CommandCall {
    readonly node: Node;
    /** The command's name when written in the script (a bare name, or a constant string after `&`/`.`). */
    readonly name?: string;
    /** `&` or `.` when the call uses an invocation operator. */
    readonly operator?: "&" | ".";
    /** The name expression when the command is only known at run time (`& $exe`, `& (Get-Command x)`). */
    readonly dynamicName?: Node;
    /** True for `& { ... }` / `. { ... }`: a script block of the script itself, not a command lookup. */
    readonly scriptBlock?: boolean;
    readonly elements: readonly CommandElement<Node>[];
    readonly resolved?: ResolvedCommand;
    /** The binding of a cmdlet's or function's arguments (not for native programs or script functions). */
    readonly bound?: BoundCall<Node>;
    /** Unknown command, and binding errors as PowerShell words them. */
    readonly problems: readonly string[];
}

/** Names of the functions a script defines (`function Name { }` anywhere in it). */
export function scriptFunctions(root: Node): Set<string> {
    const names = new Set<string>();
    for (const n of descendants(root, "function_statement")) {
        const name = n.namedChildren.find((c) => c?.type === "function_name");
        if (name) names.add(name.text);
    }
    return names;
}

const SKIP = new Set(["command_argument_sep", "redirection", "comment"]);
const UNICODE_DASH_PARAMETER = /^[\u2013\u2014\u2015]([A-Za-z_?][^:\s]*)(:.*)?$/;

/** The argument list of a `command` node, colon-bound values attached to their parameter. */
export function commandElements(command: Node): CommandElement<Node>[] {
    const list = command.namedChildren.find((c) => c?.type === "command_elements");
    const out: CommandElement<Node>[] = [];
    if (!list) return out;
    const children = list.children.filter((c): c is Node => c !== null);
    for (let i = 0; i < children.length; i++) {
        const c = children[i];
        if (c.type === "command_parameter") {
            const sep = children[i + 1];
            if (sep?.type === "command_argument_sep" && sep.text.trim() === ":") {
                const value = children.slice(i + 2).find((n) => !SKIP.has(n.type));
                if (value) {
                    out.push({ kind: "parameter", name: c.text.replace(/^[-\u2013\u2014\u2015]/, ""), value });
                    i = children.indexOf(value);
                    continue;
                }
            }
            out.push({ kind: "parameter", name: c.text.replace(/^[-\u2013\u2014\u2015]/, "") });
        } else if (c.type === "generic_token" && UNICODE_DASH_PARAMETER.test(c.text)) {
            // PowerShell reads an en dash, em dash or horizontal bar like "-" before a parameter name;
            // the grammar does not, and hands a bare word. A `:value` in the same word stays attached.
            const m = UNICODE_DASH_PARAMETER.exec(c.text)!;
            out.push(m[2] === undefined ? { kind: "parameter", name: m[1] } : { kind: "parameter", name: m[1], value: c });
        } else if (!SKIP.has(c.type) && c.isNamed) {
            out.push({ kind: "argument", value: c, splat: unwrap(c).type === "variable" && unwrap(c).text.startsWith("@") });
        }
    }
    return out;
}

function commandName(command: Node): { name?: string; operator?: "&" | "."; dynamicName?: Node; scriptBlock?: boolean } {
    const op = command.namedChildren.find((c) => c?.type === "command_invokation_operator");
    const operator = op ? (op.text.trim() as "&" | ".") : undefined;
    const plain = command.namedChildren.find((c) => c?.type === "command_name");
    if (plain) return { name: plain.text, operator };
    const expr = command.namedChildren.find((c) => c?.type === "command_name_expr");
    if (!expr) return { operator };
    const inner = expr.namedChildren[0];
    if (inner?.type === "command_name") return { name: inner.text, operator };
    if (inner?.type === "script_block_expression") return { operator, scriptBlock: true };
    const constant = inner ? constantValues(inner) : undefined;
    if (constant?.length === 1) return { name: constant[0], operator };
    return { operator, dynamicName: expr };
}

/** Every command call in `root` (nested script blocks included), resolved and bound for Windows PowerShell 5.1. */
export function commandCalls(root: Node, options: ResolveOptions = {}): CommandCall[] {
    const functions = new Set([...(options.scriptFunctions ?? []), ...scriptFunctions(root)]);
    const calls: CommandCall[] = [];
    for (const node of descendants(root, "command")) {
        const { name, operator, dynamicName, scriptBlock } = commandName(node);
        // The grammar reads a pipeline that starts with a number or range (`1..3 | ...`) as a command
        // named "1..3"; PowerShell reads an expression there.
        if (name !== undefined && operator === undefined && /^\d+(\.\.\d+)?$/.test(name)) continue;
        const elements = commandElements(node);
        if (name === undefined) {
            calls.push({ node, operator, dynamicName, scriptBlock, elements, problems: [] });
            continue;
        }
        const resolved = resolveCommand(name, { ...options, scriptFunctions: functions });
        if (resolved === undefined) {
            calls.push({ node, name, operator, elements, problems: [`The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program.`] });
            continue;
        }
        if (resolved.kind === "cmdlet" || resolved.kind === "function") {
            const bound = bindArguments(parametersOf(resolved.name, resolved.command), elements);
            calls.push({ node, name, operator, elements, resolved, bound, problems: bound.errors.map((e) => `${resolved.name}: ${e}`) });
            continue;
        }
        calls.push({ node, name, operator, elements, resolved, problems: [] });
    }
    return calls;
}

/** The name of the function whose body holds `node`, if any. */
export function enclosingFunction(node: Node): string | undefined {
    for (let n: Node | null = node.parent; n; n = n.parent) {
        if (n.type === "function_statement") return n.namedChildren.find((c) => c?.type === "function_name")?.text;
    }
    return undefined;
}

/** A .NET type a script names: in a type literal, or as New-Object's type (undefined when computed). */
export interface TypeUse {
    readonly name: string | undefined;
    readonly node: Node;
}

/**
 * The .NET types named in `root`: type literals and New-Object's -TypeName (or first positional
 * argument), read with `valueOf` (default: constants only). `-ComObject` calls are not type uses.
 */
export function typesUsed(root: Node, calls: readonly CommandCall[], valueOf: (n: Node | true | undefined) => string | undefined = (n) => {
    const v = n === undefined || n === true ? undefined : constantValues(n);
    return v?.length === 1 ? v[0] : undefined;
}): TypeUse[] {
    const out: TypeUse[] = [];
    for (const n of descendants(root, "type_literal")) {
        const spec = n.namedChildren.find((c) => c?.type === "type_spec");
        if (spec) out.push({ name: spec.text, node: n });
    }
    for (const call of calls) {
        if (call.resolved?.name !== "New-Object" || !call.bound || call.bound.named.has("ComObject")) continue;
        out.push({ name: valueOf(call.bound.named.get("TypeName") ?? call.bound.positional[0]), node: call.node });
    }
    return out;
}
