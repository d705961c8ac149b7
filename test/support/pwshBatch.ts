/**
 * Runs several independent PowerShell programs in one pwsh process, each as `runPwsh` runs it alone
 * (`pwsh -File`): dot-sourced at the global scope (where -File runs a script), in a fresh folder of its
 * own, its output through Out-Default to the console host, its stdout, stderr and exit code apart. One
 * process start (about 0.8 s of CPU) for all of them instead of one each.
 *
 * Between programs the driver puts back what a program could leave in the session: global variables
 * (new ones removed, changed ones such as $ErrorActionPreference reset, `$Error` cleared), functions,
 * environment variables, the location. A program ends as under -File: with its `exit N` (N), at its end
 * (0, whatever native command ran last), or by an error it does not handle (1). Error records the
 * console host renders (an unhandled error, Write-Error) carry the driver's position instead of
 * -File's concise form: for programs whose stderr is their own ([Console]::Error, as a trap writes it).
 * Not for programs that read stdin, or that add .NET types (Add-Type) another would add again.
 * test/support/pwshBatch.test.ts shows each of these against what -File gives.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { psQuote } from "../../components/powershell";
import { beforeAll } from "vitest";
import { PWSH, PWSH_AVAILABLE, type PwshResult } from "./pwsh";

/** Marks the start and end of a program's streams; the driver writes them around each program. */
const MARK = "<<nova-pwsh-batch>>";

/**
 * The driver: runs each program file that $NovaBatch.Next gives (<next>: the files of a batch, or the
 * lines a session reads on stdin) until it gives none.
 */
const DRIVER = String.raw`$NovaBatch = @{ Files = @(<files>); I = 0; Code = 0 }
$NovaBatch.Next = <next>
function Reset-NovaBatchSession {
  foreach ($v in @(Get-Variable -Scope Global)) {
    if (-not $NovaBatch.Globals.ContainsKey($v.Name)) { Remove-Variable -Name $v.Name -Scope Global -Force -ErrorAction SilentlyContinue }
    elseif (($v.Options -band [System.Management.Automation.ScopedItemOptions]'ReadOnly, Constant') -eq 0 -and -not [object]::ReferenceEquals($v.Value, $NovaBatch.Globals[$v.Name])) { Set-Variable -Name $v.Name -Scope Global -Value $NovaBatch.Globals[$v.Name] -Force -ErrorAction SilentlyContinue }
  }
  foreach ($f in @(Get-ChildItem Function: | Where-Object { $NovaBatch.Functions -notcontains $_.Name })) { Remove-Item -LiteralPath ('Function:\' + $f.Name) -Force }
  $now = [Environment]::GetEnvironmentVariables()
  foreach ($k in @($now.Keys)) { if (-not $NovaBatch.Env.Contains($k)) { [Environment]::SetEnvironmentVariable($k, $null) } }
  foreach ($k in @($NovaBatch.Env.Keys)) { if ($now[$k] -ne $NovaBatch.Env[$k]) { [Environment]::SetEnvironmentVariable($k, $NovaBatch.Env[$k]) } }
  $global:Error.Clear()
}
$NovaBatch.Env = [Environment]::GetEnvironmentVariables()
$NovaBatch.Functions = @(Get-ChildItem Function: | ForEach-Object { $_.Name })
$NovaBatch.Globals = @{ LASTEXITCODE = 0 }
foreach ($v in @(Get-Variable -Scope Global)) { $NovaBatch.Globals[$v.Name] = $v.Value }
while ($null -ne ($NovaBatch.File = & $NovaBatch.Next)) {
  $NovaBatch.Dir = [System.IO.Path]::GetDirectoryName($NovaBatch.File)
  Set-Location -LiteralPath $NovaBatch.Dir
  [Environment]::CurrentDirectory = $NovaBatch.Dir
  [Console]::Out.Write('${MARK} start' + [char]10)
  [Console]::Error.Write('${MARK} start' + [char]10)
  $global:LASTEXITCODE = 0
  $NovaBatch.Code = 0
  try {
    # dot-sourced at the global scope, where -File runs a script
    . $NovaBatch.File | Out-Default
    $NovaBatch.Code = $global:LASTEXITCODE
  } catch {
    [Console]::Error.Write(($_ | Out-String))
    $NovaBatch.Code = 1
  }
  [Console]::Out.Flush()
  [Console]::Out.Write([char]10 + '${MARK} exit ' + [string]$NovaBatch.Code + [char]10)
  [Console]::Error.Write([char]10 + '${MARK} end' + [char]10)
  Reset-NovaBatchSession
}
exit 0
`;

function driverText(files: string, next: string): string {
    return DRIVER.replace("<files>", files).replace("<next>", next);
}

/** Splits a stream of the driver into the programs' parts (each after its start mark, up to its closing mark). */
function parts(stream: string, closing: RegExp, count: number): { text: string; mark: string }[] {
    const out: { text: string; mark: string }[] = [];
    let rest = stream;
    for (let i = 0; i < count; i++) {
        const start = rest.indexOf(`${MARK} start\n`);
        if (start < 0) throw new Error(`pwsh batch: no start of program ${i} in ${stream.slice(-2000)}`);
        rest = rest.slice(start + `${MARK} start\n`.length);
        const end = closing.exec(rest);
        if (end === null) throw new Error(`pwsh batch: program ${i} did not end: ${rest.slice(-2000)}`);
        out.push({ text: rest.slice(0, end.index), mark: end[0] });
        rest = rest.slice(end.index + end[0].length);
    }
    return out;
}

