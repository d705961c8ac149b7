/**
 * The origin firewall's shapes for rules that are not in our group (components/host/steps/firewall.ts):
 *
 * - the guide's rules on the app port are disabled and enabled again only by `-Name`, one name at a
 *   time, in these shapes and no other:
 *   - `foreach ($n in $names) { Disable-NetFirewallRule -Name $n }` where `$names = @(<F> ...)`, F a
 *     function of the script whose body is exactly `$rules = <Get-NetFirewall* | ... | Where-Object { A
 *     -and ... }>` then `return @($rules | ForEach-Object { $_.Name } | Sort-Object -Unique)`, the filter
 *     a conjunction with `(($_.DisplayName -eq $X) -or $_.DisplayName.StartsWith($Y))`, $X and $Y the
 *     guide's documented display names (GUIDE_RULE_NAME, GUIDE_RULE_PREFIX); the names recorded before
 *     the loop (`Set-ItemProperty -LiteralPath <state key> -Name 'GuideFirewallRules' -Value
 *     ([string[]]@(@($recorded) + $names | Sort-Object -Unique))`, $recorded read from that value);
 *   - `foreach ($n in @((Get-Item -LiteralPath <state key>).GetValue('GuideFirewallRules', @()))) {
 *     ... Enable-NetFirewallRule -Name $n ... }`: only names we recorded;
 *   - the recorded value is written by that Set-ItemProperty only (any other Set-/New-ItemProperty of
 *     GuideFirewallRules, or a Copy/Move/Rename-ItemProperty on our state keys, is refused).
 * - the state key is `HKLM:\SOFTWARE\nova-infra\<stack>` (stackStateKey).
 * - rules removed through one of the script's functions: its body is only `$v = @(<ours>)`, `$v +=
 *   @(<ours>)` and `return $v`, <ours> `Get-NetFirewallRule -Group <our group> [-ErrorAction x]` followed
 *   by Where-Object filters (which only drop rules).
 */
import { GUIDE_RULE_NAME, GUIDE_RULE_PREFIX } from "../../components/host/steps/firewall";
import { argumentOf, type CommandCall, constantValues, descendants, lastAssignment, type Node, type ParsedScript, type ScriptFunction, variableName, valueOf } from "./psScript";

/** The registry key where a stack records what it displaced (stackStateKey). */
export const STATE_KEY = /^HKLM:\\SOFTWARE\\nova-infra\\[A-Za-z0-9_.-]+$/i;
const VALUE_NAME = "GuideFirewallRules";

const norm = (t: string) => t.replace(/\s+/g, " ").trim();
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The script function whose body holds `node`. */
function functionAt(script: ParsedScript, node: Node): ScriptFunction | undefined {
    return script.functions.filter((f) => f.node.startIndex <= node.startIndex && node.endIndex <= f.node.endIndex).sort((a, b) => b.node.startIndex - a.node.startIndex)[0];
}

/** The top-level statements of a function's body. */
function statementsOf(fn: ScriptFunction): Node[] {
    const block = fn.node.namedChildren.find((c) => c?.type === "script_block");
    const body = block?.namedChildren.find((c) => c?.type === "script_block_body");
    const list = body?.namedChildren.find((c) => c?.type === "statement_list");
    return (list?.namedChildren ?? []).filter((c): c is Node => c !== null && c.type !== "comment");
}

const callsIn = (script: ParsedScript, node: Node) => script.calls.filter((c) => c.node.startIndex >= node.startIndex && c.node.endIndex <= node.endIndex);

