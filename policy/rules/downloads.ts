/**
 * Downloads on a host are pinned by SHA-256, and only one function fetches. The tools step
 * (components/host/steps/tools.ts) downloads only through `Save-NovaVerifiedDownload -Url <https> -Expected
 * <64-hex pin> -Path <file>`, whose body is one `Invoke-WebRequest -Uri $Url -OutFile $Path`, then
 * `$hash = Get-NovaFileHash $Path` (Get-FileHash -Algorithm SHA256) and, at the top of the body,
 * `if ($hash -ne $Expected) { ...; throw ... }`. The rule reads scripts with the PowerShell grammar and
 * binds parameters as Windows PowerShell 5.1 does (prefixes, aliases: `iwr -OutF` is a download), and
 * decides by allow-list:
 * - a fetch (Invoke-WebRequest and its aliases iwr/curl/wget, Invoke-RestMethod/irm, Start-BitsTransfer,
 *   the BITS, PowerShellGet and PackageManagement installers, curl.exe, wget.exe, bitsadmin, certutil,
 *   .NET WebClient/HttpClient/WebRequest) appears only as that function's one Invoke-WebRequest;
 * - the function's hash check is live: computed after the fetch, compared with $Expected, thrown on;
 * - elsewhere, the only web request allowed is a probe of the host itself (an http(s) URL on 127.0.0.1,
 *   localhost or [::1], constant or built from constants and integers, named parameters, nothing saved
 *   or sent): the health step, a connector's readiness;
 * - every call of the function passes -Url a constant https URL and -Expected a 64-hex constant, by name.
 */
import { commandScripts } from "./scriptText";
import { argumentOf, bindScriptCall, callsTo, type CommandCall, constantValues, enclosing, functionOf, lastAssignment, type Node, type ParsedScript, parseScript, sameNode, typesOf, unwrap, valueOf, variableName, descendants } from "./psScript";
import { isCommand, type Props } from "./types";

export const VERIFIED_DOWNLOAD = "Save-NovaVerifiedDownload";
const FILE_HASH = "Get-NovaFileHash";

/** Cmdlets and functions that fetch from the network. */
export const FETCH_COMMANDS: readonly string[] = [
    "Invoke-WebRequest", "Invoke-RestMethod", "Start-BitsTransfer", "Add-BitsFile", "Set-BitsTransfer", "Resume-BitsTransfer",
    "Install-Module", "Save-Module", "Install-Script", "Save-Script", "Install-Package", "Save-Package", "Find-Package", "Install-PackageProvider",
];
/** Native programs that fetch. */
export const FETCH_PROGRAMS: readonly string[] = ["curl.exe", "wget.exe", "bitsadmin.exe", "certutil.exe", "mshta.exe"];
/** .NET types that fetch (matched on the type name's last segments, case-insensitively). */
export const FETCH_TYPES = /(^|\.)(WebClient|HttpClient|HttpClientHandler|WebRequest|HttpWebRequest|FtpWebRequest|FileWebRequest|WebUtility|XmlHttp|ServerXMLHTTP|WinHttpRequest)$/i;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The integer constants a foreach loop variable takes, when `node` is one (`foreach ($p in @(1, 2))`). */
function loopIntegers(node: Node): boolean {
    const name = variableName(node);
    for (let n = node.parent; n && name !== undefined; n = n.parent) {
        if (n.type !== "foreach_statement") continue;
        const v = n.namedChildren.find((c) => c?.type === "variable");
        if (!v || variableName(v)?.toLowerCase() !== name.toLowerCase()) continue;
        const values = constantValues(n.namedChildren.find((c) => c?.type === "pipeline")!);
        return values !== undefined && values.every((x) => /^\d+$/.test(x));
    }
    return false;
}

/**
 * The URL a request's -Uri stands for, with integer parts (an `[int]` cast, a foreach variable over
 * integer constants) written as 0: a constant, or constants and integers joined with `+`. Integers
 * cannot move the host (no `@`, `/` or `:`), so the template's host is the request's host.
 */
function uriTemplate(script: ParsedScript, node: Node | true | undefined): string | undefined {
    const constant = valueOf(script, node);
    if (constant !== undefined || node === undefined || node === true) return constant;
    const parts: Node[] = [];
    const flatten = (n: Node): boolean => {
        const u = unwrap(n);
        if (u.type !== "additive_expression") return (parts.push(u), true);
        if (u.children.some((c) => c !== null && !c.isNamed && c.text.trim() !== "+")) return false;
        return u.namedChildren.every((c) => c !== null && flatten(c));
    };
    if (!flatten(node)) return undefined;
    let text = "";
    for (const part of parts) {
        const value = valueOf(script, part);
        if (value !== undefined) text += value;
        else if ((part.type === "cast_expression" && /^\[int\]/i.test(part.text)) || loopIntegers(part)) text += "0";
        else return undefined;
    }
    return text;
}

