/**
 * Runs PowerShell text under pwsh for the tests that execute step scripts: the executable is
 * `NOVA_PWSH`, else `.tools/pwsh/pwsh` under the project root, else `pwsh` on the PATH. Step scripts are
 * run in parts (`stepSections`): the prelude and setup as rendered, stand-ins for the Windows cmdlets a
 * part calls (defined after the setup, so they replace what it defines), the chosen check blocks and the
 * footer, so the text that runs is the text the host gets.
 */
import { spawnSync } from "node:child_process";
import { describe } from "vitest";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const PWSH = process.env.NOVA_PWSH ?? [resolve(__dirname, "..", "..", ".tools", "pwsh", "pwsh")].find(existsSync) ?? "pwsh";

/** Whether `PWSH` starts. */
export const PWSH_AVAILABLE = spawnSync(PWSH, ["-NoProfile", "-NonInteractive", "-Command", "exit 0"], { stdio: "ignore", timeout: 60_000 }).status === 0;

/**
 * `describe` for tests that execute scripts: without pwsh they say how to get it and skip, unless
 * NOVA_REQUIRE_PWSH=1 (set by .ci/run), where they run and fail.
 */
export const describePwsh = ((): ((name: string, body: () => void) => void) => {
    if (PWSH_AVAILABLE || process.env.NOVA_REQUIRE_PWSH === "1") return describe;
    console.warn(`pwsh not found (${PWSH}): the executed step tests are skipped; get it with \`npm run setup:pwsh\``);
    return describe.skip;
})();

export interface PwshResult {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs `script` as a file; `stdin` is given on standard input. */
export function runPwsh(script: string, stdin = ""): PwshResult {
    const dir = mkdtempSync(join(tmpdir(), "nova-pwsh-"));
    try {
        const file = join(dir, "run.ps1");
        writeFileSync(file, script, "utf8");
        // Run from the temporary directory: anything a script writes by a relative path lands there.
        const r = spawnSync(PWSH, ["-NoProfile", "-NonInteractive", "-File", file], { cwd: dir, input: stdin, encoding: "utf8", timeout: 60_000 });
        if (r.error) throw r.error;
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * Runs whole scripts one after the other in one pwsh process, after `standIns` (so state kept in
 * globals by the stand-ins carries from one script to the next). Each script's failure is printed as
 * `FAILED <message>` on stdout; `after` runs last (e.g. to print the state).
 */
export function runPwshScripts(standIns: string, scripts: readonly string[], after = ""): PwshResult {
    const dir = mkdtempSync(join(tmpdir(), "nova-pwsh-"));
    try {
        return runPwsh(scriptsProgram(dir, standIns, scripts, after));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** The program `runPwshScripts` runs, its scripts written as files into `dir` (which must outlive the run). */
export function scriptsProgram(dir: string, standIns: string, scripts: readonly string[], after = ""): string {
    const stem = mkdtempSync(join(dir, "steps-"));
    const files = scripts.map((text, i) => {
        const file = join(stem, `step${i}.ps1`);
        writeFileSync(file, text, "utf8");
        return file;
    });
    const calls = files.map((f) => `try { & '${f}' } catch { Write-Output ('FAILED ' + $_.Exception.Message) }`);
    return [standIns, ...calls, after, ""].join("\n");
}

/** A rendered create or audit script cut into its prelude+setup, its check blocks (by item) and its footer. */
export interface StepSections {
    readonly head: string;
    readonly blocks: ReadonlyMap<string, string>;
    readonly footer: string;
}

export function stepSections(script: string): StepSections {
    const lines = script.split("\n");
    const isBlockStart = (i: number) => lines[i].startsWith("# ") && (lines[i + 1] ?? "").startsWith("$desired = ");
    const footerAt = lines.findIndex((l) => l.startsWith("if ($NovaFailures.Count -gt 0)") || l.startsWith("Write-NovaJson ([ordered]@{ step = "));
    if (footerAt < 0) throw new Error("no footer in the script");
    const starts = lines.map((_, i) => i).filter((i) => i < footerAt && isBlockStart(i));
    const first = starts.length > 0 ? starts[0] : footerAt;
    const blocks = new Map<string, string>();
    starts.forEach((start, n) => {
        const end = n + 1 < starts.length ? starts[n + 1] : footerAt;
        blocks.set(lines[start].slice(2), lines.slice(start, end).join("\n"));
    });
    return { head: lines.slice(0, first).join("\n"), blocks, footer: lines.slice(footerAt).join("\n") };
}

/**
 * head, stand-ins, the named blocks (in script order) and the footer. Throws on an unknown item. `pre`
 * runs right after the script's `param(...)` line, before its setup (e.g. environment the setup reads).
 */
export function stepProgram(script: string, standIns: string, items: readonly string[] = [], pre = ""): string {
    const s = stepSections(script);
    const chosen = [...s.blocks.keys()].filter((k) => items.includes(k));
    const missing = items.filter((i) => !s.blocks.has(i));
    if (missing.length > 0) throw new Error(`no check ${missing.join(", ")} in the script`);
    const [param, ...rest] = s.head.split("\n");
    return [param, pre, ...rest, standIns, ...chosen.map((k) => s.blocks.get(k)!), s.footer, ""].join("\n");
}

/** `program` with a trap right after its `param(...)` line that writes only the failure's message to stderr. */
export function withTrap(program: string): string {
    const [param, ...rest] = program.split("\n");
    return [param, "trap { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }", ...rest].join("\n");
}

/** The JSON line a step prints last. */
export function stepJson(stdout: string): { step: string; changed?: string[]; items?: unknown[] } {
    const line = stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
    if (line === undefined) throw new Error(`no JSON line in: ${stdout}`);
    return JSON.parse(line);
}
