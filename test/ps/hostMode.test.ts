/**
 * The host mode switch of the PowerShell suites (NOVA_HOST_MODE, docs/HOST-MODEL.md), executed here:
 * real mode forced on a copy of test/ps without its model directory fails loudly on this machine (no
 * Windows): a non-zero exit and a message naming the missing Windows commands, no skip, and nothing of
 * the model loaded (a dot-source of test/ps/model would fail on the absent folder); the model-only files
 * run nothing there. An unknown mode and a test without a mode tag fail the run. The harness files that
 * run on the Windows runner pass the Windows PowerShell 5.1 profile check. HostCycle and the unknown mode
 * run run-pester.ps1 as its own process; the other runs share one pwsh session (test/support/pwshBatch.ts),
 * each calling run-pester.ps1 with its mode in the environment, so Pester is loaded once.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { windows51Report } from "../../analysis/powershell/compat51";
import { initPowerShellGrammar } from "../../analysis/powershell/grammar";
import { hostMode, preparePsSuite } from "./prepare";
import { findPwsh, PESTER } from "./pwsh";
import { psQuote } from "../../components/powershell";
import { type PwshSession, startPwshSession } from "../support/pwshBatch";

const PS = __dirname;
const pwsh = findPwsh();
const ready = pwsh !== undefined && existsSync(PESTER);
const required = process.env.NOVA_REQUIRE_PWSH === "1";

interface Run {
    status: number | null;
    out: string;
    summary?: { mode: string; passed: number; failed: number; notRun: number; containerErrors: string[]; failures: { name: string; message: string }[]; tests: { modes: string[] }[] };
}

let work = "";
let copy = "";
let suite = "";

/** run-pester.ps1 of the copy on one of its Pester files, with NOVA_HOST_MODE=mode. */
function runPester(file: string, mode: string): Run {
    const out = join(work, `${file}.${mode}.json`);
    rmSync(out, { force: true });
    const r = spawnSync(pwsh!, ["-NoProfile", "-NonInteractive", "-File", join(copy, "run-pester.ps1"), "-Path", join(copy, file), "-Out", out, "-Pester", PESTER], {
        env: { ...process.env, NOVA_HOST_MODE: mode, NOVA_PS_SUITE: suite },
        encoding: "utf8",
        timeout: 120_000,
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}`, summary: existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : undefined };
}

let session: PwshSession | undefined;
afterAll(() => session?.close());

/** runPester's run, as a program of the file's pwsh session: the same script, arguments, environment and exit code. */
async function runPesterInSession(file: string, mode: string): Promise<Run> {
    session ??= startPwshSession();
    const out = join(work, `${file}.${mode}.json`);
    rmSync(out, { force: true });
    const r = await session.run(
        [
            `$env:NOVA_HOST_MODE = ${psQuote(mode)}`,
            `$env:NOVA_PS_SUITE = ${psQuote(suite)}`,
            `& ${psQuote(join(copy, "run-pester.ps1"))} -Path ${psQuote(join(copy, file))} -Out ${psQuote(out)} -Pester ${psQuote(PESTER)}`,
            "exit $LASTEXITCODE",
        ].join("\n"),
    );
    return { status: r.status, out: `${r.stdout}${r.stderr}`, summary: existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : undefined };
}

describe("NOVA_HOST_MODE", () => {
    it("is model by default, real on request, an error naming the accepted values otherwise", () => {
        expect(hostMode(undefined)).toBe("model");
        expect(hostMode("")).toBe("model");
        expect(hostMode("real")).toBe("real");
        expect(() => hostMode("windows")).toThrow("NOVA_HOST_MODE is 'windows': accepted values are model (the default) and real");
    });
});

describe.runIf(ready || required)("the suites in real mode, here (no Windows), without the model", () => {
    beforeAll(async () => {
        if (!ready) throw new Error("pwsh and Pester are not installed: run `npm run setup:pwsh` (NOVA_REQUIRE_PWSH=1 makes this a failure)");
        work = mkdtempSync(join(tmpdir(), "nova-host-mode-"));
        copy = join(work, "ps");
        cpSync(PS, copy, { recursive: true, filter: (src) => src !== join(PS, "model") });
        suite = join(work, "suite");
        await preparePsSuite(suite, "real");
    }, 60_000);
    afterAll(() => {
        if (work) rmSync(work, { recursive: true, force: true });
    });

    it("the copy has no model directory; the real-mode manifest has no fixtures and the program's own tool pins", () => {
        expect(existsSync(join(copy, "model"))).toBe(false);
        expect(existsSync(join(copy, "HostCycle.Tests.ps1"))).toBe(true);
        const manifest = JSON.parse(readFileSync(join(suite, "manifest.json"), "utf8"));
        expect(manifest.mode).toBe("real");
        expect(manifest.fixtures).toEqual({});
        expect(manifest.bootstrap.arguments).toMatch(/^-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/=]+$/);
        const tools = readFileSync(manifest.variants.prod.steps.find((s: { step: string }) => s.step === "tools").create, "utf8");
        expect(tools).toContain("https://nssm.cc/");
    });

    it("HostCycle fails loudly: exit 1, every test failed with the missing Windows commands named, nothing of the model loaded", () => {
        const r = runPester("HostCycle.Tests.ps1", "real");
        expect(r.status, r.out.slice(-3000)).toBe(1);
        const s = r.summary!;
        expect(s.mode).toBe("real");
        expect(s.passed).toBe(0);
        expect(s.failed).toBeGreaterThan(0);
        // the file's BeforeAll (the mode switch) fails: Pester reports it once and fails every test under it
        expect(s.containerErrors.length).toBe(1);
        expect(s.failed).toBe(s.tests.filter((t) => t.modes.includes("Real")).length);
        const messages = [...s.containerErrors, ...s.failures.map((f) => f.message).filter((m) => m !== "")];
        for (const m of messages) {
            expect(m).toContain("real mode (NOVA_HOST_MODE=real): the Windows command(s) Get-Service, Get-CimInstance, Get-NetFirewallRule, New-NetFirewallRule, Get-Acl, powershell.exe, sc.exe are missing");
            expect(m).not.toMatch(/model[\\/]/i);
        }
        expect(r.out).not.toMatch(/model[\\/](Model|Sandbox|State)\.ps1/);
    }, 60_000);

    it.each(["Faults.Tests.ps1", "Guide.Tests.ps1", "Model.Tests.ps1", "WindowsAcl.Tests.ps1", "WindowsBehaviour.Tests.ps1"])("%s (model only) runs nothing and loads nothing of the model", async (file) => {
        const r = await runPesterInSession(file, "real");
        expect(r.status, r.out.slice(-3000)).toBe(0);
        expect(r.summary!.passed + r.summary!.failed).toBe(0);
        expect(r.summary!.containerErrors).toEqual([]);
        expect(r.summary!.tests.length).toBeGreaterThan(0);
        for (const t of r.summary!.tests) expect(t.modes).toEqual(["Model"]);
    }, 60_000);

    it("an unknown mode fails before any test, naming the value and the accepted ones", () => {
        const r = runPester("HostCycle.Tests.ps1", "windows");
        expect(r.status).not.toBe(0);
        expect(r.out).toContain("NOVA_HOST_MODE is 'windows': accepted values are model (the default) and real");
        expect(r.summary).toBeUndefined();
    });

    it("a test without a mode tag fails the run, in either mode", async () => {
        writeFileSync(join(copy, "Untagged.Tests.ps1"), "Describe 'planted' {\n  It 'has no mode tag' { 1 | Should -Be 1 }\n}\nDescribe 'tagged' -Tag Model, Real {\n  It 'runs' { 1 | Should -Be 1 }\n}\n");
        for (const mode of ["model", "real"]) {
            const r = await runPesterInSession("Untagged.Tests.ps1", mode);
            expect(r.status, mode).toBe(1);
            expect(r.summary!.passed, mode).toBe(1);
            expect(r.summary!.containerErrors, mode).toEqual(["planted.has no mode tag: no mode tag (-Tag Model, Real or both; docs/HOST-MODEL.md)"]);
        }
    }, 120_000);
});

describe("the real-mode harness on Windows PowerShell 5.1", () => {
    const files = ["Suite.ps1", "Host.ps1", "run-pester.ps1", "host/Record.ps1", "host/OnWindows.ps1", "host/OnModel.ps1"];
    beforeAll(async () => {
        await initPowerShellGrammar();
    });

    it("passes the 5.1 profile check (Pester's commands and the harness's own functions known)", () => {
        const texts = Object.fromEntries(files.map((f) => [f, readFileSync(join(PS, f), "utf8")]));
        const defined = Object.values(texts).flatMap((t) => [...t.matchAll(/^\s*function ([\w-]+)/gm)].map((m) => m[1]));
        const pester = ["Invoke-Pester", "New-PesterConfiguration", "Get-CurrentTest"];
        // functions of the model (OnModel.ps1 wraps them; they are not loaded in real mode)
        const model = ["New-ModelSandbox", "Initialize-ModelHost", "Remove-ModelSandbox", "Invoke-ModelStep", "Add-ModelUnrelated", "Get-ModelUnrelated", "Get-ModelIssuedCertificate", "Get-ModelFileText"];
        const scriptFunctions = new Set([...defined, ...pester, ...model]);
        const problems = Object.fromEntries(files.map((f) => [f, windows51Report(texts[f], { scriptFunctions }).problems]));
        expect(problems).toEqual(Object.fromEntries(files.map((f) => [f, []])));
    });

    it("HostCycle's tests of real mode pass it too (problems only inside its ModelOnly tests)", () => {
        const text = readFileSync(join(PS, "HostCycle.Tests.ps1"), "utf8");
        const lines = text.split("\n");
        // 1-based line ranges of the ModelOnly tests: from their It line to the closing brace at their indentation
        const modelOnly: [number, number][] = [];
        lines.forEach((l, i) => {
            const m = /^(\s*)It .*-Tag ModelOnly \{$/.exec(l);
            if (m) modelOnly.push([i + 1, i + 1 + lines.slice(i).findIndex((x) => x === `${m[1]}}`)]);
        });
        expect(modelOnly.length).toBe(1);
        const defined = ["Suite.ps1", "host/Record.ps1", "host/OnWindows.ps1"].flatMap((f) => [...readFileSync(join(PS, f), "utf8").matchAll(/^\s*function ([\w-]+)/gm)].map((m) => m[1]));
        const scriptFunctions = new Set([...defined, "Describe", "It", "BeforeDiscovery", "BeforeAll", "AfterAll", "Should"]);
        const problems = windows51Report(text, { scriptFunctions, extraNative: ["openssl.exe"] }).problems;
        const outside = problems.filter((p) => {
            const line = Number(/^line (\d+):/.exec(p)?.[1]);
            return !modelOnly.some(([a, b]) => line >= a && line <= b);
        });
        expect(outside).toEqual([]);
        expect(problems.some((p) => p.includes("SkipCertificateCheck"))).toBe(true);
    });

    it("refuses a 7-only construct planted in the harness", () => {
        const text = `${readFileSync(join(PS, "Suite.ps1"), "utf8")}\n$x = ConvertFrom-Json -InputObject '{}' -AsHashtable\n$y = $null ?? 1\n`;
        expect(windows51Report(text).problems.length).toBeGreaterThanOrEqual(2);
    });

    it("every Pester file's BeforeAll goes through the mode switch, and discovery reads the manifest without the model", () => {
        for (const f of readdirSync(PS).filter((n) => n.endsWith(".Tests.ps1"))) {
            const text = readFileSync(join(PS, f), "utf8");
            expect(text, f).not.toMatch(/model[\\/](Model|Sandbox)\.ps1/);
            expect(text, f).toContain(". (Join-Path $PSScriptRoot 'Host.ps1')");
        }
    });
});
