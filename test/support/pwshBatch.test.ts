/**
 * The batch runner (test/support/pwshBatch.ts) gives each program what `pwsh -File` gives it alone
 * (the expected values are runPwsh's): output, exit codes, and nothing carried from one program to the next;
 * a session the same, program by program as the test asks.
 */
import { expect, it } from "vitest";
import { describePwsh } from "./pwsh";
import { runPwshEach, startPwshSession } from "./pwshBatch";

describePwsh("several programs in one pwsh", () => {
    it("each has its own stdout, stderr and exit code, and starts from a clean session", () => {
        const programs: [string, { status: number; stdout: string; stderr: string }][] = [
            ["Write-Output 'a'\n[Console]::Out.WriteLine('b')\nWrite-Output 'c'", { status: 0, stdout: "a\nb\nc\n", stderr: "" }],
            ["param($x)\ntrap { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }\n$ErrorActionPreference = 'Stop'\nWrite-Output 'x'\nthrow 'boom'", { status: 1, stdout: "x\n", stderr: "boom\n" }],
            // at its end a program exits 0, whatever its last native command answered
            ["bash -c 'exit 3'\nWrite-Output 'after'", { status: 0, stdout: "after\n", stderr: "" }],
            ["exit 7", { status: 7, stdout: "", stderr: "" }],
            ["$global:Leak = 5; $Plain = 6; function Leaky { 1 }; $env:NOVA_BATCH_LEAK = 'x'; Set-Location /; $WarningPreference = 'SilentlyContinue'", { status: 0, stdout: "", stderr: "" }],
            [
                "Write-Output ([string]$global:Leak + '|' + [string]$Plain + '|' + [string](Get-Command Leaky -ErrorAction SilentlyContinue) + '|' + [string]$env:NOVA_BATCH_LEAK + '|' + ((Get-Location).Path -eq '/') + '|' + $WarningPreference + '|' + $ErrorActionPreference)",
                { status: 0, stdout: "||||False|Continue|Continue\n", stderr: "" },
            ],
            ["[Console]::Out.Write('no newline')", { status: 0, stdout: "no newline", stderr: "" }],
        ];
        const results = runPwshEach(programs.map(([p]) => p));
        expect(results).toEqual(programs.map(([, want]) => want));
    });

    it("an unhandled error ends its program with 1 and its message on stderr, and the next one runs", () => {
        const [failed, next] = runPwshEach(["$ErrorActionPreference = 'Stop'\nthrow 'uncaught'\nWrite-Output 'not reached'", "Write-Output 'next'"]);
        expect(failed.status).toBe(1);
        expect(failed.stdout).toBe("");
        expect(failed.stderr).toContain("uncaught");
        expect(next).toEqual({ status: 0, stdout: "next\n", stderr: "" });
    });

    it("a session runs each program when asked, apart from the others, until closed", async () => {
        const session = startPwshSession();
        try {
            expect(await session.run("$global:Leak = 1\n[Console]::Error.WriteLine('to stderr')\nexit 4")).toEqual({ status: 4, stdout: "", stderr: "to stderr\n" });
            const [a, b] = await Promise.all([session.run("Write-Output ([string]$global:Leak + '|a')"), session.run("trap { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }\nthrow 'b failed'")]);
            expect(a).toEqual({ status: 0, stdout: "|a\n", stderr: "" });
            expect(b).toEqual({ status: 1, stdout: "", stderr: "b failed\n" });
        } finally {
            await session.close();
        }
    });
});
