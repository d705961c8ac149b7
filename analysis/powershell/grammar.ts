/**
 * Reading PowerShell with the tree-sitter-powershell grammar (its WebAssembly build, run by
 * web-tree-sitter: no native code). Load once with `initPowerShellGrammar()`, then parse synchronously.
 * Also: reading literal values out of the tree, and the syntax Windows PowerShell 5.1 lacks.
 */
import { join } from "node:path";
import { Language, type Node, Parser } from "web-tree-sitter";

export type { Node };

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Loads the grammar (once; later calls wait for the first). */
export function initPowerShellGrammar(): Promise<void> {
    loading ??= (async () => {
        await Parser.init();
        const wasm = join(require.resolve("tree-sitter-powershell/package.json"), "..", "tree-sitter-powershell.wasm");
        const language = await Language.load(wasm);
        const p = new Parser();
        p.setLanguage(language);
        parser = p;
    })();
    return loading;
}

/** The root node of the parse of `text` (after `initPowerShellGrammar()`). */
export function parsePowerShell(text: string): Node {
    if (!parser) throw new Error("the PowerShell grammar is not loaded: await initPowerShellGrammar() first");
    const tree = parser.parse(text);
    if (!tree) throw new Error("the PowerShell parser returned no tree");
    return tree.rootNode;
}

/**
 * Visits `node` and every descendant, in document order (with a tree cursor: far cheaper than
 * `children`, which builds every child). With `types`, only nodes of those types are visited.
 */
export function walk(node: Node, visit: (n: Node) => void, types?: ReadonlySet<string>): void {
    const cursor = node.walk();
    let depth = 0;
    for (;;) {
        if (types === undefined || types.has(cursor.nodeType)) visit(cursor.currentNode);
        if (cursor.gotoFirstChild()) {
            depth++;
            continue;
        }
        for (;;) {
            if (depth === 0) {
                cursor.delete();
                return;
            }
            if (cursor.gotoNextSibling()) break;
            cursor.gotoParent();
            depth--;
        }
    }
}

/** All nodes of a type, in document order. */
export function nodesOfType(root: Node, type: string): Node[] {
    const found: Node[] = [];
    walk(root, (n) => found.push(n), new Set([type]));
    return found;
}

/** The node types the readers look for: indexed in one pass per tree (see `descendants`). */
const INDEXED = new Set([
    "command", "function_statement", "script_parameter", "assignment_expression", "type_literal", "member_name", "member_access",
    "invokation_expression", "variable", "if_statement", "pipeline_chain_tail", "string_literal", "generic_token", "foreach_statement",
    "flow_control_statement", "trap_statement",
]);
const indexes = new WeakMap<object, Map<string, Node[]>>();

/** Nodes of an indexed `type` inside `node` (itself included), in document order; one tree walk per tree. */
export function descendants(node: Node, type: string): Node[] {
    if (!INDEXED.has(type)) throw new Error(`node type ${type} is not indexed`);
    let index = indexes.get(node.tree);
    if (!index) {
        const built = new Map<string, Node[]>([...INDEXED].map((t) => [t, []]));
        walk(node.tree.rootNode, (n) => built.get(n.type)!.push(n), INDEXED);
        indexes.set(node.tree, built);
        index = built;
    }
    const all = index.get(type)!;
    if (node.startIndex === 0 && node.endIndex >= node.tree.rootNode.endIndex) return all;
    return all.filter((n) => n.startIndex >= node.startIndex && n.endIndex <= node.endIndex);
}

/** The one named child chain below `node` (the grammar wraps an expression in many one-child levels). */
export function unwrap(node: Node): Node {
    let n = node;
    for (;;) {
        const named = n.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
        if (named.length !== 1 || n.type === "string_literal" || n.type === "variable" || n.type === "cast_expression" || n.type === "array_expression") return n;
        n = named[0];
    }
}