/** True when something other than a plain local `$name = …` can write `$name` (a scope prefix, *-Variable, -OutVariable and the like). */
function writableFromAfar(script: ParsedScript, name: string): boolean {
    const escaped = name.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`);
    const mention = new RegExp(`(^|[^A-Za-z0-9_])${escaped}([^A-Za-z0-9_]|$)`, "i");
    const scoped = descendants(script.root, "assignment_expression").some((a) => {
        const left = a.namedChildren[0]?.text.trim() ?? "";
        return /^\$\{?(script|global|local|private):/i.test(left) && same(variableName(a.namedChildren[0] as Node) ?? "", name);
    });
    const viaCommand = script.calls.some((c) => (/-Variable$/.test(c.resolved?.name ?? "") && mention.test(c.node.text)) || [...(c.bound?.named.entries() ?? [])].some(([p, v]) => /Variable$/.test(p) && v !== true && mention.test(v.text)));
    return scoped || viaCommand;
}

/**
 * The constant `$name` holds wherever it is read: its one assignment in the whole script, a constant, and
 * nothing else can write it (no other assignment, loop, function parameter of that name, scope-prefixed
 * write or *-Variable). Undefined otherwise.
 */
function constantOf(script: ParsedScript, name: string): string | undefined {
    const writes = descendants(script.root, "assignment_expression").filter((a) => same(variableName(a.namedChildren[0] as Node) ?? "", name));
    const loops = descendants(script.root, "foreach_statement").filter((n) => n.namedChildren.some((c) => c?.type === "variable" && same(variableName(c) ?? "", name)));
    const parameter = script.functions.some((f) => f.parameters.some((p) => same(p.name, name)));
    if (writes.length !== 1 || loops.length > 0 || parameter || writableFromAfar(script, name)) return undefined;
    const rhs = lastAssignment(script, name, script.text.length);
    const values = rhs === undefined ? undefined : constantValues(rhs);
    return values?.length === 1 ? values[0] : undefined;
}

/** Splits `text` on operators at nesting depth 0 (outside (), [], {} and quotes). */
function topLevel(text: string): { parts: string[]; operators: string[] } {
    const parts: string[] = [];
    const operators: string[] = [];
    let depth = 0;
    let quote = "";
    let start = 0;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (quote) {
            if (ch === quote) quote = "";
            continue;
        }
        if (ch === "'" || ch === '"') quote = ch;
        else if (depth === 0 && ";|\n\r".includes(ch)) operators.push(ch === "|" ? "pipe" : "statement");
        else if ("([{".includes(ch)) depth++;
        else if (")]}".includes(ch)) depth--;
        else if (depth === 0 && ch === "-") {
            const m = /^-(and|or|xor|band|bor)\b/i.exec(text.slice(i));
            if (m && /\s/.test(text[i - 1] ?? "")) {
                parts.push(text.slice(start, i).trim());
                operators.push(m[1].toLowerCase());
                i += m[0].length - 1;
                start = i + 1;
            }
        }
    }
    parts.push(text.slice(start).trim());
    return { parts, operators };
}

const stripParens = (t: string): string => {
    const s = t.trim();
    if (s.startsWith("(") && s.endsWith(")")) {
        let depth = 0;
        for (let i = 0; i < s.length; i++) {
            if (s[i] === "(") depth++;
            else if (s[i] === ")") depth--;
            if (depth === 0 && i < s.length - 1) return s;
        }
        return stripParens(s.slice(1, -1));
    }
    return s;
};

/** True when a Where-Object filter only lets through rules with one of the guide's display names. */
function guideFilter(script: ParsedScript, where: CommandCall): boolean {
    const block = where.bound?.named.get("FilterScript") ?? where.bound?.positional[0];
    if (block === undefined || block === true || !/^\{[\s\S]*\}$/.test(block.text.trim())) return false;
    // One expression (no second statement, no pipeline: either would make the output, and so the filter, something else).
    const { parts, operators } = topLevel(block.text.trim().slice(1, -1).trim());
    if (operators.some((o) => o !== "and")) return false;
    return parts.some((p) => {
        const m = /^\(\$_\.DisplayName -eq \$(\w+)\) -or \$_\.DisplayName\.StartsWith\(\$(\w+)\)$/.exec(norm(stripParens(p)));
        return m !== null && constantOf(script, m[1]) === GUIDE_RULE_NAME && constantOf(script, m[2]) === GUIDE_RULE_PREFIX;
    });
}

/** True when function `fn` returns the names of the guide's rules only (the selection shape above). */
function selectsGuideRules(script: ParsedScript, fn: ScriptFunction): boolean {
    const statements = statementsOf(fn);
    if (statements.length !== 2) return false;
    const m = /^\$(\w+) = ([\s\S]+)$/.exec(norm(statements[0].text));
    if (!m || norm(statements[1].text) !== `return @($${m[1]} | ForEach-Object { $_.Name } | Sort-Object -Unique)`) return false;
    const calls = callsIn(script, statements[0]);
    const last = calls[calls.length - 1];
    const chain = last?.node.parent;
    return calls.length > 1 && calls.every((c) => c.node.parent?.id === chain?.id && /^(Get-NetFirewallPortFilter|Get-NetFirewallRule|Where-Object)$/.test(c.resolved?.name ?? "")) && last.resolved?.name === "Where-Object" && guideFilter(script, last);
}

/** The foreach statement that binds `$name` around `node`, with its collection's text. */
function loopOf(node: Node, name: string): { loop: Node; collection: Node } | undefined {
    for (let n = node.parent; n; n = n.parent) {
        if (n.type !== "foreach_statement") continue;
        const kids = n.namedChildren.filter((c): c is Node => c !== null);
        const v = kids.findIndex((c) => c.type === "variable");
        if (v < 0 || !same(variableName(kids[v]) ?? "", name)) continue;
        const collection = kids[v + 1];
        return collection ? { loop: n, collection } : undefined;
    }
    return undefined;
}

/** True when nothing inside the loop writes `$name` (so it holds the collection's items). */
function loopVariableUntouched(script: ParsedScript, loop: Node, name: string): boolean {
    const assigned = descendants(loop, "assignment_expression").some((a) => same(variableName(a.namedChildren[0] as Node) ?? "", name));
    const viaCommand = callsIn(script, loop).some((c) => /-Variable$/.test(c.resolved?.name ?? "") || [...(c.bound?.named.keys() ?? [])].some((p) => /Variable$/.test(p)));
    return !assigned && !viaCommand && !writableFromAfar(script, name);
}

/** The -Name variable of a Disable/Enable call, when it is the only parameter and a loop's variable. */
function loopName(script: ParsedScript, call: CommandCall): { name: string; loop: Node; collection: Node } | undefined {
    const given = [...(call.bound?.named.keys() ?? [])];
    const arg = argumentOf(call, "Name");
    if (given.length !== 1 || arg === undefined || arg === true || (call.bound?.positional.length ?? 0) > 0) return undefined;
    const name = variableName(arg);
    const found = name === undefined ? undefined : loopOf(call.node, name);
    return found && name && loopVariableUntouched(script, found.loop, name) ? { name, ...found } : undefined;
}

/** `@((Get-Item -LiteralPath <state key>).GetValue('GuideFirewallRules', @()))`: the names we recorded. */
function readsRecordedNames(script: ParsedScript, node: Node): boolean {
    const m = /^@\(\(Get-Item -LiteralPath (\S+)\)\.GetValue\('GuideFirewallRules', @\(\)\)\)$/.exec(norm(node.text));
    if (!m) return false;
    const get = callsIn(script, node).find((c) => c.resolved?.name === "Get-Item");
    const key = get ? valueOf(script, argumentOf(get, "LiteralPath")) : undefined;
    return key !== undefined && STATE_KEY.test(key);
}

/** The recording Set-ItemProperty of `$names` (the shape above), or undefined. */
function recordsNames(script: ParsedScript, call: CommandCall): string | undefined {
    if (call.resolved?.name !== "Set-ItemProperty") return undefined;
    const key = valueOf(script, argumentOf(call, "LiteralPath"));
    const value = argumentOf(call, "Value");
    if (key === undefined || !STATE_KEY.test(key) || valueOf(script, argumentOf(call, "Name")) !== VALUE_NAME || value === undefined || value === true) return undefined;
    const m = /^\(\[string\[\]\]@\(@\(\$(\w+)\) \+ \$(\w+) \| Sort-Object -Unique\)\)$/.exec(norm(value.text));
    const recorded = m ? lastAssignment(script, m[1], call.node.startIndex) : undefined;
    return m && recorded && readsRecordedNames(script, recorded) ? m[2] : undefined;
}

/** Problems of a Disable-NetFirewallRule call (empty when it is the guide shape). */
export function disableProblems(script: ParsedScript, call: CommandCall): string[] {
    const refused = [`Disable-NetFirewallRule disables rules that are not provably the guide's: only -Name <each name selected by the guide's display names '${GUIDE_RULE_NAME}' / '${GUIDE_RULE_PREFIX}*' and recorded under the stack's state key first>`];
    const loop = loopName(script, call);
    const names = loop ? variableName(loop.collection) : undefined;
    if (!loop || names === undefined) return refused;
    const source = lastAssignment(script, names, loop.loop.startIndex);
    const m = source ? /^@\(([A-Za-z][\w-]*)(?: [^|;()]*)?\)$/.exec(norm(source.text)) : null;
    const selector = m ? script.functions.find((f) => same(f.name, m[1])) : undefined;
    if (!selector || !selectsGuideRules(script, selector)) return refused;
    const fn = functionAt(script, call.node);
    const recorded = script.calls.some((c) => c.node.startIndex < loop.loop.startIndex && (!fn || c.node.startIndex > fn.node.startIndex) && recordsNames(script, c) === names);
    return recorded ? [] : refused;
}

