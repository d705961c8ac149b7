/**
 * Expressions of the Cloudflare Rules language, built from typed parts.
 *
 * Every string value goes through `quoteRulesString`, the one place that turns text into a
 * string literal of that language: double quotes, with `\` and `"` escaped by a backslash.
 * Control characters have no escape there and are rejected.
 */

/** Field holding the request's host name. */
export const HOST_FIELD = "http.host";
/** Field holding the request's URI path (no query string). */
export const PATH_FIELD = "http.request.uri.path";

// C0 controls and DEL: the Rules language has no escape for them.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * Quote `value` as a double-quoted string literal of the Rules language.
 * @throws Error when `value` holds a control character (U+0000–U+001F, U+007F).
 */
export function quoteRulesString(value: string): string {
    const bad = CONTROL_CHARS.exec(value);
    if (bad) {
        const code = bad[0].charCodeAt(0).toString(16).padStart(4, "0");
        throw new Error(`Cloudflare rule value contains control character U+${code}: ${JSON.stringify(value)}`);
    }
    return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `http.host eq "<host>"` */
export function hostEquals(host: string): string {
    return `${HOST_FIELD} eq ${quoteRulesString(host)}`;
}

/** `http.host eq "<host>"` for one host, `http.host in {"<a>" "<b>"}` for several. */
export function hostIn(hosts: readonly string[]): string {
    if (hosts.length === 0) throw new Error("hostIn needs at least one host");
    return hosts.length === 1 ? hostEquals(hosts[0]) : `${HOST_FIELD} in {${hosts.map(quoteRulesString).join(" ")}}`;
}

/** `http.request.uri.path eq "<path>"` */
export function pathEquals(path: string): string {
    return `${PATH_FIELD} eq ${quoteRulesString(path)}`;
}

/** `starts_with(http.request.uri.path, "<prefix>")` */
export function pathStartsWith(prefix: string): string {
    return `starts_with(${PATH_FIELD}, ${quoteRulesString(prefix)})`;
}

/**
 * Each of `bases` itself or anything below it, as one flat disjunction:
 * `(path eq "/api" or starts_with(path, "/api/") or path eq "/ws" or ...)`.
 */
export function pathAtOrUnder(...bases: readonly string[]): string {
    return anyOf(...bases.flatMap((base) => [pathEquals(base), pathStartsWith(`${base}/`)]));
}

/** Conjunction. `and` binds tighter than `or`, and `anyOf` parenthesises, so no extra parentheses. */
export function allOf(...parts: readonly string[]): string {
    if (parts.length === 0) throw new Error("allOf needs at least one expression");
    return parts.join(" and ");
}

/** Disjunction, parenthesised so it can be combined with `allOf`. */
export function anyOf(...parts: readonly string[]): string {
    if (parts.length === 0) throw new Error("anyOf needs at least one expression");
    return parts.length === 1 ? parts[0] : `(${parts.join(" or ")})`;
}
