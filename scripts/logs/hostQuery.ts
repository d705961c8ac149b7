/**
 * The read-only script `npm run logs` sends to a host (as drift sends audits), printing the steps'
 * `{"step":"logs","items":[...]}` line, one item per source:
 * - app: NSSM's AppStdout and AppStderr files and their rotated copies. NSSM renames a rotated file to
 *   `<name>-YYYYMMDDTHHMMSS.mmm<ext>` from its last write time (nssm io.cpp, rotate_file), so the copies
 *   sort by name in time order, the live file last. `item` is the file's path, `desired` its length in
 *   characters (where a later poll resumes), `actual` its text: from the position given for it (a
 *   follow poll; from the start when the file is now shorter: it was rotated), else its last lines.
 * - cloudflared: what the Cloudflared service writes, the Application event log of source Cloudflared
 *   (cloudflared's windows_service.go logs through eventlog.Open; the connector has no log file unless
 *   given --logfile): `item` the entry's index, `desired` its time (UTC, ISO), `actual` type and message.
 * Everything configurable reaches the script through components/powershell.ts quoting.
 */
import { renderAudit } from "../../components/host/script";
import { stderrLogPath, stdoutLogPath } from "../../components/host/paths";
import { psInt, psQuote } from "../../components/powershell";
import { escapeRegExp } from "../../components/regex";
import type { NovaConfig } from "../../components/types";

export type LogService = "app" | "cloudflared";

export interface LogsQuery {
    readonly service: LogService;
    /** Lines (app) or entries (cloudflared) per source, at most. */
    readonly lines: number;
    /** Only sources written (entries logged) in the last this many seconds; 0: no limit. */
    readonly sinceSeconds: number;
    /** Follow polls: per file path, the length already shown; for the event log, the last index shown. */
    readonly from?: Readonly<Record<string, number>>;
}

/** The key of `from` holding the last event log index shown. */
export const EVENT_CURSOR = "eventlog";

/** Where NSSM writes a log and how its rotated copies are named (a regex on the file name). */
export function logSources(cfg: NovaConfig): { path: string; rotated: string }[] {
    return [stdoutLogPath(cfg.service), stderrLogPath(cfg.service)].map((path) => {
        const name = path.slice(path.lastIndexOf("\\") + 1);
        const dot = name.lastIndexOf(".");
        const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
        return { path, rotated: `^${escapeRegExp(base)}-\\d{8}T\\d{6}\\.\\d{3}${escapeRegExp(ext)}$` };
    });
}

const FILES = String.raw`function Get-NovaLogText([string]$Path) {
  $text = Get-Content -LiteralPath $Path -Raw -Encoding UTF8
  if ($null -eq $text) { return '' }
  return ([string]$text).Replace([string][char]13, '')
}
function Add-NovaLogSource([string]$Path, [string]$Rotated) {
  $dir = Split-Path -Parent $Path
  $files = @()
  if (Test-Path -LiteralPath $dir -PathType Container) {
    $files = @(Get-ChildItem -LiteralPath $dir -File | Where-Object { $_.Name -match $Rotated } | Sort-Object -Property Name | ForEach-Object { $_.FullName })
  }
  if (Test-Path -LiteralPath $Path -PathType Leaf) { $files += $Path }
  $cutoff = [datetime]::UtcNow.AddSeconds(-$NovaSince)
  $left = $NovaLines
  [array]::Reverse($files)
  $found = New-Object System.Collections.Generic.List[object]
  foreach ($file in $files) {
    if ($NovaSince -gt 0 -and (Get-Item -LiteralPath $file).LastWriteTimeUtc -lt $cutoff) { continue }
    $text = Get-NovaLogText $file
    if ($NovaFrom.ContainsKey($file)) {
      $at = [int]$NovaFrom[$file]
      if ($at -gt $text.Length) { $at = 0 }
      $shown = $text.Substring($at)
    } elseif ($NovaFrom.Count -gt 0 -or $left -le 0) { $shown = '' }
    else {
      $lines = @($text.TrimEnd([char]10).Split([char]10))
      if ($text.Length -eq 0) { $lines = @() }
      $take = [Math]::Min($left, $lines.Count)
      $left -= $take
      $shown = ''
      if ($take -gt 0) { $shown = (($lines[($lines.Count - $take)..($lines.Count - 1)]) -join [string][char]10) + [string][char]10 }
    }
    $found.Insert(0, [ordered]@{ item = $file; desired = [string]$text.Length; actual = $shown; ok = $true })
  }
  foreach ($entry in $found) { $NovaItems.Add($entry) }
}`;

const EVENTS = String.raw`function Add-NovaEventLog {
  $entries = @()
  try { $entries = @(Get-EventLog -LogName Application -Source 'Cloudflared' -Newest $NovaLines -ErrorAction Stop) } catch { $entries = @() }
  $cutoff = [datetime]::UtcNow.AddSeconds(-$NovaSince)
  [array]::Reverse($entries)
  foreach ($e in $entries) {
    if ($NovaSince -gt 0 -and $e.TimeWritten.ToUniversalTime() -lt $cutoff) { continue }
    if ($NovaFrom.ContainsKey('eventlog') -and [int]$e.Index -le [int]$NovaFrom['eventlog']) { continue }
    $NovaItems.Add([ordered]@{ item = [string]$e.Index; desired = $e.TimeWritten.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture); actual = ([string]$e.EntryType + ' ' + [string]$e.Message); ok = $true })
  }
}`;

/** The logs script for `query` on a host of `cfg`. */
export function renderLogsQuery(cfg: NovaConfig, query: LogsQuery): string {
    const from = Object.entries(query.from ?? {}).map(([k, v]) => `${psQuote(k)} = ${psInt(v)}`).join("; ");
    const vars = [`$NovaLines = ${psInt(query.lines)}`, `$NovaSince = ${psInt(query.sinceSeconds)}`, `$NovaFrom = @{ ${from} }`];
    const run = query.service === "app" ? logSources(cfg).map((s) => `Add-NovaLogSource ${psQuote(s.path)} ${psQuote(s.rotated)}`) : ["Add-NovaEventLog"];
    const setup = [...vars, query.service === "app" ? FILES : EVENTS, ...run].join("\n");
    return renderAudit("logs", { setup, checks: [] });
}
