/**
 * Where a secret may go in a host script. A script receives its secrets as `$NovaSecrets` and reads them
 * with `Get-NovaSecret` (components/host/script.ts); a value is secret when it comes from either, through
 * assignments (a variable's last assignment before its use, in document order) or script-function
 * parameters (any call passing a secret taints the parameter everywhere). Refused: a secret written to the output (Write-Output, Write-Host, [Console]
 * writes, a bare expression at the script's top level, Write-NovaJson, `throw`, whose message ends in
 * the step's error output), to a file through the cmdlets, File methods and redirections (`>`, `>>`,
 * `*>`; these two see a parameter as secret in its own function only) that create it with the folder's
 * inherited access (the steps write secret files only
 * with [IO.File]::Create and a FileSecurity), to a Machine-scope environment variable, or into a DNS name.
 */
import { nodesOfType } from "../../analysis/powershell/grammar";
import { type CommandCall, descendants, enclosing, functionOf, lastAssignment, type Node, type ParsedScript, upstream, valueOf, variableName, walk } from "./psScript";

const OUTPUT_COMMANDS = /^(Write-Output|Write-Host|Write-Information|Write-Verbose|Write-Warning|Write-Debug|Write-Error|Out-Host|Out-Default|Write-NovaJson|echo)$/i;
const FILE_COMMANDS = /^(Set-Content|Add-Content|Out-File|New-Item|Tee-Object|Export-Csv|Export-Clixml)$/i;
const FILE_METHODS = /^\[(System\.)?IO\.File\]::(WriteAllText|WriteAllLines|WriteAllBytes|AppendAllText|AppendAllLines)\b/i;
const CONSOLE_METHODS = /^\[(System\.)?Console\](::(Out|Error))?(::|\.)(Write|WriteLine)\b/i;
const MACHINE_ENV_KEY = /\\Session Manager\\Environment$/i;
const MACHINE_ENV = /^\[(System\.)?Environment\]::SetEnvironmentVariable\b/i;
/** The function that reads a secret: its own body is where the value comes from, not where it goes. */
const SOURCE_FUNCTION = "Get-NovaSecret";
/** Where a bare expression's value goes to the script's output (no function, script block or assignment around it). */
const TOP_LEVEL = new Set(["program", "statement_list", "statement_block", "if_statement", "elseif_clause", "elseif_clauses", "else_clause", "try_statement", "catch_clause", "catch_clauses", "finally_clause", "foreach_statement", "while_statement", "for_statement"]);

const insideSource = (n: Node) => {
    for (let p = n.parent; p; p = p.parent) if (p.type === "function_statement" && p.namedChildren.find((c) => c?.type === "function_name")?.text.toLowerCase() === SOURCE_FUNCTION.toLowerCase()) return true;
    return false;
};

/** The script functions' parameters that receive a secret from some call (by name: over-approximated). */
function secretParameters(script: ParsedScript): Set<string> {
    const names = new Set<string>();
    const calls = script.calls.filter((c) => !insideSource(c.node) && script.functions.some((f) => f.name.toLowerCase() === c.resolved?.name.toLowerCase()));
    for (let grown = true; grown; ) {
        grown = false;
        for (const call of calls) {
            if (!call.elements.some((e) => e.value !== undefined && carriesSecret(script, e.value, names))) continue;
            const fn = script.functions.find((f) => f.name.toLowerCase() === call.resolved?.name.toLowerCase());
            for (const p of fn?.parameters ?? []) if (!names.has(p.name.toLowerCase())) (names.add(p.name.toLowerCase()), (grown = true));
        }
    }
    return names;
}

/**
 * True when `node` reads a secret: `$NovaSecrets`, a call of Get-NovaSecret, a parameter in `params`, or a
 * variable whose last assignment before the use (in document order) reads one.
 */
function carriesSecret(script: ParsedScript, node: Node, params: ReadonlySet<string>, seen: Set<number> = new Set()): boolean {
    let found = false;
    walk(node, (n) => {
        if (found) return;
        if (n.type === "command_name") found = n.text.toLowerCase() === SOURCE_FUNCTION.toLowerCase();
        if (n.type !== "variable") return;
        const name = variableName(n)?.toLowerCase();
        if (name === undefined) return;
        if (name === "novasecrets" || params.has(name)) found = true;
        else if (!seen.has(n.id)) {
            seen.add(n.id);
            const rhs = lastAssignment(script, name, n.startIndex);
            found = rhs !== undefined && carriesSecret(script, rhs, params, seen);
        }
    }, new Set(["variable", "command_name"]));
    return found;
}

