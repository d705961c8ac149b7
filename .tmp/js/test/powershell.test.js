"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const fast_check_1 = __importDefault(require("fast-check"));
const vitest_1 = require("vitest");
const powershell_1 = require("../components/powershell");
const powershellParse_1 = require("./powershellParse");
(0, vitest_1.beforeAll)(powershellParse_1.initPowerShellParser);
const tricky = fast_check_1.default.constantFrom("'", "\u2018", "\u2019", "\u201A", "\u201B", "`", "$", "$(x)", "${env:PATH}", "\n", "\r\n", "@(", ")", "@{", "}", "\"", "#", "<#", "#>", ";", "|", "&", "é", "日本", "😀", "\t", " ", "\\", "%", "--%", "\u00A0");
const trickyString = fast_check_1.default
    .array(fast_check_1.default.oneof(tricky, fast_check_1.default.string(), fast_check_1.default.string({ unit: "grapheme" })), { maxLength: 12 })
    .map((parts) => parts.join("").replace(/\0/g, ""));
(0, vitest_1.describe)("psQuote", () => {
    (0, vitest_1.it)("round-trips any string through PowerShell's grammar", () => {
        fast_check_1.default.assert(fast_check_1.default.property(trickyString, (s) => {
            const script = `$x = ${(0, powershell_1.psQuote)(s)}\n`;
            (0, vitest_1.expect)((0, powershellParse_1.syntaxProblems)(script)).toEqual([]);
            const literals = (0, powershellParse_1.nodesOfType)((0, powershellParse_1.parsePowerShell)(script), "verbatim_string_characters");
            (0, vitest_1.expect)(literals).toHaveLength(1);
            (0, vitest_1.expect)((0, powershellParse_1.decodeSingleQuoted)(literals[0].text)).toBe(s);
        }), { numRuns: 1500 });
    });
    (0, vitest_1.it)("doubles ASCII and typographic single quotes", () => {
        (0, vitest_1.expect)((0, powershell_1.psQuote)("it's")).toBe("'it''s'");
        (0, vitest_1.expect)((0, powershell_1.psQuote)("a\u2019b\u2018c\u201Ad\u201Be")).toBe("'a\u2019\u2019b\u2018\u2018c\u201A\u201Ad\u201B\u201Be'");
        (0, vitest_1.expect)((0, powershell_1.psQuote)("$env:X `n")).toBe("'$env:X `n'");
    });
    (0, vitest_1.it)("rejects NUL", () => {
        (0, vitest_1.expect)(() => (0, powershell_1.psQuote)("a\0b")).toThrow(/NUL/);
    });
    (0, vitest_1.it)("the decoder refuses a lone typographic quote, so an unescaped one would be caught", () => {
        (0, vitest_1.expect)(() => (0, powershellParse_1.decodeSingleQuoted)("'a\u2019b'")).toThrow(/unescaped/);
    });
});
(0, vitest_1.describe)("psArray / psHashtable / psInt", () => {
    (0, vitest_1.it)("builds arrays of quoted values", () => {
        (0, vitest_1.expect)((0, powershell_1.psArray)(["a", "b'c"])).toBe("@('a', 'b''c')");
        (0, vitest_1.expect)((0, powershell_1.psArray)([])).toBe("@()");
        (0, vitest_1.expect)((0, powershellParse_1.syntaxProblems)(`$a = ${(0, powershell_1.psArray)(["x", "it\u2019s", "$y"])}`)).toEqual([]);
    });
    (0, vitest_1.it)("builds ordered hashtables in insertion order", () => {
        const text = (0, powershell_1.psHashtable)({ B: "2", A: "o'k" });
        (0, vitest_1.expect)(text).toBe("[ordered]@{ 'B' = '2'; 'A' = 'o''k' }");
        (0, vitest_1.expect)((0, powershellParse_1.syntaxProblems)(`$h = ${text}`)).toEqual([]);
    });
    (0, vitest_1.it)("accepts only safe integers", () => {
        (0, vitest_1.expect)((0, powershell_1.psInt)(8000)).toBe("8000");
        (0, vitest_1.expect)(() => (0, powershell_1.psInt)(1.5)).toThrow();
        (0, vitest_1.expect)(() => (0, powershell_1.psInt)(Number.NaN)).toThrow();
    });
});
