/**
 * Helpers shipped only where they are used. Every step script is assembled from shared helper
 * functions (script.ts's prelude, the helper texts of components/host/steps) and its own statements;
 * `shakeHelpers` keeps of its top-level functions exactly those the rest of the script reaches, directly
 * or through other kept functions (a closure over name references), and drops the others, so a step
 * ships no dead helper and the helpers are still declared in one place each.
 *
 * The helpers' layout is what makes this exact without a PowerShell parser, and it is checked, not
 * assumed: a top-level function starts at a line `function <Name>` in column 0 and is either that one
 * line (its braces balance) or runs to the first line that is exactly `}`. A script with a here-string
 * (whose lines could look like either) or with a function that does not close that way is an error.
 * A name counts as used wherever it appears outside its own definition as a whole word, case-insensitive
 * as PowerShell resolves commands, so `${function:Name}` or a name in a string also keeps a helper.
 */

interface Unit {
    readonly name?: string;
    readonly text: string;
}

const FUNCTION_LINE = /^function ([A-Za-z][\w-]*)/;

function braceBalance(line: string): number {
    let n = 0;
    for (const ch of line) n += ch === "{" ? 1 : ch === "}" ? -1 : 0;
    return n;
}

/** The script as top-level function definitions and runs of other lines, in order. */
export function splitFunctions(script: string): Unit[] {
    if (/@['"]\s*$/m.test(script)) throw new Error("shakeHelpers: here-strings are not supported in step scripts");
    const lines = script.split("\n");
    const units: Unit[] = [];
    let other: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        const m = FUNCTION_LINE.exec(lines[i]);
        if (!m) {
            other.push(lines[i]);
            continue;
        }
        if (other.length > 0) units.push({ text: other.join("\n") });
        other = [];
        let end = i;
        if (braceBalance(lines[i]) !== 0 || !lines[i].trimEnd().endsWith("}")) {
            end = lines.indexOf("}", i + 1);
            if (end < 0) throw new Error(`shakeHelpers: function ${m[1]} does not end with a line "}"`);
            const inner = lines.slice(i + 1, end).find((l) => FUNCTION_LINE.test(l));
            if (inner !== undefined) throw new Error(`shakeHelpers: function ${m[1]} holds a column-0 function line: ${inner}`);
        }
        units.push({ name: m[1], text: lines.slice(i, end + 1).join("\n") });
        i = end;
    }
    units.push({ text: other.join("\n") });
    return units;
}

/**
 * The words of `text` as a name reference sees them: maximal runs of `[\w-]`, lower-cased. A name
 * is mentioned where it is such a word (not inside a longer one), whatever its case.
 */
function words(text: string): Set<string> {
    return new Set((text.match(/[\w-]+/g) ?? []).map((w) => w.toLowerCase()));
}

/** Names of the functions `script` defines and reaches from its statements. */
export function reachedFunctions(units: readonly Unit[]): Set<string> {
    const defined = (units.filter((u) => u.name !== undefined) as Required<Unit>[]).map((u) => ({ key: u.name.toLowerCase(), text: u.text }));
    const reached = new Set<string>();
    const pending = units.filter((u) => u.name === undefined).map((u) => u.text);
    while (pending.length > 0) {
        const seen = words(pending.pop()!);
        for (const f of defined) {
            if (!reached.has(f.key) && seen.has(f.key)) {
                reached.add(f.key);
                pending.push(f.text);
            }
        }
    }
    return reached;
}

/** Results of shakeHelpers by script: hosts of one stack render the same step scripts. */
const shaken = new Map<string, string>();
const SHAKEN_MAX = 64;

/** `script` without the top-level functions nothing in it reaches. */
export function shakeHelpers(script: string): string {
    const known = shaken.get(script);
    if (known !== undefined) return known;
    const result = shakeOnce(script);
    if (shaken.size >= SHAKEN_MAX) shaken.delete(shaken.keys().next().value as string);
    shaken.set(script, result);
    return result;
}

function shakeOnce(script: string): string {
    const units = splitFunctions(script);
    const reached = reachedFunctions(units);
    return units
        .filter((u) => u.name === undefined || reached.has(u.name.toLowerCase()))
        .map((u) => u.text)
        .join("\n");
}