/** Problems of an Enable-NetFirewallRule call (empty when it enables only names we recorded). */
export function enableProblems(script: ParsedScript, call: CommandCall): string[] {
    const loop = loopName(script, call);
    return loop && readsRecordedNames(script, loop.collection) ? [] : ["Enable-NetFirewallRule enables rules we did not record: only -Name <each name of the GuideFirewallRules value under the stack's state key>"];
}

/** Problems of a write of the registry: only the recording shape may write GuideFirewallRules. */
export function stateKeyProblems(script: ParsedScript, call: CommandCall): string[] {
    const name = call.resolved?.name ?? "";
    if (/^(Copy|Move|Rename)-ItemProperty$/.test(name) && /nova-infra/i.test(call.node.text)) return [`${name} on our state key: the recorded guide rules are written only by our recording shape`];
    if (!/^(Set|New)-ItemProperty$/.test(name)) return [];
    const args = [argumentOf(call, "Name"), call.bound?.positional[1]].filter((a): a is Node => a !== undefined && a !== true);
    const values = args.map((a) => valueOf(script, a));
    if (values.some((v) => v === undefined)) {
        // A computed value name is accepted only on a fixed path that is none of our state keys.
        const paths = [argumentOf(call, "LiteralPath"), argumentOf(call, "Path"), call.bound?.positional[0]].map((a) => valueOf(script, a));
        const fixed = paths.filter((p) => p !== undefined);
        return fixed.length === 1 && !/nova-infra|[*?[]/i.test(fixed[0]!) ? [] : [`${name} writes a value whose name cannot be read under a path that may be our state key`];
    }
    return values.some((v) => new RegExp(`^${VALUE_NAME}$`, "i").test(v!)) && recordsNames(script, call) === undefined ? [`${name} writes ${VALUE_NAME} outside our recording shape (the names of the guide's rules, recorded before they are disabled)`] : [];
}

const SELECT_PARAMETERS = new Set(["First", "Last", "Skip", "SkipLast", "Unique", "Index"]);

/**
 * True when pipeline element `node` only drops or reorders the rules it is given: Where-Object,
 * Sort-Object, or Select-Object by position (-First/-Last/-Skip/-Unique/-Index: no -Property, which
 * makes new objects), with no assignment inside (`$_.Name = …` would change what is removed).
 */
export function passesRulesThrough(script: ParsedScript, node: Node): boolean {
    const call = script.calls.find((c) => c.node.id === node.id);
    const name = call?.resolved?.name ?? "";
    if (!call?.bound || !/^(Where-Object|Sort-Object|Select-Object)$/.test(name) || descendants(node, "assignment_expression").length > 0) return false;
    return name !== "Select-Object" || (call.bound.positional.length === 0 && [...call.bound.named.keys()].every((p) => SELECT_PARAMETERS.has(p)));
}

/** True when script function `fn` returns only rules of our groups (the shape above). */
export function returnsOurRules(script: ParsedScript, fn: ScriptFunction, isOurGroup: (g: string | undefined) => boolean): boolean {
    const statements = statementsOf(fn);
    const ret = statements[statements.length - 1];
    const v = ret ? /^return \$(\w+)$/.exec(norm(ret.text))?.[1] : undefined;
    if (!v || statements.length < 2) return false;
    return statements.slice(0, -1).every((s) => {
        if (!new RegExp(`^\\$${v} \\+?= @\\([\\s\\S]+\\)$`).test(norm(s.text))) return false;
        const calls = callsIn(script, s);
        const [get, ...filters] = calls;
        const given = [...(get?.bound?.named.keys() ?? [])];
        return get?.resolved?.name === "Get-NetFirewallRule" && isOurGroup(valueOf(script, argumentOf(get, "Group"))) && given.every((p) => p === "Group" || p === "ErrorAction") &&
            filters.every((f) => f.resolved?.name === "Where-Object" && f.node.parent?.id === get.node.parent?.id && passesRulesThrough(script, f.node));
    });
}
