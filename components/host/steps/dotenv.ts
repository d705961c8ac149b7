/**
 * `.env` in the app directory: the managed keys (NOVA_MODE, APP_HOST, APP_PORT, UVICORN_RELOAD) and the
 * configured non-secret app environment are set; every other line and comment stays as it was. KEY=VALUE
 * lines of managed keys are replaced in place, missing keys appended. Before a change the file is backed
 * up to `.env.bak-<first 12 hex of its SHA-256>` (no timestamps: re-runs stay deterministic), narrowed like
 * the `.env` itself (a copy takes the directory's inherited ACL, not the source's); it is
 * written as UTF-8 without BOM. Its ACL is narrowed to SYSTEM (the service's LocalSystem account) and
 * Administrators, only when it differs. A changed file restarts a running service.
 * Entries are read as python-dotenv reads them (ENTRY_PATTERN): a quoted value may span lines, and is
 * kept, replaced or removed whole. The user's own entries of the keys set here are kept, from the first
 * change on, in `.env.nova-original` (ORIGINAL_SUFFIX) for delete to put back.
 */
import { psArray, psHashtable, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { dotenvPath } from "../paths";
import { type Check, type StepScripts, renderStep } from "../script";
import { ACL_FUNCTIONS, aclCheck } from "./acl";
import { SERVICE_CONTROL_FUNCTIONS } from "./serviceControl";
import { serviceReaderSids } from "../serviceAccount";

export const MANAGED_KEYS = ["NOVA_MODE", "APP_HOST", "APP_PORT", "UVICORN_RELOAD"] as const;

/**
 * Suffix of the file (next to `.env`) keeping, from the first change on, the user's own entries of the
 * keys this step sets, for delete to put back. Narrowed to SYSTEM and Administrators before anything is
 * written to it: created in the app directory it would otherwise inherit that folder's ACL (a folder at
 * the root of C: gives Users read, see grants.ts), and the user's values may be private.
 */
export const ORIGINAL_SUFFIX = ".nova-original";

/** How many `.env.bak-*` backups are kept (the newest). */
export const BACKUPS_KEPT = 5;

/** The desired `.env` values: managed keys first, then the app environment. */
export function desiredDotenv(cfg: NovaConfig): Record<string, string> {
    const env: Record<string, string> = {
        NOVA_MODE: "production",
        APP_HOST: cfg.ingressMode === "tunnel" ? "127.0.0.1" : "0.0.0.0",
        APP_PORT: String(cfg.appPort),
        UVICORN_RELOAD: "false",
    };
    for (const [key, value] of Object.entries(cfg.appEnv)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`invalid environment variable name: ${key}`);
        if (key in env) throw new Error(`appEnv may not set the managed key ${key}`);
        env[key] = value;
    }
    return env;
}

