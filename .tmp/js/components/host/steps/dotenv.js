"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MANAGED_KEYS = void 0;
exports.desiredDotenv = desiredDotenv;
exports.dotenvValue = dotenvValue;
exports.dotenvChecks = dotenvChecks;
exports.renderDotenv = renderDotenv;
/**
 * `.env` in the app directory: the managed keys (NOVA_MODE, APP_HOST, APP_PORT, UVICORN_RELOAD) and the
 * configured non-secret app environment are set; every other line and comment stays as it was. KEY=VALUE
 * lines of managed keys are replaced in place, missing keys appended. Before a change the file is backed
 * up to `.env.bak-<first 12 hex of its SHA-256>` (no timestamps: re-runs stay deterministic); it is
 * written as UTF-8 without BOM. Its ACL is narrowed to SYSTEM (the service's LocalSystem account) and
 * Administrators, only when it differs. A changed file restarts a running service.
 */
const powershell_1 = require("../../powershell");
const paths_1 = require("../paths");
const script_1 = require("../script");
const acl_1 = require("./acl");
exports.MANAGED_KEYS = ["NOVA_MODE", "APP_HOST", "APP_PORT", "UVICORN_RELOAD"];
/** The desired `.env` values: managed keys first, then the app environment. */
function desiredDotenv(cfg) {
    const env = {
        NOVA_MODE: "production",
        APP_HOST: cfg.ingressMode === "tunnel" ? "127.0.0.1" : "0.0.0.0",
        APP_PORT: String(cfg.appPort),
        UVICORN_RELOAD: "false",
    };
    for (const [key, value] of Object.entries(cfg.appEnv)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
            throw new Error(`invalid environment variable name: ${key}`);
        if (key in env)
            throw new Error(`appEnv may not set the managed key ${key}`);
        env[key] = value;
    }
    return env;
}
/** The right-hand side written for a value: bare when safe, else double-quoted with \\ and \" escaped. */
function dotenvValue(value) {
    if (/[\r\n]/.test(value))
        throw new Error("a .env value may not contain a line break");
    if (/^[A-Za-z0-9_.,:/@+\-=]+$/.test(value))
        return value;
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
const SETUP = String.raw `$NovaEnvExists = Test-Path -LiteralPath $NovaEnvPath -PathType Leaf
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
  $newline = "` + "`n" + String.raw `"
  if ($NovaEnvOriginal.Contains("` + "`r`n" + String.raw `")) { $newline = "` + "`r`n" + String.raw `" }
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
const CONTENT_FIX = String.raw `if ($NovaEnvExists) {
  $backup = $NovaEnvPath + '.bak-' + (Get-NovaFileHash $NovaEnvPath).Substring(0, 12)
  if (-not (Test-Path -LiteralPath $backup)) { Copy-Item -LiteralPath $NovaEnvPath -Destination $backup }
}
[System.IO.File]::WriteAllText($NovaEnvPath, $NovaEnvUpdated, (New-Object System.Text.UTF8Encoding $false))`;
function dotenvChecks(cfg) {
    const keyItems = Object.entries(desiredDotenv(cfg)).map(([key, value]) => ({
        item: `key:${key}`,
        desired: (0, powershell_1.psQuote)(dotenvValue(value)),
        actual: `(Get-NovaEnvValue ${(0, powershell_1.psQuote)(key)})`,
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
        (0, acl_1.aclCheck)("acl", "$NovaEnvPath", "file"),
    ];
}
function renderDotenv(cfg, _host) {
    const desired = Object.fromEntries(Object.entries(desiredDotenv(cfg)).map(([k, v]) => [k, dotenvValue(v)]));
    const setup = [`$NovaEnvPath = ${(0, powershell_1.psQuote)((0, paths_1.dotenvPath)(cfg.service))}`, `$NovaEnvDesired = ${(0, powershell_1.psHashtable)(desired)}`, SETUP, acl_1.ACL_FUNCTIONS];
    const finish = [
        `$service = Get-Service -Name ${(0, powershell_1.psQuote)(cfg.service.name)} -ErrorAction SilentlyContinue`,
        "if (($NovaChanged -contains 'content') -and ($null -ne $service) -and ($service.Status -eq 'Running')) {",
        `  Restart-Service -Name ${(0, powershell_1.psQuote)(cfg.service.name)} -Force`,
        "  Add-NovaChange 'service-restarted'",
        "}",
    ].join("\n");
    return (0, script_1.renderStep)("dotenv", { setup: setup.join("\n"), checks: dotenvChecks(cfg), finish });
}
