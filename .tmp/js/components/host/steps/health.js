"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.healthUrl = healthUrl;
exports.renderHealth = renderHealth;
/**
 * Health: `http://127.0.0.1:<port><healthPath>` answers 200. The create script polls until 200 or
 * `healthTimeoutSeconds`, then fails with the last 40 lines of the service's stderr log; the audit probes
 * once. Owns nothing on the host, so there is no delete.
 */
const powershell_1 = require("../../powershell");
const paths_1 = require("../paths");
const script_1 = require("../script");
function healthUrl(cfg) {
    if (!cfg.paths.health.startsWith("/"))
        throw new Error("paths.health must start with /");
    return `http://127.0.0.1:${cfg.appPort}${cfg.paths.health}`;
}
const SETUP = String.raw `function Get-NovaHealthStatus {
  try {
    $response = Invoke-WebRequest -UseBasicParsing -Uri $NovaHealthUrl -TimeoutSec 5
    return [string][int]$response.StatusCode
  } catch {
    $response = $_.Exception.Response
    if ($null -ne $response) { return [string][int]$response.StatusCode }
    return ('no answer: ' + $_.Exception.Message)
  }
}
function Wait-NovaHealth {
  $clock = [System.Diagnostics.Stopwatch]::StartNew()
  while ($true) {
    $status = Get-NovaHealthStatus
    if ($status -eq '200') { return $status }
    if ($clock.Elapsed.TotalSeconds -ge $NovaHealthTimeout) {
      $tail = @(Get-Content -LiteralPath $NovaStderrLog -Tail 40 -ErrorAction SilentlyContinue) -join [string][char]10
      throw ('{0} did not answer 200 within {1} s (last: {2}). Last 40 lines of {3}:{4}{5}' -f $NovaHealthUrl, $NovaHealthTimeout, $status, $NovaStderrLog, [char]10, $tail)
    }
    Start-Sleep -Seconds 2
  }
}`;
function renderHealth(cfg, _host) {
    const setup = [
        `$NovaHealthUrl = ${(0, powershell_1.psQuote)(healthUrl(cfg))}`,
        `$NovaHealthTimeout = ${(0, powershell_1.psInt)(cfg.healthTimeoutSeconds)}`,
        `$NovaStderrLog = ${(0, powershell_1.psQuote)((0, paths_1.stderrLogPath)(cfg.service))}`,
        SETUP,
    ].join("\n");
    const check = { item: "http", desired: "'200'" };
    return {
        create: (0, script_1.renderCreate)("health", { setup, checks: [{ ...check, actual: "(Wait-NovaHealth)" }] }),
        audit: (0, script_1.renderAudit)("health", { setup, checks: [{ ...check, actual: "(Get-NovaHealthStatus)" }] }),
    };
}