/** The right-hand side written for a value: bare when safe, else double-quoted with \\ and \" escaped. */
export function dotenvValue(value: string): string {
    if (/[\r\n]/.test(value)) throw new Error("a .env value may not contain a line break");
    if (/^[A-Za-z0-9_.,:/@+\-=]+$/.test(value)) return value;
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * `.env` entries as python-dotenv reads them (dotenv/parser.py): a binding (`export ` prefix allowed) whose
 * value is single- or double-quoted may span lines (`[^"]` matches a line break; `\\"` escapes a quote);
 * anything else is one line. Each entry keeps its line ending, so joining them gives the text back. Used
 * by create, audit and delete, so a multi-line value (a secret, a PEM) is kept, removed or restored whole.
 */
const ENTRY_PATTERN = String.raw`[ \t]*(?:export[ \t]+)?([A-Za-z_]\w*)[ \t]*=(?:[ \t]*(?:"(?:\\"|[^"])*"|''(?:\\''|[^''])*''))?[^\n]*(?:\n|$)|[^\n]*(?:\n|$)`;
export const ENTRY_FUNCTIONS = String.raw`$NovaEnvEntry = '${ENTRY_PATTERN}'
function Split-NovaEnvEntries([string]$Text) { return ,@([regex]::Matches($Text, $NovaEnvEntry) | ForEach-Object { $_.Value } | Where-Object { $_ -ne '' }) }
function Get-NovaEnvKey([string]$Entry) { return [regex]::Match($Entry, $NovaEnvEntry).Groups[1].Value }`;

const SETUP = String.raw`function Read-NovaEnvFile([string]$Path) {
  $bytes = [System.IO.File]::ReadAllBytes($Path)
  if (($bytes.Length -ge 2) -and ($bytes[0] -eq 0xFF) -and ($bytes[1] -eq 0xFE)) { return @('utf-16le', [System.Text.Encoding]::Unicode.GetString($bytes, 2, $bytes.Length - 2)) }
  if (($bytes.Length -ge 2) -and ($bytes[0] -eq 0xFE) -and ($bytes[1] -eq 0xFF)) { return @('utf-16be', [System.Text.Encoding]::BigEndianUnicode.GetString($bytes, 2, $bytes.Length - 2)) }
  $encoding = 'utf-8'
  $start = 0
  if (($bytes.Length -ge 3) -and ($bytes[0] -eq 0xEF) -and ($bytes[1] -eq 0xBB) -and ($bytes[2] -eq 0xBF)) { $encoding = 'utf-8-bom'; $start = 3 }
  try { $text = (New-Object System.Text.UTF8Encoding $false, $true).GetString($bytes, $start, $bytes.Length - $start) }
  catch { return @('not UTF-8 (an ANSI code page such as Windows-1252?)', '') }
  return @($encoding, $text)
}
$NovaEnvExists = Test-Path -LiteralPath $NovaEnvPath -PathType Leaf
$NovaEnvOriginal = ''
$NovaEnvEncoding = 'utf-8'
if ($NovaEnvExists) { $NovaEnvEncoding, $NovaEnvOriginal = Read-NovaEnvFile $NovaEnvPath }
$NovaEnvLinePattern = '(?s)^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$'
function Get-NovaEnvValue([string]$Key) {
  foreach ($line in (Split-NovaEnvEntries $NovaEnvOriginal)) {
    $line = $line -replace '\r?\n$', ''
    $m = [regex]::Match($line, $NovaEnvLinePattern)
    if ($m.Success -and $m.Groups[1].Value -eq $Key) { return $m.Groups[2].Value.Trim() }
  }
  return '(absent)'
}
function Remove-NovaEnvSecretLines([string]$Text) {
  $kept = @((Split-NovaEnvEntries $Text) | Where-Object { $NovaEnvSecretKeys -notcontains (Get-NovaEnvKey $_) })
  return ($kept -join '')
}
function Get-NovaEnvBackups { return @(Get-ChildItem -LiteralPath (Split-Path -Parent $NovaEnvPath) -Filter ((Split-Path -Leaf $NovaEnvPath) + '.bak-*') -File -Force -ErrorAction SilentlyContinue | Sort-Object LastWriteTimeUtc -Descending) }
function Get-NovaEnvSecretFindings {
  $found = @()
  $files = @(Get-NovaEnvBackups | ForEach-Object { $_.FullName })
  if (Test-Path -LiteralPath $NovaEnvPath -PathType Leaf) { $files = @($NovaEnvPath) + $files }
  foreach ($file in $files) {
    $text = (Read-NovaEnvFile $file)[1]
    if ((Remove-NovaEnvSecretLines $text) -cne $text) { $found += (Split-Path -Leaf $file) }
  }
  return ($found -join ',')
}
function Get-NovaEnvUpdated {
  $newline = "` + "`n" + String.raw`"
  if ($NovaEnvOriginal.Contains("` + "`r`n" + String.raw`")) { $newline = "` + "`r`n" + String.raw`" }
  $lines = New-Object System.Collections.Generic.List[string]
  foreach ($entry in (Split-NovaEnvEntries $NovaEnvOriginal)) { $lines.Add(($entry -replace '\r?\n$', '')) }
  $seen = @{}
  for ($i = 0; $i -lt $lines.Count; $i++) {
    $m = [regex]::Match($lines[$i], $NovaEnvLinePattern)
    if ($m.Success -and ($NovaEnvSecretKeys -contains $m.Groups[1].Value)) { $lines.RemoveAt($i); $i--; continue }
    if ($m.Success -and $NovaEnvDesired.Contains($m.Groups[1].Value)) {
      $key = $m.Groups[1].Value
      $seen[$key] = $true
      if ($m.Groups[2].Value.Trim() -cne $NovaEnvDesired[$key]) { $lines[$i] = $key + '=' + $NovaEnvDesired[$key] }
    }
  }
  foreach ($key in $NovaEnvDesired.Keys) { if (-not $seen.ContainsKey($key)) { $lines.Add($key + '=' + $NovaEnvDesired[$key]) } }
  return (($lines -join $newline) + $newline)
}
$NovaEnvUpdated = Get-NovaEnvUpdated`;

const CONTENT_FIX = String.raw`if ($NovaEnvEncoding -like 'not *') { throw ('{0} is {1}: save it as UTF-8 (or UTF-16 with a byte order mark) and run again' -f $NovaEnvPath, $NovaEnvEncoding) }
$utf8 = New-Object System.Text.UTF8Encoding $false
$original = $NovaEnvPath + '${ORIGINAL_SUFFIX}'
if (-not (Test-Path -LiteralPath $original)) {
  [System.IO.File]::WriteAllText($original, '', $utf8)
  Set-NovaAdminOnlyAcl $original
  [System.IO.File]::WriteAllText($original, (@((Split-NovaEnvEntries $NovaEnvOriginal) | Where-Object { $NovaEnvDesired.Contains((Get-NovaEnvKey $_)) }) -join ''), $utf8)
}
if ($NovaEnvExists) {
  $backup = $NovaEnvPath + '.bak-' + (Get-NovaFileHash $NovaEnvPath).Substring(0, 12)
  if (-not (Test-Path -LiteralPath $backup)) {
    [System.IO.File]::WriteAllText($backup, '', $utf8)
    Set-NovaAdminOnlyAcl $backup
    [System.IO.File]::WriteAllText($backup, (Remove-NovaEnvSecretLines $NovaEnvOriginal), $utf8)
  }
}
[System.IO.File]::WriteAllText($NovaEnvPath, $NovaEnvUpdated, $utf8)
Get-NovaEnvBackups | Select-Object -Skip ${BACKUPS_KEPT} | ForEach-Object { Remove-Item -LiteralPath $_.FullName -Force }`;

// Backups written before the secrets were removed (or by an earlier release) lose those lines too.
const SECRETS_FIX = String.raw`foreach ($backup in (Get-NovaEnvBackups)) {
  $text = (Read-NovaEnvFile $backup.FullName)[1]
  $clean = Remove-NovaEnvSecretLines $text
  if ($clean -cne $text) { [System.IO.File]::WriteAllText($backup.FullName, $clean, (New-Object System.Text.UTF8Encoding $false)) }
}`;

export function dotenvChecks(cfg: NovaConfig): Check[] {
    const keyItems: Check[] = Object.entries(desiredDotenv(cfg)).map(([key, value]) => ({
        item: `key:${key}`,
        desired: psQuote(dotenvValue(value)),
        actual: `(Get-NovaEnvValue ${psQuote(key)})`,
        auditOnly: true,
    }));
    return [
        ...keyItems,
        {
            item: "content",
            desired: "$NovaEnvUpdated",
            actual: "$NovaEnvOriginal",
            ok: "(([string]$actual -ceq [string]$desired) -and ($NovaEnvEncoding -eq 'utf-8'))",
            fix: CONTENT_FIX,
            secret: true,
        },
        { item: "encoding", desired: "'utf-8'", actual: "$NovaEnvEncoding", auditOnly: true },
        aclCheck("acl", "$NovaEnvPath", "file", serviceReaderSids(cfg.service)),
        { item: "guide:dotenv-secrets", desired: "''", actual: "(Get-NovaEnvSecretFindings)", fix: SECRETS_FIX },
    ];
}

/**
 * Delete: the entries of the keys this step sets are removed, and the user's own entry of such a key
 * (kept in `.env.nova-original` by the first change) is put back in its place; the user's other
 * entries stay (a file left with nothing else is removed); the backups it made and the original file
 * are removed.
 */
export function dotenvDelete(cfg: NovaConfig): string {
    const keys = psArray(Object.keys(desiredDotenv(cfg)));
    // $r: the entries; $m: the user's own entry of each key, by key; each is put back in the place of
    // our line, with that line's ending.
    return String.raw`$p = ${psQuote(dotenvPath(cfg.service))}
$o = $p + '${ORIGINAL_SUFFIX}'
$r = '${ENTRY_PATTERN}'
$m = @{}
if (Test-Path -LiteralPath $o -PathType Leaf) { foreach ($e in [regex]::Matches([System.IO.File]::ReadAllText($o), $r)) { $y = $e.Groups[1].Value; if ($y -and !$m[$y]) { $m[$y] = $e.Value } } }
if (Test-Path -LiteralPath $p -PathType Leaf) {
  $t = [System.IO.File]::ReadAllText($p)
  $rest = -join @(foreach ($e in [regex]::Matches($t, $r)) { $y = $e.Groups[1].Value; if (${keys} -cnotcontains $y) { $e.Value } elseif ($m[$y]) { $m[$y].TrimEnd([char]13, [char]10) + [regex]::Match($e.Value, '\r?\n$').Value; $m.Remove($y) } })
  if ($rest.Trim().Length -eq 0) { Remove-Item -LiteralPath $p -Force; Add-NovaChange 'removed .env' }
  elseif ($rest -cne $t) { [System.IO.File]::WriteAllText($p, $rest, (New-Object System.Text.UTF8Encoding $false)); Add-NovaChange 'removed managed keys' }
}
if (Test-Path -LiteralPath $o) { Remove-Item -LiteralPath $o -Force; Add-NovaChange 'original removed' }
Get-ChildItem -LiteralPath (Split-Path -Parent $p) -Filter '.env.bak-*' -File -Force -ErrorAction SilentlyContinue | ForEach-Object { Remove-Item -LiteralPath $_.FullName -Force; Add-NovaChange ('removed ' + $_.Name) }`;
}

export function renderDotenv(cfg: NovaConfig, _host: HostConfig): StepScripts {
    const desired = Object.fromEntries(Object.entries(desiredDotenv(cfg)).map(([k, v]) => [k, dotenvValue(v)]));
    const setup = [
        `$NovaEnvPath = ${psQuote(dotenvPath(cfg.service))}`,
        `$NovaEnvDesired = ${psHashtable(desired)}`,
        `$NovaEnvSecretKeys = [string[]]${psArray([...cfg.appSecretEnvKeys].sort())}`,
        ENTRY_FUNCTIONS,
        SETUP,
        ACL_FUNCTIONS,
        SERVICE_CONTROL_FUNCTIONS,
    ];
    // A new .env is read by the app at start: a running (or paused, throttled) service restarts now; a
    // stopped one is left to the service step.
    const finish = [
        "if ($NovaChanged -contains 'content') {",
        `  if (@('restarted', 'started') -contains (Restart-NovaService ${psQuote(cfg.service.name)} $true)) { Add-NovaChange 'service-restarted' }`,
        "}",
    ].join("\n");
    return renderStep("dotenv", { setup: setup.join("\n"), checks: dotenvChecks(cfg), finish }, dotenvDelete(cfg));
}
