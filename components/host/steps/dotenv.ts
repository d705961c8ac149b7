/**
 * `.env` in the app directory: the managed keys (NOVA_MODE, APP_HOST, APP_PORT, UVICORN_RELOAD) and the
 * configured non-secret app environment are set; every other line and comment stays as it was. KEY=VALUE
 * lines of managed keys are replaced in place, missing keys appended. Before a change the file is backed
 * up to `.env.bak-<first 12 hex of its SHA-256>` (no timestamps: re-runs stay deterministic), narrowed like
 * the `.env` itself (a copy takes the directory's inherited ACL, not the source's); it is
 * written as UTF-8 without BOM. Its ACL is narrowed to SYSTEM (the service's LocalSystem account) and
 * Administrators, only when it differs. A changed file restarts a running service.
 */
import { psHashtable, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { dotenvPath } from "../paths";
import { type Check, type StepScripts, renderStep } from "../script";
import { ACL_FUNCTIONS, aclCheck } from "./acl";

export const MANAGED_KEYS = ["NOVA_MODE", "APP_HOST", "APP_PORT", "UVICORN_RELOAD"] as const;

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

const SETUP = String.raw`$NovaEnvExists = Test-Path -LiteralPath $NovaEnvPath -PathType Leaf
$NovaEnvOriginal = ''
$NovaEnvHasBom = $false
if ($NovaEnvExists) {
  $bytes = [System.IO.File]::ReadAllBytes($NovaEnvPath)
  $NovaEnvHasBom = ($bytes.Length -ge 3) -and ($bytes[0] -eq 0xEF) -and ($bytes[1] -eq 0xBB) -and ($bytes[2] -eq 0xBF)
  $NovaEnvOriginal = [System.IO.File]::ReadAllText($NovaEnvPath)
}
$NovaEnvLinePattern = '^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$'
function Get-NovaEnvValue([string]$Key) {
  foreach ($line in ($NovaEnvOriginal -split '\r?\n')) {
    $m = [regex]::Match($line, $NovaEnvLinePattern)
    if ($m.Success -and $m.Groups[1].Value -eq $Key) { return $m.Groups[2].Value.Trim() }
  }
  return '(absent)'
}
function Get-NovaEnvUpdated {
  $newline = "` + "`n" + String.raw`"
  if ($NovaEnvOriginal.Contains("` + "`r`n" + String.raw`")) { $newline = "` + "`r`n" + String.raw`" }
  $lines = New-Object System.Collections.Generic.List[string]
  if ($NovaEnvOriginal.Length -gt 0) { foreach ($line in ($NovaEnvOriginal -split '\r?\n')) { $lines.Add($line) } }
  if ($lines.Count -gt 0 -and $lines[$lines.Count - 1] -eq '') { $lines.RemoveAt($lines.Count - 1) }
  $seen = @{}
  for ($i = 0; $i -lt $lines.Count; $i++) {
    $m = [regex]::Match($lines[$i], $NovaEnvLinePattern)
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

const CONTENT_FIX = String.raw`if ($NovaEnvExists) {
  $backup = $NovaEnvPath + '.bak-' + (Get-NovaFileHash $NovaEnvPath).Substring(0, 12)
  if (-not (Test-Path -LiteralPath $backup)) {
    Copy-Item -LiteralPath $NovaEnvPath -Destination $backup
    Set-NovaAdminOnlyAcl $backup
  }
}
[System.IO.File]::WriteAllText($NovaEnvPath, $NovaEnvUpdated, (New-Object System.Text.UTF8Encoding $false))`;

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
            ok: "(([string]$actual -ceq [string]$desired) -and -not $NovaEnvHasBom)",
            fix: CONTENT_FIX,
            secret: true,
        },
        aclCheck("acl", "$NovaEnvPath", "file"),
    ];
}

export function renderDotenv(cfg: NovaConfig, _host: HostConfig): StepScripts {
    const desired = Object.fromEntries(Object.entries(desiredDotenv(cfg)).map(([k, v]) => [k, dotenvValue(v)]));
    const setup = [`$NovaEnvPath = ${psQuote(dotenvPath(cfg.service))}`, `$NovaEnvDesired = ${psHashtable(desired)}`, SETUP, ACL_FUNCTIONS];
    const finish = [
        `$service = Get-Service -Name ${psQuote(cfg.service.name)} -ErrorAction SilentlyContinue`,
        "if (($NovaChanged -contains 'content') -and ($null -ne $service) -and ($service.Status -eq 'Running')) {",
        `  Restart-Service -Name ${psQuote(cfg.service.name)} -Force`,
        "  Add-NovaChange 'service-restarted'",
        "}",
    ].join("\n");
    return renderStep("dotenv", { setup: setup.join("\n"), checks: dotenvChecks(cfg), finish });
}
