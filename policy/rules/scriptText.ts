/**
 * The PowerShell a command resource runs, for the rules that inspect scripts. Our host steps travel
 * on stdin, packed (`packStdin`: deflated, base64), to a fixed bootstrap (components/host/bootstrap.ts);
 * the rules read the unpacked document, the scripts as rendered (a stdin that is not packed, as states
 * written before the packing hold it, is read as it is). Their delete script travels in the same
 * document (run by the delete bootstrap, or the WinRM runner with `--delete`). Delete commands of older
 * states carry their script on the command line: over ssh inside an `-EncodedCommand` inline wrapper
 * (`inlineCommand`), through the WinRM runner as `--script-b64 <base64 stdin document>`.
 *
 * Allow-list: a command line is one of those shapes exactly (the bootstrap or delete bootstrap, an
 * inline wrapper that `inlineCommand` rebuilds byte for byte from the script it carries, the WinRM
 * runner alone, with `--delete` or with `--script-b64`); anything else is reported, since the policy
 * cannot tell what it runs.
 */
import { bootstrapCommand, decodePowerShellCommand, deleteBootstrapCommand, inlineCommand, splitStdin, stdinDocument } from "../../components/host/bootstrap";
import { DELETE_OPTION, SCRIPT_B64_OPTION } from "../../components/host/winrmRunner";
import { descendants, parseScript, valueOf, variableName } from "./psScript";
import { type Props, stringProp } from "./types";

export const COMMAND_LINE_KEYS = ["create", "update", "delete"] as const;

export interface CommandScripts {
    /** The scripts the resource runs (stdin's script part, inline scripts, the runner's documents). */
    readonly scripts: readonly string[];
    /** Command lines of no known shape. */
    readonly unknownLines: readonly string[];
}

/** The scripts of a stdin document: its create script and its delete script, if any (the secrets JSON after the separator line is data). */
export function scriptsOfDocument(document: string): string[] {
    const parts = splitStdin(stdinDocument(document));
    return parts.delete === undefined ? [parts.create] : [parts.create, parts.delete];
}

/** The script an inline wrapper carries, when `line` is exactly `inlineCommand(script)`. */
function inlineScript(line: string): string | undefined {
    const m = /^powershell\.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) return undefined;
    const decoded = decodePowerShellCommand(m[1]);
    const parsed = parseScript(decoded);
    let script: string | undefined;
    for (const n of descendants(parsed.root, "assignment_expression")) {
        if (script === undefined && variableName(n.namedChildren[0]!) === "NovaScript") script = valueOf(parsed, n.namedChildren[n.namedChildren.length - 1] ?? undefined);
    }
    if (script === undefined) return undefined;
    try {
        return inlineCommand(script) === line ? script : undefined;
    } catch {
        return undefined;
    }
}

/** The runner's document, when `line` is the WinRM runner (`--script-b64` optional); null for the runner alone. */
function runnerDocument(line: string): string | null | undefined {
    const m = new RegExp(`^node "[^"]+[\\\\/]ts-node[\\\\/]dist[\\\\/]bin\\.js" --transpile-only "[^"]+[\\\\/]scripts[\\\\/]winrmRun\\.ts"(?: ${DELETE_OPTION}| ${SCRIPT_B64_OPTION} ([A-Za-z0-9+/=]+))?$`).exec(line);
    if (!m) return undefined;
    return m[1] === undefined ? null : Buffer.from(m[1], "base64").toString("utf8");
}

/** What a command line is: one of our three shapes (with the script it carries), or unknown. */
export type CommandLine = { readonly kind: "bootstrap" } | { readonly kind: "inline" | "runner"; readonly script?: string } | { readonly kind: "unknown" };

/** Classifies one command line (`create`, `update` or `delete`). */
export function commandLine(line: string): CommandLine {
    if (line === bootstrapCommand() || line === deleteBootstrapCommand()) return { kind: "bootstrap" };
    const inline = inlineScript(line);
    if (inline !== undefined) return { kind: "inline", script: inline };
    const document = runnerDocument(line);
    if (document === null) return { kind: "runner" };
    if (document !== undefined) return { kind: "runner", script: splitStdin(document).create };
    return { kind: "unknown" };
}

/** The scripts of a command resource, and the command lines it has of no known shape. */
export function commandScripts(props: Props): CommandScripts {
    const scripts: string[] = [];
    const unknownLines: string[] = [];
    const stdin = stringProp(props, "stdin");
    if (stdin !== undefined && stdin.length > 0) scripts.push(...scriptsOfDocument(stdin));
    for (const key of COMMAND_LINE_KEYS) {
        const line = stringProp(props, key);
        if (line === undefined) continue;
        const c = commandLine(line);
        if (c.kind === "unknown") unknownLines.push(line);
        else if (c.kind !== "bootstrap" && c.script !== undefined) scripts.push(c.script);
    }
    return { scripts, unknownLines };
}