const QUOTE = /['\u2018\u2019\u201A\u201B]/;

/** The value of a single-quoted literal (quotes doubled inside stand for one). */
export function decodeSingleQuoted(literal: string): string {
    const chars = Array.from(literal);
    if (chars.length < 2 || !QUOTE.test(chars[0]) || !QUOTE.test(chars[chars.length - 1])) throw new Error(`not a single-quoted literal: ${literal}`);
    const inner = chars.slice(1, -1);
    let out = "";
    for (let i = 0; i < inner.length; i++) {
        if (QUOTE.test(inner[i])) {
            if (i + 1 >= inner.length || !QUOTE.test(inner[i + 1])) throw new Error(`unescaped quote at ${i} in ${literal}`);
            out += inner[i + 1];
            i++;
        } else out += inner[i];
    }
    return out;
}

/**
 * The constant string values an argument or expression node stands for: a single-quoted literal, a
 * double-quoted one without `$` or backtick, a bare word, a number, or a list of those (`'a', 'b'`,
 * `@('a')`, `[string[]]@(...)`). Undefined for anything computed.
 */
export function constantValues(node: Node): string[] | undefined {
    const n = unwrap(node);
    switch (n.type) {
        case "verbatim_string_characters":
            return [decodeSingleQuoted(n.text)];
        case "string_literal": {
            const inner = n.namedChildren[0];
            if (inner?.type === "verbatim_string_characters") return [decodeSingleQuoted(inner.text)];
            const text = n.text;
            if (/^"[^"$`\u201C\u201D\u201E]*"$/.test(text)) return [text.slice(1, -1)];
            return undefined;
        }
        case "generic_token":
        case "decimal_integer_literal":
        case "real_literal":
            return /[$`@(){}]/.test(n.text) ? undefined : [n.text];
        case "cast_expression": {
            const type = n.namedChildren.find((c) => c?.type === "type_literal");
            const value = n.namedChildren[n.namedChildren.length - 1];
            return type && value && /^\[(string|string\[\])\]$/i.test(type.text.replace(/\s|System\./gi, "")) ? constantValues(value) : undefined;
        }
        case "array_expression": {
            const list = n.namedChildren.find((c) => c?.type === "statement_list");
            return list ? constantValues(list) : undefined;
        }
        case "array_literal_expression":
        case "argument_expression_list":
        case "statement_list":
        case "pipeline":
        case "pipeline_chain": {
            const parts = n.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment" && c.type !== "empty_statement");
            const values: string[] = [];
            for (const part of parts) {
                const v = constantValues(part);
                if (v === undefined) return undefined;
                values.push(...v);
            }
            return values.length > 0 ? values : undefined;
        }
        default:
            return undefined;
    }
}

/** A construct Windows PowerShell 5.1 does not have (it is PowerShell 7 syntax), or a parse error. */
export interface SyntaxFinding {
    readonly construct: string;
    readonly row: number;
    readonly text: string;
}

function classifyError(text: string): string {
    if (text.includes("??")) return "null-coalescing operator ?? / ??= (PowerShell 7)";
    if (text.includes("?.")) return "null-conditional member access ?. (PowerShell 7)";
    if (text.includes("?[")) return "null-conditional index ?[] (PowerShell 7)";
    if (/\?/.test(text)) return "ternary operator a ? b : c (PowerShell 7)";
    if (/\bclean\b/i.test(text)) return "clean {} block (PowerShell 7.3)";
    return "syntax error";
}

/**
 * PowerShell 7 syntax and parse errors in a tree. The grammar reads `&&`/`||` as pipeline chains; the
 * other 7-only operators (`??`, `??=`, `?.`, `?[`, ternary, `clean {}`) are not in it and come out as
 * error nodes, classified by their text. Any other error node is reported as a syntax error.
 */
export function sevenOnlySyntax(root: Node): SyntaxFinding[] {
    const found: SyntaxFinding[] = [];
    const at = (n: Node, construct: string) => found.push({ construct, row: n.startPosition.row + 1, text: n.text.slice(0, 80) });
    for (const n of descendants(root, "pipeline_chain_tail")) at(n, "pipeline chain && / || (PowerShell 7)");
    if (!root.hasError) return found;
    walk(root, (n) => {
        if (n.type === "ERROR" && n.parent?.type !== "ERROR") at(n, classifyError(root.text.slice(Math.max(0, n.startIndex - 2), n.endIndex + 2)));
        else if (n.isMissing) at(n, `missing ${n.type}`);
    });
    return found.sort((a, b) => a.row - b.row);
}