function isProbe(script: ParsedScript, call: CommandCall): boolean {
    if (call.resolved?.name !== "Invoke-WebRequest" || !call.bound) return false;
    const { named, positional, splats } = call.bound;
    if (positional.length > 0 || splats.length > 0 || ["OutFile", "InFile", "Body", "Proxy", "Method"].some((p) => named.has(p))) return false;
    const uri = uriTemplate(script, named.get("Uri"));
    if (uri === undefined) return false;
    try {
        const url = new URL(uri);
        return (url.protocol === "http:" || url.protocol === "https:") && LOOPBACK.has(url.hostname);
    } catch {
        return false;
    }
}

function insideLoop(fn: Node, node: Node): boolean {
    for (let n = node.parent; n && !sameNode(n, fn); n = n.parent) {
        if (["while_statement", "for_statement", "foreach_statement", "do_statement", "switch_statement"].includes(n.type)) return true;
    }
    return false;
}

/** The statements of a function body's top level (not nested in a condition, loop or try). */
function atTopOf(fn: Node, node: Node): boolean {
    for (let n = node.parent; n && !sameNode(n, fn); n = n.parent) {
        if (!["statement_list", "script_block_body", "script_block"].includes(n.type)) return false;
    }
    return true;
}

function hashComputed(script: ParsedScript, rhs: Node | undefined): boolean {
    if (!rhs) return false;
    const calls = script.calls.filter((c) => c.node.startIndex >= rhs.startIndex && c.node.endIndex <= rhs.endIndex);
    const pathArg = (c: CommandCall) => variableName(argumentOf(c, "LiteralPath") as Node) ?? (c.bound?.positional[0] ? variableName(c.bound.positional[0]) : undefined);
    return calls.some((c) => {
        if (c.resolved?.kind === "script-function" && c.resolved.name === FILE_HASH) {
            const bound = bindScriptCall(script, c);
            const arg = bound?.named.get("Path") ?? bound?.positional[0];
            return arg !== undefined && arg !== true && variableName(arg) === "Path";
        }
        return c.resolved?.name === "Get-FileHash" && valueOf(script, argumentOf(c, "Algorithm"))?.toUpperCase() === "SHA256" && pathArg(c) === "Path";
    });
}

/**
 * Get-NovaFileHash is the file's SHA-256: one Get-FileHash -Algorithm SHA256, and every return is
 * either a constant ('missing') or that hash.
 */
function fileHashProblems(script: ParsedScript): string[] {
    const defs = script.functions.filter((f) => f.name === FILE_HASH);
    const hashCalls = defs.length === 1 ? script.calls.filter((c) => sameNode(enclosing(c.node, "function_statement"), defs[0].node) && c.resolved?.name === "Get-FileHash") : [];
    const problem = [`${FILE_HASH} does not return Get-FileHash -Algorithm SHA256 of its file`];
    if (hashCalls.length !== 1 || valueOf(script, argumentOf(hashCalls[0], "Algorithm"))?.toUpperCase() !== "SHA256") return problem;
    const hash = hashCalls[0].node;
    const returns = descendants(defs[0].node, "flow_control_statement").filter((f) => /^return\b/i.test(f.text));
    const ok = returns.length > 0 && returns.every((r) => {
        const value = r.namedChildren.find((c) => c?.type === "pipeline");
        return value !== undefined && value !== null && (constantValues(value) !== undefined || (hash.startIndex >= value.startIndex && hash.endIndex <= value.endIndex));
    });
    return ok ? [] : problem;
}

