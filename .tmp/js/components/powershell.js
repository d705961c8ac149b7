"use strict";
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
Object.defineProperty(exports, "__esModule", { value: true });
exports.psQuote = psQuote;
exports.psArray = psArray;
exports.psHashtable = psHashtable;
exports.psInt = psInt;
/** Characters PowerShell accepts as a single quote. */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;
/** A single-quoted PowerShell string literal whose value is exactly `value`. */
function psQuote(value) {
    if (typeof value !== "string") {
        throw new TypeError(`psQuote expects a string, got ${typeof value}`);
    }
    if (value.includes("\0")) {
        throw new Error("a NUL character cannot be passed to PowerShell");
    }
    return `'${value.replace(SINGLE_QUOTES, (q) => q + q)}'`;
}
/** `@('a', 'b')`: an array literal of quoted strings (`@()` when empty). */
function psArray(values) {
    return `@(${values.map(psQuote).join(", ")})`;
}
/**
 * `[ordered]@{ 'k' = 'v'; ... }` with keys in the record's own order, so rendering is deterministic and
 * follows the caller's order.
 */
function psHashtable(record) {
    const entries = Object.entries(record).map(([k, v]) => `${psQuote(k)} = ${psQuote(v)}`);
    return `[ordered]@{ ${entries.join("; ")} }`;
}
/** A decimal integer literal; throws on anything but a safe integer. */
function psInt(value) {
    if (!Number.isSafeInteger(value)) {
        throw new Error(`not an integer: ${value}`);
    }
    return String(value);
}
