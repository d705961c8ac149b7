/** shakeHelpers: a step ships exactly the helpers its statements reach, directly or through other helpers. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reachedFunctions, shakeHelpers, splitFunctions } from "../../../components/host/shake";

const SCRIPT = [
    "param($NovaSecrets)",
    "function Get-NovaA { Get-NovaB }",
    "function Get-NovaB {",
    "  return 1",
    "}",
    "function Get-NovaUnused { Get-NovaA }",
    "function Get-NovaC { 'x' }",
    "function Get-NovaCD { 'y' }",
    "Get-NovaA",
    "$x = ${function:get-novac}",
    "Write-Output 'Get-NovaCDE'",
].join("\n");

describe("shakeHelpers", () => {
    it("keeps what the statements reach (also through helpers, in any case, in a string), drops the rest", () => {
        const kept = splitFunctions(shakeHelpers(SCRIPT)).flatMap((u) => (u.name ? [u.name] : []));
        expect(kept).toEqual(["Get-NovaA", "Get-NovaB", "Get-NovaC"]);
        expect(shakeHelpers(SCRIPT)).toContain("Write-Output 'Get-NovaCDE'");
    });

    it("refuses layouts it cannot split exactly", () => {
        expect(() => shakeHelpers("function Get-NovaA {\n  1\n")).toThrow('does not end with a line "}"');
        expect(() => shakeHelpers("$t = @'\nfunction X { }\n'@\n")).toThrow("here-strings");
    });

    it("reaches a name exactly where it is a whole word, case-insensitive (the regex of the rule, as an oracle)", () => {
        const name = fc.constantFrom("Get-NovaA", "Set-NovaB", "Test-Nova_C");
        const piece = fc.constantFrom("Get-NovaA", "get-novaa", "Set-NovaB", "set-novab-x", "xGet-NovaA", "Test-Nova_C", "test-nova_c2", " ", "(", ")", "$", "-", "_", "'", "\n", "{", "}");
        fc.assert(
            fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 3 }), fc.array(piece, { maxLength: 12 }), (names, body) => {
                const text = body.join("");
                const units = [{ text }, ...names.map((n) => ({ name: n, text: `function ${n} { }` }))];
                const oracle = names.filter((n) => new RegExp(`(?<![\\w-])${n.replace(/[-]/g, "\\-")}(?![\\w-])`, "i").test(text)).map((n) => n.toLowerCase());
                expect([...reachedFunctions(units)].sort()).toEqual(oracle.sort());
            }),
        );
    });
});
