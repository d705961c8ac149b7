/**
 * Reading the PowerShell a command resource runs, for the rules that inspect scripts. Our host steps
 * travel on stdin to a fixed bootstrap (components/host/bootstrap.ts); delete commands carry their
 * script on the command line: over ssh inside an `-EncodedCommand` argument, through the WinRM runner
 * as `--script-b64 <base64 stdin document>` (components/host/winrmRunner.ts). All are read here.
 */
import { decodePowerShellCommand } from "../../components/host/bootstrap";
import { SCRIPT_B64_OPTION } from "../../components/host/winrmRunner";
import { type Props, stringProp } from "./types";

/** The script texts of a command resource: stdin, and every script its create/update/delete lines carry. */
export function commandScripts(props: Props): string[] {
    const texts: string[] = [];
    const stdin = stringProp(props, "stdin");
    if (stdin !== undefined && stdin.length > 0) texts.push(stdin);
    for (const key of ["create", "update", "delete"]) {
        const line = stringProp(props, key);
        if (line === undefined) continue;
        for (const m of line.matchAll(/-EncodedCommand\s+([A-Za-z0-9+/=]+)/gi)) {
            texts.push(...embeddedScripts(decodePowerShellCommand(m[1])));
        }
        for (const m of line.matchAll(new RegExp(`${SCRIPT_B64_OPTION}\\s+([A-Za-z0-9+/=]+)`, "g"))) {
            texts.push(Buffer.from(m[1], "base64").toString("utf8"));
        }
    }
    return texts;
}

/**
 * A decoded command and the scripts it carries as `$NovaScript = '<literal>'` (`inlineCommand`): the
 * command with those literals emptied, then each literal's value.
 */
function embeddedScripts(decoded: string): string[] {
    const inner: string[] = [];
    const outer = decoded.replace(new RegExp(`(\\$NovaScript\\s*=\\s*)${SINGLE_QUOTED.source}`, "gi"), (_m, lhs: string, body: string) => {
        inner.push(unquoteBody(body));
        return `${lhs}''`;
    });
    return [outer, ...inner];
}

/** Characters PowerShell accepts as a single quote (see components/powershell.ts). */
const Q = "'\u2018\u2019\u201A\u201B";
/** A single-quoted literal: quotes inside are doubled. */
export const SINGLE_QUOTED = new RegExp(`[${Q}]((?:[^${Q}]|[${Q}]{2})*)[${Q}]`, "g");

/** The value of a single-quoted literal's body (doubled quotes become one). */
export function unquoteBody(body: string): string {
    return body.replace(new RegExp(`[${Q}]([${Q}])`, "g"), "$1");
}

/**
 * The values of a list of single-quoted literals (`'a', 'b'`, `@('a','b')`, `[string[]]@(...)`);
 * undefined when the text holds anything else (a variable, an expression), which cannot be checked.
 */
export function quotedList(text: string): string[] | undefined {
    const inner = text.trim().replace(/^(\[string\[\]\])?\s*@\(\s*([\s\S]*?)\s*\)$/i, "$2");
    const values: string[] = [];
    const rest = inner.replace(SINGLE_QUOTED, (_m, body: string) => {
        values.push(unquoteBody(body));
        return "";
    });
    return /^[\s,]*$/.test(rest) && values.length > 0 ? values : undefined;
}

/** Single-quoted literals replaced by `''` and comments removed: what is left is code only. */
export function codeOnly(script: string): string {
    return script
        .replace(SINGLE_QUOTED, "''")
        .replace(/<#[\s\S]*?#>/g, "")
        .replace(/(^|\s)#.*$/gm, "$1");
}

/** Lines continued with a trailing backtick joined into one. */
export function joinContinuations(script: string): string {
    return script.replace(/`\r?\n[ \t]*/g, " ");
}

/** The right-hand sides of every `$name = ...` assignment (to end of line), in order. */
export function assignments(script: string, name: string): { index: number; value: string }[] {
    const re = new RegExp(`\\$${name.replace(/^\$/, "")}\\s*=\\s*([^\\n]*)`, "gi");
    return [...script.matchAll(re)].map((m) => ({ index: m.index ?? 0, value: m[1].trim() }));
}

/** Each invocation of `command` (a whole word) with the rest of its (joined) line. */
export function invocations(script: string, command: string): { index: number; text: string }[] {
    const re = new RegExp(`(?<![\\w-])${command.replace(/[-.]/g, "\\$&")}(?![\\w-])([^\\n]*)`, "gi");
    return [...script.matchAll(re)].map((m) => ({ index: m.index ?? 0, text: m[1] }));
}

/** The value after `-Name` in a parameter list: up to the next parameter, pipe, `;` or line end. */
export function parameter(args: string, name: string): string | undefined {
    const m = new RegExp(`(?:^|\\s)-${name}(?::|\\s+)(.*?)(?=\\s+-[A-Za-z]|\\s*[|;]|\\s*$)`, "i").exec(args);
    return m ? m[1].trim() : undefined;
}
