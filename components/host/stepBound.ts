/**
 * The bound of a step's run on the host: `nova:stepTimeoutSeconds`. Pulumi's customTimeouts only stop
 * the engine waiting (and are not enforced by every runtime), so the step's own stdin script carries
 * the bound: right after its `param(...)` line, one statement starts a watchdog in a second runspace of
 * the same powershell.exe (`[PowerShell]::Create()`, no new process, no job). When the step is still
 * running after the bound, the watchdog writes one line naming the host, the step and the bound to
 * stderr as UTF-8 (as the bootstrap writes a failure), ends the step's child processes (a native it
 * waits on: Win32_Process by ParentProcessId on Windows, Process.Parent on PowerShell 7, which the host
 * model runs; the process does not end while such a native holds it) and ends the process with exit
 * code 1. The step's own failure of the killed native may follow the line on stderr. A step
 * that finishes first ends the process itself (the bootstrap's `exit`), and the watchdog with it.
 * The statement is constant but for the bound and the message; the policy accepts exactly this line
 * (policy/rules/scriptAllowList.ts).
 */
import { PS_QUOTED_LINE_PATTERN, psQuote } from "../powershell";
import { escapeRegExp } from "../regex";

/** What a step's bound names. */
export interface StepBound {
    readonly host: string;
    readonly step: string;
    readonly seconds: number;
}

/** The watchdog's script (one line: the statement that starts it is one line). */
export const STEP_WATCHDOG =
    "param($Seconds, $Message) Start-Sleep -Seconds $Seconds; " +
    "$bytes = (New-Object System.Text.UTF8Encoding $false).GetBytes($Message + [char]10); $stream = [Console]::OpenStandardError(); " +
    "$stream.Write($bytes, 0, $bytes.Length); $stream.Flush(); " +
    "try { Get-CimInstance -ClassName Win32_Process -Filter ('ParentProcessId = ' + $PID) | ForEach-Object { Stop-Process -Id $_.ProcessId -Force } } catch { }; " +
    "try { Get-Process | Where-Object { $_.Parent.Id -eq $PID } | Stop-Process -Force } catch { }; [Environment]::Exit(1)";

/** The error of a step that did not finish in time (the host's watchdog and the WinRM runner say the same). */
export function stepTimeoutMessage(bound: StepBound): string {
    return `step ${bound.step} on host ${bound.host} did not finish within nova:stepTimeoutSeconds (${bound.seconds} s)`;
}

function checked(bound: StepBound): StepBound {
    if (!Number.isInteger(bound.seconds) || bound.seconds < 1) throw new Error(`step bound: seconds must be a positive integer, got ${bound.seconds}`);
    if (/[\r\n]/.test(bound.host + bound.step)) throw new Error("step bound: a host or step name with a line break");
    return bound;
}

/** The statement that starts the watchdog. */
export function stepBoundLine(bound: StepBound): string {
    const b = checked(bound);
    return `$null = [PowerShell]::Create().AddScript(${psQuote(STEP_WATCHDOG)}).AddArgument(${b.seconds}).AddArgument(${psQuote(stepTimeoutMessage(b))}).BeginInvoke()`;
}

/** A line of a script that is exactly a watchdog statement (any bound, any message). */
export const STEP_BOUND_LINE = new RegExp(
    `^${escapeRegExp(stepBoundLine({ host: "H", step: "S", seconds: 1 }))
        .replace("AddArgument\\(1\\)", "AddArgument\\([1-9][0-9]{0,5}\\)")
        .replace(escapeRegExp(psQuote(stepTimeoutMessage({ host: "H", step: "S", seconds: 1 }))), PS_QUOTED_LINE_PATTERN)}$`,
);

/** `script` (a step's create, starting with its `param(...)` line) with the watchdog started right after that line. */
export function withStepBound(script: string, bound: StepBound): string {
    const at = script.indexOf("\n");
    if (at < 0 || !/^param\(/.test(script)) throw new Error("step bound: the script does not start with a param(...) line");
    return `${script.slice(0, at + 1)}${stepBoundLine(bound)}\n${script.slice(at + 1)}`;
}

/** A step's scripts with its create bounded (delete and audit are left as they are). */
export function boundScripts<T extends { readonly create: string }>(scripts: T, bound: StepBound): T {
    return { ...scripts, create: withStepBound(scripts.create, bound) };
}