/** Problems of the verified-download function's body: one fetch, then a live SHA-256 check. */
function helperProblems(script: ParsedScript): string[] {
    const defs = script.functions.filter((f) => f.name.toLowerCase() === VERIFIED_DOWNLOAD.toLowerCase());
    if (defs.length === 0) return [];
    if (defs.length > 1) return [`${VERIFIED_DOWNLOAD} is defined more than once`];
    const fn = defs[0];
    const inside = script.calls.filter((c) => sameNode(enclosing(c.node, "function_statement"), fn.node));
    const fetches = inside.filter((c) => c.resolved?.name === "Invoke-WebRequest");
    const fetch = fetches[0];
    if (fetches.length !== 1 || variableName(argumentOf(fetch, "Uri") as Node) !== "Url" || variableName(argumentOf(fetch, "OutFile") as Node) !== "Path" || (fetch.bound?.splats.length ?? 0) > 0) {
        return [`${VERIFIED_DOWNLOAD} must fetch exactly once, with Invoke-WebRequest -Uri $Url -OutFile $Path`];
    }
    const checks: Node[] = [];
    for (const n of descendants(fn.node, "if_statement")) {
        if (n.startIndex < fetch.node.endIndex || !atTopOf(fn.node, n)) continue;
        const condition = n.namedChildren.find((c) => c?.type === "pipeline");
        const m = condition ? /^\$(\w+)\s+-[ci]?ne\s+\$Expected$|^\$Expected\s+-[ci]?ne\s+\$(\w+)$/i.exec(condition.text.trim()) : null;
        const block = n.namedChildren.find((c) => c?.type === "statement_block");
        const throws = block?.namedChildren.find((c) => c?.type === "statement_list")?.namedChildren.some((s) => s?.type === "flow_control_statement" && /^throw\b/i.test(s.text));
        const variable = m ? (m[1] ?? m[2]) : undefined;
        if (variable && throws && hashComputed(script, lastAssignment(script, variable, n.startIndex)) && (lastAssignment(script, variable, n.startIndex)?.startIndex ?? 0) > fetch.node.endIndex) checks.push(n);
    }
    const problems = checks.length === 0 ? [`${VERIFIED_DOWNLOAD} does not check the file's SHA-256 against -Expected after the fetch (compute, compare with -ne, throw)`] : [];
    // Nothing may leave the body before the check, or change what it compares.
    const checkAt = checks[0]?.startIndex ?? Number.POSITIVE_INFINITY;
    const exits = descendants(fn.node, "flow_control_statement").filter((f) => {
        const keyword = /^(return|exit|break|continue)\b/i.exec(f.text)?.[1].toLowerCase();
        if (keyword === "return" || keyword === "exit") return f.startIndex < checkAt;
        // break/continue leave the helper itself unless a loop of its own holds them (PowerShell unwinds to the caller's loop).
        return keyword !== undefined && !insideLoop(fn.node, f);
    });
    if (exits.length > 0) problems.push(`${VERIFIED_DOWNLOAD} has a ${exits[0].text.split(/\s/)[0]} that can skip its SHA-256 check`);
    const rebound = descendants(fn.node, "assignment_expression").map((a) => variableName(a.namedChildren[0]!)).filter((v) => v !== undefined && /^(Url|Expected|Path)$/i.test(v));
    if (rebound.length > 0) problems.push(`${VERIFIED_DOWNLOAD} assigns its parameter $${rebound[0]}`);
    if (inside.some((c) => c.resolved?.kind === "script-function" && c.resolved.name === FILE_HASH)) problems.push(...fileHashProblems(script));
    return problems;
}

function callSiteProblems(script: ParsedScript): string[] {
    const out: string[] = [];
    for (const call of callsTo(script, VERIFIED_DOWNLOAD)) {
        const bound = bindScriptCall(script, call);
        if (!bound || bound.errors.length > 0 || bound.positional.length > 0 || bound.splats.length > 0) {
            out.push(`${VERIFIED_DOWNLOAD} is called without named -Url, -Expected and -Path: ${call.node.text}`);
            continue;
        }
        const expected = valueOf(script, bound.named.get("Expected"));
        if (expected === undefined || !/^[0-9a-fA-F]{64}$/.test(expected)) out.push(`a download is not pinned with a 64-hex SHA-256 (-Expected ${(bound.named.get("Expected") as Node | undefined)?.text ?? "missing"})`);
        const url = valueOf(script, bound.named.get("Url"));
        if (url === undefined || !url.startsWith("https://")) out.push(`a download URL is not a fixed https URL (-Url ${(bound.named.get("Url") as Node | undefined)?.text ?? "missing"})`);
    }
    return out;
}

/** Download violations of one script. */
export function scriptDownloadViolations(text: string): string[] {
    const script = parseScript(text);
    const out = [...helperProblems(script), ...callSiteProblems(script)];
    for (const call of script.calls) {
        const name = call.resolved?.name;
        if (name === undefined) continue;
        const fetches = FETCH_COMMANDS.includes(name) || (call.resolved?.kind === "native" && FETCH_PROGRAMS.includes(name.toLowerCase()));
        if (!fetches) continue;
        const allowed = name === "Invoke-WebRequest" && (functionOf(call.node) === VERIFIED_DOWNLOAD || isProbe(script, call));
        if (!allowed) out.push(`a download (${call.name}${call.resolved?.alias ? ` = ${name}` : ""}) outside ${VERIFIED_DOWNLOAD} is not checked against a SHA-256`);
    }
    for (const type of typesOf(script)) {
        if (type.name !== undefined && FETCH_TYPES.test(type.name.replace(/\[\]$/, ""))) out.push(`a download (.NET ${type.name}) outside ${VERIFIED_DOWNLOAD} is not checked against a SHA-256`);
    }
    return out;
}

/** Violations of "every download is pinned by SHA-256" for one command resource. */
export function downloadPinViolations(type: string, props: Props): string[] {
    if (!isCommand(type)) return [];
    return [...new Set(commandScripts(props).scripts.flatMap(scriptDownloadViolations))];
}
