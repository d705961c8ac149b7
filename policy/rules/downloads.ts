/**
 * Downloads on a host are pinned by SHA-256. The tools step (components/host/steps/tools.ts) downloads
 * only through `Save-NovaVerifiedDownload -Url $NovaXUrl -Expected $desired`, where `$desired` is the
 * check's single-quoted 64-hex pin, and that function compares the file's SHA-256 with `$Expected`
 * and throws on a mismatch. The rule requires, in every command script:
 * - downloads (Start-BitsTransfer, WebClient.DownloadFile, and web requests — Invoke-WebRequest, curl,
 *   ... — that save to a file or feed Invoke-Expression; a plain request such as a health probe is not
 *   one) appear only inside a `Save-NovaVerifiedDownload` definition that compares a SHA-256 with $Expected;
 * - every call of it passes `-Expected` a 64-hex literal, or a variable whose last assignment before
 *   the call is one, and `-Url` an https literal (directly or through a variable).
 */
import { assignments, codeOnly, commandScripts, invocations, joinContinuations, parameter, quotedList } from "./scriptText";
import { isCommand, type Props } from "./types";

export const VERIFIED_DOWNLOAD = "Save-NovaVerifiedDownload";

/** Commands that always write what they fetch. */
const ALWAYS = /(?<![\w-])(Start-BitsTransfer|bitsadmin(\.exe)?)(?![\w-])|\.Download(File|FileAsync|Data|String)\s*\(/gi;
/** Web requests: a download when they save (-OutFile, -o, --output) or feed Invoke-Expression. */
const REQUESTS = /(?<![\w-])(Invoke-WebRequest|iwr|Invoke-RestMethod|irm|curl(\.exe)?|wget(\.exe)?)(?![\w-])/gi;
const SAVES = /(\s-OutF(ile?)?\b|\s-o\s|\s-O\s|\s--output\b|\s--remote-name\b|\biex\b|Invoke-Expression)/i;

/** Offsets and text of every download primitive in code-only text (a plain web request is not one). */
function downloads(code: string): { index: number; text: string }[] {
    const found = [...code.matchAll(ALWAYS)].map((m) => ({ index: m.index ?? 0, text: m[0] }));
    for (const m of code.matchAll(REQUESTS)) {
        const at = m.index ?? 0;
        const lineStart = code.lastIndexOf("\n", at) + 1;
        const lineEnd = code.indexOf("\n", at);
        if (SAVES.test(code.slice(lineStart, lineEnd === -1 ? undefined : lineEnd))) found.push({ index: at, text: m[0] });
    }
    return found.sort((a, b) => a.index - b.index);
}

/** Start and end offsets of each `function <name> { ... }` body (brace-matched over code-only text). */
function functionBodies(code: string, name: string): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    for (const m of code.matchAll(new RegExp(`function\\s+${name}\\b`, "gi"))) {
        const open = code.indexOf("{", (m.index ?? 0) + m[0].length);
        let depth = 0;
        for (let i = open; i >= 0 && i < code.length; i++) {
            if (code[i] === "{") depth++;
            else if (code[i] === "}" && --depth === 0) {
                out.push({ start: m.index ?? 0, end: i + 1 });
                break;
            }
        }
    }
    return out;
}

function verifies(body: string): boolean {
    return /(Get-NovaFileHash|Get-FileHash\b[^\n]*-Algorithm\s+SHA256)/i.test(body) && /-ne\s+\$Expected\b/i.test(body) && /\bthrow\b/i.test(body);
}

/** The literal a value stands for: itself when quoted, else the last assignment of the variable before `at`. */
function resolve(arg: string | undefined, script: string, at: number): string | undefined {
    if (arg === undefined) return undefined;
    const variable = /^\$(\w+)$/.exec(arg);
    const literal = variable ? assignments(script, variable[1]).filter((a) => a.index < at).pop()?.value : arg;
    const values = literal === undefined ? undefined : quotedList(literal);
    return values?.length === 1 ? values[0] : undefined;
}

function scriptViolations(script: string): string[] {
    const text = joinContinuations(script);
    const code = codeOnly(text);
    const out: string[] = [];
    const bodies = functionBodies(code, VERIFIED_DOWNLOAD);
    for (const body of bodies) {
        if (!verifies(code.slice(body.start, body.end))) out.push(`${VERIFIED_DOWNLOAD} does not compare the file's SHA-256 with -Expected`);
    }
    for (const d of downloads(code)) {
        if (!bodies.some((b) => d.index > b.start && d.index < b.end)) out.push(`a download (${d.text}) outside ${VERIFIED_DOWNLOAD} is not checked against a SHA-256`);
    }
    for (const call of invocations(text, VERIFIED_DOWNLOAD)) {
        if (/^\s*\(/.test(call.text) || /function\s+$/i.test(text.slice(Math.max(0, call.index - 20), call.index))) continue;
        const hash = resolve(parameter(call.text, "Expected"), text, call.index);
        if (hash === undefined || !/^[0-9a-fA-F]{64}$/.test(hash)) {
            out.push(`a download is not pinned with a 64-hex SHA-256 (-Expected ${parameter(call.text, "Expected") ?? "missing"})`);
        }
        const url = resolve(parameter(call.text, "Url"), text, call.index);
        if (url === undefined || !url.startsWith("https://")) {
            out.push(`a download URL is not a fixed https URL (-Url ${parameter(call.text, "Url") ?? "missing"})`);
        }
    }
    return out;
}

/** Violations of "every download is pinned by SHA-256" for one command resource. */
export function downloadPinViolations(type: string, props: Props): string[] {
    if (!isCommand(type)) return [];
    return [...new Set(commandScripts(props).flatMap(scriptViolations))];
}
