/**
 * What the remote commands carry: each step of the committed stacks within its byte budget
 * (scripts/shared/planning/stepBytes.ts), no helper shipped to a step that does not use it (components/host/shake.ts),
 * nothing of a step's script on its command line as well as in its stdin, every command line within
 * cmd.exe's limit.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CMD_LINE_LIMIT, decodePowerShellCommand, INLINE_LIMIT, splitStdin } from "../../../../components/host/bootstrap";
import { reachedFunctions, shakeHelpers, splitFunctions } from "../../../../components/host/shake";
import { isCommand } from "../../../../scripts/shared/planning/commands";
import type { Plan } from "../../../../scripts/shared/planning/plan";
import { revealWire } from "../../../../scripts/shared/planning/redact";
import { hostStepBytes, overBudget, STEP_BYTE_BUDGETS } from "../../../../scripts/shared/planning/stepBytes";
import { plan } from "../../../support/harness";
import { stdinText } from "../../../support/stdin";

const plans: Record<string, Plan> = {};
beforeAll(async () => {
    for (const stack of ["prod", "staging"]) plans[stack] = await plan(stack);
}, 60_000);

function text(value: unknown): string {
    const plain = revealWire<unknown>(value);
    return typeof plain === "string" ? plain : "";
}

/** Names of the functions a script defines at top level. */
function defined(script: string): string[] {
    return splitFunctions(script).flatMap((u) => (u.name ? [u.name] : []));
}

describe.each(["prod", "staging"])("%s", (stack) => {
    it("every step's create + stdin is within its budget", () => {
        const p = plans[stack];
        const bytes = hostStepBytes(p.run.resources, p.config.hosts[0].name);
        expect(Object.keys(bytes).length).toBeGreaterThan(5);
        expect(overBudget(bytes)).toEqual([]);
    });

    it("ships only reached helpers: every function a step's stdin or delete defines is used in it", () => {
        for (const r of plans[stack].run.resources.filter(isCommand)) {
            const parts = splitStdin(stdinText(r.inputs.stdin));
            expect(parts.create, r.name).toMatch(/^param\(\$NovaSecrets\)\n/);
            for (const script of [parts.create, parts.delete ?? ""].filter((s) => s.length > 0)) {
                const units = splitFunctions(script);
                const all = defined(script).map((n) => n.toLowerCase()).sort();
                expect({ step: r.name, defined: all }).toEqual({ step: r.name, defined: [...reachedFunctions(units)].sort() });
            }
        }
    });

    it(`every create, update and delete command line is at most ${INLINE_LIMIT} characters (cmd.exe: ${CMD_LINE_LIMIT})`, () => {
        const lines = plans[stack].run.resources.filter(isCommand).flatMap((r) => (["create", "update", "delete"] as const).map((k) => ({ step: r.name, k, n: text(r.inputs[k]).length })));
        expect(lines.filter((l) => l.k === "delete" && l.n > 0).length).toBeGreaterThan(3);
        expect(lines.filter((l) => l.n > INLINE_LIMIT)).toEqual([]);
    });

    it("no function is both on a step's command line and in its stdin", () => {
        for (const r of plans[stack].run.resources.filter(isCommand)) {
            const line = text(r.inputs.create);
            const encoded = /-EncodedCommand (\S+)/.exec(line);
            const create = encoded ? decodePowerShellCommand(encoded[1]) : line;
            const inStdin = new Set(defined(stdinText(r.inputs.stdin)));
            if (!r.name.endsWith("-health")) expect(inStdin.size, r.name).toBeGreaterThan(0);
            expect({ step: r.name, both: defined(create).filter((n) => inStdin.has(n)) }).toEqual({ step: r.name, both: [] });
            expect(create.length, r.name).toBeLessThan(1500);
        }
    });
});

describe("byte budgets", () => {
    it("name every step over its budget, and steps without one", () => {
        expect(overBudget({ preflight: STEP_BYTE_BUDGETS.preflight, tools: STEP_BYTE_BUDGETS.tools + 1, other: 1 })).toEqual([
            `tools: ${STEP_BYTE_BUDGETS.tools + 1} > ${STEP_BYTE_BUDGETS.tools}`,
            "other: 1 > no budget",
        ]);
    });
});

describe("shakeHelpers", () => {
    const script = [
        "param($NovaSecrets)",
        "function Get-A { return (Get-B) }",
        "function Get-B {",
        "  return 'b {0}' -f (Get-C)",
        "}",
        "function Get-C { 'c' }",
        "function Get-Dead {",
        "  Get-Unused2",
        "}",
        "function Get-Unused2 { 'u' }",
        "function Set-Named { 'n' }",
        "$x = get-a",
        "$f = ${function:Set-Named}",
        "Write-Output 'Get-Dead-Not'",
        "",
    ].join("\n");

    it("keeps the functions the statements reach, through other functions, case-insensitively, and drops the rest", () => {
        const out = shakeHelpers(script);
        expect(defined(out)).toEqual(["Get-A", "Get-B", "Get-C", "Set-Named"]);
        expect(out).toContain("function Get-B {\n  return 'b {0}' -f (Get-C)\n}\n");
        expect(out.endsWith("Write-Output 'Get-Dead-Not'\n")).toBe(true);
    });

    it("changes nothing when every function is used", () => {
        const used = "function Get-X { 1 }\nGet-X\n";
        expect(shakeHelpers(used)).toBe(used);
    });

    it("refuses layouts it cannot split exactly", () => {
        expect(() => shakeHelpers("function Get-X {\n  1\n  }\nGet-X\n")).toThrow('function Get-X does not end with a line "}"');
        expect(() => shakeHelpers("function Get-X {\nfunction Get-Y { 1 }\n}\nGet-X\n")).toThrow("holds a column-0 function line");
        expect(() => shakeHelpers("$t = @'\n}\n'@\n")).toThrow("here-strings are not supported");
    });
});
