import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
    allOf, anyOf, hostEquals, pathAtOrUnder, pathEquals, pathStartsWith, quoteRulesString,
} from "../../../components/edge/expressions";

/**
 * Reads one double-quoted Rules-language string literal starting at `text[0]`, the way
 * Cloudflare's parser does (`\\` and `\"` are the escapes). Returns the value and where it ends.
 */
function decodeLiteral(text: string): { value: string; end: number } {
    if (text[0] !== '"') throw new Error("not a string literal");
    let value = "";
    for (let i = 1; i < text.length; i++) {
        const c = text[i];
        if (c === "\\") {
            const next = text[i + 1];
            if (next !== "\\" && next !== '"') throw new Error(`bad escape at ${i}`);
            value += next;
            i++;
        } else if (c === '"') {
            return { value, end: i + 1 };
        } else {
            value += c;
        }
    }
    throw new Error("unterminated literal");
}

const CONTROL = /[\u0000-\u001f\u007f]/;
// Characters that matter to the literal's syntax come often; any other code point sometimes.
const unit = fc.oneof(
    { arbitrary: fc.constantFrom('"', "\\", "'", ")", " ", "a", "é"), weight: 3 },
    { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 1 },
);
const printable = fc.string({ unit }).filter((s) => !CONTROL.test(s));

describe("quoteRulesString", () => {
    it("quotes and escapes backslash and double quote", () => {
        expect(quoteRulesString("plain")).toBe('"plain"');
        expect(quoteRulesString('a"b')).toBe('"a\\"b"');
        expect(quoteRulesString("a\\b")).toBe('"a\\\\b"');
        expect(quoteRulesString('\\"')).toBe('"\\\\\\""');
        expect(quoteRulesString("")).toBe('""');
    });

    it("round-trips through the decoder and the literal ends exactly at its end", () => {
        fc.assert(
            fc.property(printable, (s) => {
                const quoted = quoteRulesString(s);
                expect(decodeLiteral(quoted)).toEqual({ value: s, end: quoted.length });
            }),
            { numRuns: 2000 },
        );
    });

    it("never lets a value break out of the literal inside an expression", () => {
        fc.assert(
            fc.property(printable, (s) => {
                const expr = hostEquals(s);
                const literal = expr.slice("http.host eq ".length);
                expect(decodeLiteral(literal)).toEqual({ value: s, end: literal.length });
            }),
        );
    });

    it("rejects every control character", () => {
        fc.assert(
            fc.property(printable, fc.integer({ min: 0, max: 0x1f }).chain((c) => fc.constantFrom(c, 0x7f)), printable,
                (a, code, b) => {
                    expect(() => quoteRulesString(a + String.fromCharCode(code) + b)).toThrow(/control character/);
                }),
        );
        expect(() => quoteRulesString("a\nb")).toThrow("U+000a");
    });
});

describe("expression builders", () => {
    it("builds the documented shapes", () => {
        expect(allOf(hostEquals("h.example"), pathEquals("/"))).toBe(
            'http.host eq "h.example" and http.request.uri.path eq "/"',
        );
        expect(pathStartsWith("/api/")).toBe('starts_with(http.request.uri.path, "/api/")');
        expect(pathAtOrUnder("/api", "/ws")).toBe(
            '(http.request.uri.path eq "/api" or starts_with(http.request.uri.path, "/api/")' +
                ' or http.request.uri.path eq "/ws" or starts_with(http.request.uri.path, "/ws/"))',
        );
        expect(anyOf("a")).toBe("a");
        expect(() => allOf()).toThrow();
        expect(() => anyOf()).toThrow();
    });
});