/** Of the tainted parameters, those declared by the function `node` is in (for the sinks checked per scope). */
function ownParameters(script: ParsedScript, node: Node, names: ReadonlySet<string>): Set<string> {
    const fn = functionOf(node)?.toLowerCase();
    const declared = script.functions.find((f) => f.name.toLowerCase() === fn)?.parameters ?? [];
    return new Set(declared.map((p) => p.name.toLowerCase()).filter((p) => names.has(p)));
}

function callCarries(script: ParsedScript, call: CommandCall, params: ReadonlySet<string>): boolean {
    return call.elements.some((e) => e.value !== undefined && carriesSecret(script, e.value, params)) || upstream(script, call).some((n) => carriesSecret(script, n, params));
}

function bareOutput(n: Node): boolean {
    if (n.parent?.type !== "statement_list" || n.namedChildren.length !== 1) return false;
    if (["command", "invokation_expression", "assignment_expression"].some((t) => descendants(n, t).length > 0)) return false;
    for (let p: Node | null = n.parent; p; p = p.parent) if (!TOP_LEVEL.has(p.type)) return false;
    return true;
}

const SINK_COMMANDS = [OUTPUT_COMMANDS, FILE_COMMANDS, /^(Set|New)-ItemProperty$/i, /^Resolve-DnsName$/i];
const SINK_METHODS = [CONSOLE_METHODS, FILE_METHODS, MACHINE_ENV];

/** Where a script sends its secrets that the policy refuses. */
export function secretFlowProblems(script: ParsedScript): string[] {
    const names = secretParameters(script);
    const out = new Set<string>();
    for (const call of script.calls) {
        const name = call.resolved?.name ?? call.name ?? "";
        if (!SINK_COMMANDS.some((r) => r.test(name)) || insideSource(call.node) || !callCarries(script, call, names)) continue;
        if (OUTPUT_COMMANDS.test(name)) out.add(`writes a secret to the output with ${call.name}: ${call.node.text.slice(0, 80)}`);
        if (FILE_COMMANDS.test(name)) out.add(`writes a secret to a file with ${call.name}, which gives it the folder's inherited access (write secret files with [IO.File]::Create and a FileSecurity): ${call.node.text.slice(0, 80)}`);
        if (/^(Set|New)-ItemProperty$/i.test(name) && call.elements.some((e) => e.value !== undefined && MACHINE_ENV_KEY.test(valueOf(script, e.value) ?? ""))) {
            out.add(`writes a secret to a Machine-scope environment variable (readable by every process): ${call.node.text.slice(0, 80)}`);
        }
        if (/^Resolve-DnsName$/i.test(name)) out.add(`sends a secret into a DNS name: ${call.node.text.slice(0, 80)}`);
    }
    for (const n of descendants(script.root, "invokation_expression")) {
        if (!SINK_METHODS.some((r) => r.test(n.text)) || insideSource(n) || !carriesSecret(script, n, names)) continue;
        if (CONSOLE_METHODS.test(n.text)) out.add(`writes a secret to the output: ${n.text.slice(0, 80)}`);
        if (FILE_METHODS.test(n.text)) out.add(`writes a secret to a file, which gives it the folder's inherited access (write secret files with [IO.File]::Create and a FileSecurity): ${n.text.slice(0, 80)}`);
        if (MACHINE_ENV.test(n.text)) out.add(`writes a secret to a Machine-scope environment variable (readable by every process): ${n.text.slice(0, 80)}`);
    }
    for (const p of nodesOfType(script.root, "pipeline")) {
        if (bareOutput(p) && !insideSource(p) && carriesSecret(script, p, names)) out.add(`writes a secret to the output (a bare expression): ${p.text.slice(0, 80)}`);
    }
    for (const t of nodesOfType(script.root, "flow_control_statement")) {
        if (/^throw\b/i.test(t.text) && !insideSource(t) && carriesSecret(script, t, ownParameters(script, t, names))) out.add(`writes a secret to the output (the message of a throw, shown as the step's error): ${t.text.slice(0, 80)}`);
    }
    for (const r of nodesOfType(script.root, "redirection")) {
        const target = r.namedChildren.find((c) => c?.type === "redirected_file_name")?.text.trim();
        const statement = enclosing(r, "pipeline");
        if (target === undefined || /^\$null$/i.test(target) || !statement || insideSource(statement) || !carriesSecret(script, statement, names)) continue;
        out.add(`writes a secret to a file with a redirection (${r.text.trim()}), which gives it the folder's inherited access (write secret files with [IO.File]::Create and a FileSecurity): ${statement.text.slice(0, 80)}`);
    }
    return [...out];
}