/** Writes a program into a fresh folder of its own under `dir`; its file. */
function writeProgram(dir: string, text: string): string {
    const own = mkdtempSync(join(dir, "p-"));
    const file = join(own, "run.ps1");
    // Its natural end is exit 0, as under -File (not the last native command's code left in $LASTEXITCODE).
    writeFileSync(file, `${text}\nexit 0\n`, "utf8");
    return file;
}

/** Runs `programs` one after the other in one pwsh; their results in order, each as `runPwsh(program)` gives it. */
export function runPwshEach(programs: readonly string[]): PwshResult[] {
    const dir = mkdtempSync(join(tmpdir(), "nova-pwsh-batch-"));
    try {
        const files = programs.map((text) => writeProgram(dir, text));
        const driver = join(dir, "driver.ps1");
        writeFileSync(driver, driverText(files.map(psQuote).join(", "), "{ if ($NovaBatch.I -lt $NovaBatch.Files.Count) { $NovaBatch.Files[$NovaBatch.I]; $NovaBatch.I++ } }"), "utf8");
        const r = spawnSync(PWSH, ["-NoProfile", "-NonInteractive", "-File", driver], { cwd: dir, input: "", encoding: "utf8", timeout: 60_000 + 30_000 * programs.length });
        if (r.error) throw r.error;
        if (r.status !== 0) throw new Error(`pwsh batch: the driver exited ${r.status}: ${r.stderr.slice(-2000)}`);
        const outs = parts(r.stdout, new RegExp(`\\n${MARK} exit (-?\\d+)\\n`), programs.length);
        const errs = parts(r.stderr, new RegExp(`\\n${MARK} end\\n`), programs.length);
        return outs.map((o, i) => ({ status: Number(/exit (-?\d+)/.exec(o.mark)![1]), stdout: o.text, stderr: errs[i].text }));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** One pwsh that runs programs when asked, one at a time, each as in a batch (for programs made from what earlier ones left). */
export interface PwshSession {
    run(program: string): Promise<PwshResult>;
    close(): Promise<void>;
}

/** Starts a session: the driver reads the programs' file names on stdin (so the programs themselves must not read it). */
export function startPwshSession(): PwshSession {
    const dir = mkdtempSync(join(tmpdir(), "nova-pwsh-session-"));
    const driver = join(dir, "driver.ps1");
    writeFileSync(driver, driverText("", "{ [Console]::In.ReadLine() }"), "utf8");
    const child = spawn(PWSH, ["-NoProfile", "-NonInteractive", "-File", driver], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let waiting: (() => void) | undefined;
    let ended: Error | undefined;
    child.stdout.on("data", (c: Buffer) => { out += c.toString("utf8"); waiting?.(); });
    child.stderr.on("data", (c: Buffer) => { err += c.toString("utf8"); waiting?.(); });
    child.on("close", (code) => { ended = new Error(`pwsh session: the driver ended (exit ${code}): ${err.slice(-2000)}`); waiting?.(); });
    const exitMark = new RegExp(`\\n${MARK} exit (-?\\d+)\\n`);
    const endMark = new RegExp(`\\n${MARK} end\\n`);
    const one = (program: string): Promise<PwshResult> =>
        new Promise((resolve, reject) => {
            const timer = setTimeout(() => { waiting = undefined; child.kill(); reject(new Error(`pwsh session: no result within 60 s\n${out.slice(-2000)}\n${err.slice(-2000)}`)); }, 60_000);
            waiting = () => {
                const o = exitMark.exec(out);
                const e = endMark.exec(err);
                if (o !== null && e !== null) {
                    const start = `${MARK} start\n`;
                    const result = { status: Number(o[1]), stdout: out.slice(out.indexOf(start) + start.length, o.index), stderr: err.slice(err.indexOf(start) + start.length, e.index) };
                    out = out.slice(o.index + o[0].length);
                    err = err.slice(e.index + e[0].length);
                    clearTimeout(timer);
                    waiting = undefined;
                    resolve(result);
                } else if (ended !== undefined) {
                    clearTimeout(timer);
                    waiting = undefined;
                    reject(ended);
                }
            };
            child.stdin.write(`${writeProgram(dir, program)}\n`);
        });
    let last: Promise<unknown> = Promise.resolve();
    return {
        run(program) {
            const next = last.then(() => one(program));
            last = next.catch(() => undefined);
            return next;
        },
        async close() {
            await last;
            child.stdin.end();
            if (ended === undefined) await new Promise((r) => child.once("close", r));
            rmSync(dir, { recursive: true, force: true });
        },
    };
}

/**
 * Programs queued while the tests are collected, run together (`runPwshEach`) in a beforeAll of the file
 * before its first test; `queue(program)` gives the function by which the test reads the result back.
 */
export function pwshQueue(): (program: string) => () => PwshResult {
    const programs: string[] = [];
    let results: PwshResult[] | undefined;
    beforeAll(() => {
        if (!PWSH_AVAILABLE && process.env.NOVA_REQUIRE_PWSH !== "1") return;
        results = runPwshEach(programs);
    }, 60_000 + 30_000 * 10);
    return (program) => {
        const at = programs.push(program) - 1;
        return () => {
            if (results === undefined) throw new Error("the queued PowerShell programs have not run");
            return results[at];
        };
    };
}
