"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const fast_check_1 = __importDefault(require("fast-check"));
const vitest_1 = require("vitest");
const expressions_1 = require("../../components/edge/expressions");
/**
 * Reads one double-quoted Rules-language string literal starting at `text[0]`, the way
 * Cloudflare's parser does (`\\` and `\"` are the escapes). Returns the value and where it ends.
 */
function decodeLiteral(text) {
    if (text[0] !== '"')
        throw new Error("not a string literal");
    let value = "";
    for (let i = 1; i < text.length; i++) {
        const c = text[i];
        if (c === "\\") {
            const next = text[i + 1];
            if (next !== "\\" && next !== '"')
                throw new Error(`bad escape at ${i}`);
            value += next;
            i++;
        }
        else if (c === '"') {
            return { value, end: i + 1 };
        }
        else {
            value += c;
        }
    }
    throw new Error("unterminated literal");
}
const CONTROL = /[\u0000-\u001f\u007f]/;
// Characters that matter to the literal's syntax come often; any other code point sometimes.
const unit = fast_check_1.default.oneof({ arbitrary: fast_check_1.default.constantFrom('"', "\\", "'", ")", " ", "a", "é"), weight: 3 }, { arbitrary: fast_check_1.default.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 1 });
const printable = fast_check_1.default.string({ unit }).filter((s) => !CONTROL.test(s));
(0, vitest_1.describe)("quoteRulesString", () => {
    (0, vitest_1.it)("quotes and escapes backslash and double quote", () => {
        (0, vitest_1.expect)((0, expressions_1.quoteRulesString)("plain")).toBe('"plain"');
        (0, vitest_1.expect)((0, expressions_1.quoteRulesString)('a"b')).toBe('"a\\"b"');
        (0, vitest_1.expect)((0, expressions_1.quoteRulesString)("a\\b")).toBe('"a\\\\b"');
        (0, vitest_1.expect)((0, expressions_1.quoteRulesString)('\\"')).toBe('"\\\\\\""');
        (0, vitest_1.expect)((0, expressions_1.quoteRulesString)("")).toBe('""');
    });
    (0, vitest_1.it)("round-trips through the decoder and the literal ends exactly at its end", () => {
        fast_check_1.default.assert(fast_check_1.default.property(printable, (s) => {
            const quoted = (0, expressions_1.quoteRulesString)(s);
            (0, vitest_1.expect)(decodeLiteral(quoted)).toEqual({ value: s, end: quoted.length });
        }), { numRuns: 2000 });
    });
    (0, vitest_1.it)("never lets a value break out of the literal inside an expression", () => {
        fast_check_1.default.assert(fast_check_1.default.property(printable, (s) => {
            const expr = (0, expressions_1.hostEquals)(s);
            const literal = expr.slice("http.host eq ".length);
            (0, vitest_1.expect)(decodeLiteral(literal)).toEqual({ value: s, end: literal.length });
        }));
    });
    (0, vitest_1.it)("rejects every control character", () => {
        fast_check_1.default.assert(fast_check_1.default.property(printable, fast_check_1.default.integer({ min: 0, max: 0x1f }).chain((c) => fast_check_1.default.constantFrom(c, 0x7f)), printable, (a, code, b) => {
            (0, vitest_1.expect)(() => (0, expressions_1.quoteRulesString)(a + String.fromCharCode(code) + b)).toThrow(/control character/);
        }));
        (0, vitest_1.expect)(() => (0, expressions_1.quoteRulesString)("a\nb")).toThrow("U+000a");
    });
});
(0, vitest_1.describe)("expression builders", () => {
    (0, vitest_1.it)("builds the documented shapes", () => {
        (0, vitest_1.expect)((0, expressions_1.allOf)((0, expressions_1.hostEquals)("h.example"), (0, expressions_1.pathEquals)("/"))).toBe('http.host eq "h.example" and http.request.uri.path eq "/"');
        (0, vitest_1.expect)((0, expressions_1.pathStartsWith)("/api/")).toBe('starts_with(http.request.uri.path, "/api/")');
        (0, vitest_1.expect)((0, expressions_1.pathAtOrUnder)("/api", "/ws")).toBe('(http.request.uri.path eq "/api" or starts_with(http.request.uri.path, "/api/")' +
            ' or http.request.uri.path eq "/ws" or starts_with(http.request.uri.path, "/ws/"))');
        (0, vitest_1.expect)((0, expressions_1.anyOf)("a")).toBe("a");
        (0, vitest_1.expect)(() => (0, expressions_1.allOf)()).toThrow();
        (0, vitest_1.expect)(() => (0, expressions_1.anyOf)()).toThrow();
    });
});
