/**
 * The one place where PowerShell literals are built from data.
 *
 * Every value that comes from configuration (paths, names, environment values, CIDRs, URLs) reaches a
 * generated script only through these functions. They emit *single-quoted* literals: inside `'...'`
 * PowerShell expands nothing — no `$variable`, no `$(subexpression)`, no backtick escape — so the only
 * character that needs care is the quote itself, which is written twice. PowerShell's tokenizer treats
 * the typographic quotes U+2018 ‘, U+2019 ’, U+201A ‚ and U+201B ‛ exactly like `'` (a literal may even be
 * closed by one of them), so every one of them is doubled as well. NUL cannot be represented (the
 * tokenizer reads it as end of input) and is rejected.
 */

/** Characters PowerShell accepts as a single quote. */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/** A single-quoted PowerShell string literal whose value is exactly `value`. */
export function psQuote(value: string): string {
    if (typeof value !== "string") {
        throw new TypeError(`psQuote expects a string, got ${typeof value}`);
    }
    if (value.includes("\0")) {
        throw new Error("a NUL character cannot be passed to PowerShell");
    }
    return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}

/**
 * A regular-expression pattern matching exactly what `psQuote` gives for a value without a line break:
 * one quote, then characters that are no quote and quotes written twice (the same character), one quote.
 */
export const PS_QUOTED_LINE_PATTERN = "'(?:[^'\\u2018\\u2019\\u201A\\u201B\\r\\n]|''|\\u2018\\u2018|\\u2019\\u2019|\\u201A\\u201A|\\u201B\\u201B)*'";

/** `@('a', 'b')`: an array literal of quoted strings (`@()` when empty). */
export function psArray(values: readonly string[]): string {
    return `@(${values.map(psQuote).join(", ")})`;
}

/**
 * `[ordered]@{ 'k' = 'v'; ... }` with keys in the record's own order, so rendering is deterministic and
 * follows the caller's order.
 */
export function psHashtable(record: Readonly<Record<string, string>>): string {
    const entries = Object.entries(record).map(([k, v]) => `${psQuote(k)} = ${psQuote(v)}`);
    return `[ordered]@{ ${entries.join("; ")} }`;
}

/** A decimal integer literal; throws on anything but a safe integer. */
export function psInt(value: number): string {
    if (!Number.isSafeInteger(value)) {
        throw new Error(`not an integer: ${value}`);
    }
    return String(value);
}
