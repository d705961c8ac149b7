/**
 * How configuration problems are worded: values shown cut to 80 characters, "did you mean" for a
 * close miss, and schema-library issues turned into our own sentences (never the library's text).
 */
import type { z } from "zod";

/** Longest value shown in a message, in characters (longer ones end in "..."). */
export const SHOWN_VALUE_MAX = 80;

/** The value as a message shows it: JSON, cut to {@link SHOWN_VALUE_MAX} characters. */
export function show(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > SHOWN_VALUE_MAX ? `${text.slice(0, SHOWN_VALUE_MAX - 3)}...` : text;
}

/** Edit distance (insert, delete, substitute, swap of neighbours), case ignored. */
export function editDistance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= s.length; i++) {
        for (let j = 1; j <= t.length; j++) {
            const cost = s[i - 1] === t[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[s.length][t.length];
}

/** The known name closest to `given`, if it is close enough to be a typo (first one on ties). */
export function closest(given: string, known: readonly string[]): string | undefined {
    const limit = Math.max(2, Math.floor(given.length / 4));
    let best: string | undefined;
    let bestDistance = limit + 1;
    for (const k of known) {
        const d = editDistance(given, k);
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    return best;
}

/** The shape of an object as messages list it: `{a, b, c}`. */
export function shapeOf(fields: readonly string[]): string {
    return `{${fields.join(", ")}}`;
}

/** What each field of an object accepts, in our words (one entry per schema field). */
export type FieldWords = Readonly<Record<string, string>>;

/** The value at a path inside a parsed JSON value. */
function at(value: unknown, path: readonly PropertyKey[]): unknown {
    let v = value;
    for (const p of path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
    return v;
}

function pathText(path: readonly PropertyKey[]): string {
    return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

/**
 * Problems of a value refused by a schema, in our words. `accepted` describes the whole value;
 * `fields` what each field of its objects (or of its list's objects) accepts.
 */
export function schemaProblems(name: string, value: unknown, issues: readonly z.core.$ZodIssue[], accepted: string, fields: FieldWords = {}): string[] {
    const out: string[] = [];
    const known = Object.keys(fields);
    for (const issue of issues) {
        const path = issue.path;
        const where = `${name}${pathText(path)}`;
        if (issue.code === "unrecognized_keys") {
            for (const key of issue.keys) {
                const near = closest(key, known);
                out.push(`${where}.${key}: unknown field${near ? `; did you mean ${near}?` : ""} (accepted fields: ${shapeOf(known)})`);
            }
            continue;
        }
        const last = path[path.length - 1];
        const given = at(value, path);
        if (typeof last === "string" && last in fields) {
            out.push(given === undefined ? `${where}: required; expected ${fields[last]}` : `${where}: expected ${fields[last]}, got ${show(given)}`);
        } else if (typeof last === "number" && known.length > 0) {
            out.push(`${where}: expected an object ${shapeOf(known)}, got ${show(given)}`);
        } else {
            out.push(`${where}: expected ${accepted}, got ${show(given)}`);
        }
    }
    return [...new Set(out)];
}
