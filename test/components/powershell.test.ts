import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { PS_QUOTED_LINE_PATTERN, psArray, psHashtable, psInt, psQuote } from "../../components/powershell";
import { initPowerShellParser, decodeSingleQuoted, nodesOfType, parsePowerShell, syntaxProblems } from "../support/powershellParse";

beforeAll(initPowerShellParser);

const tricky = fc.constantFrom(
    "'", "\u2018", "\u2019", "\u201A", "\u201B", "`", "$", "$(x)", "${env:PATH}", "\n", "\r\n", "@(", ")", "@{",
    "}", "\"", "#", "<#", "#>", ";", "|", "&", "é", "日本", "😀", "\t", " ", "\\", "%", "--%", "\u00A0",
);
const trickyString = fc
    .array(fc.oneof(tricky, fc.string(), fc.string({ unit: "grapheme" })), { maxLength: 12 })
    .map((parts) => parts.join("").replace(/\0/g, ""));

describe("psQuote", () => {
    it("round-trips any string through PowerShell's grammar", () => {
        fc.assert(
            fc.property(trickyString, (s) => {
                const script = `$x = ${psQuote(s)}\n`;
                expect(syntaxProblems(script)).toEqual([]);
                const literals = nodesOfType(parsePowerShell(script), "verbatim_string_characters");
                expect(literals).toHaveLength(1);
                expect(decodeSingleQuoted(literals[0].text)).toBe(s);
            }),
            { numRuns: 1500 },
        );
    });

    it("doubles ASCII and typographic single quotes", () => {
        expect(psQuote("it's")).toBe("'it''s'");
        expect(psQuote("a\u2019b\u2018c\u201Ad\u201Be")).toBe("'a\u2019\u2019b\u2018\u2018c\u201A\u201Ad\u201B\u201Be'");
        expect(psQuote("$env:X `n")).toBe("'$env:X `n'");
    });

    it("rejects NUL", () => {
        expect(() => psQuote("a\0b")).toThrow(/NUL/);
    });

    it("the decoder refuses a lone typographic quote, so an unescaped one would be caught", () => {
        expect(() => decodeSingleQuoted("'a\u2019b'")).toThrow(/unescaped/);
    });
});

describe("psArray / psHashtable / psInt", () => {
    it("builds arrays of quoted values", () => {
        expect(psArray(["a", "b'c"])).toBe("@('a', 'b''c')");
        expect(psArray([])).toBe("@()");
        expect(syntaxProblems(`$a = ${psArray(["x", "it\u2019s", "$y"])}`)).toEqual([]);
    });

    it("builds ordered hashtables in insertion order", () => {
        const text = psHashtable({ B: "2", A: "o'k" });
        expect(text).toBe("[ordered]@{ 'B' = '2'; 'A' = 'o''k' }");
        expect(syntaxProblems(`$h = ${text}`)).toEqual([]);
    });

    it("accepts only safe integers", () => {
        expect(psInt(8000)).toBe("8000");
        expect(() => psInt(1.5)).toThrow();
        expect(() => psInt(Number.NaN)).toThrow();
    });
});

describe("PS_QUOTED_LINE_PATTERN", () => {
    const whole = new RegExp(`^${PS_QUOTED_LINE_PATTERN}$`);
    it("matches psQuote of every value without a line break", () => {
        fc.assert(fc.property(fc.oneof(fc.string(), fc.array(tricky).map((a) => a.join(""))).filter((v) => !/[\r\n\0]/.test(v)), (v) => {
            expect(psQuote(v)).toMatch(whole);
        }));
    });
    it("matches no literal followed by more code, nor a quote left single", () => {
        for (const text of ["'a' + $x + 'b'", "'a'; Remove-Item C:\\ ; 'b'", "'it\u2019s'", "'a\nb'", "'a''"]) expect(text).not.toMatch(whole);
    });
});
