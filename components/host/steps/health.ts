/**
 * Health: `http://127.0.0.1:<port><healthPath>` answers 200. The create script polls until 200 or
 * `healthTimeoutSeconds`, then fails naming the last answer, the service's state and its log files (no
 * log content: logs can hold secrets, and Pulumi prints error messages in clear); the audit probes once.
 * The step's stdin carries a digest of the earlier steps' stdin (see `healthStdin`), so every `up` that
 * changes (and so restarts) anything on the host proves health again. Owns nothing on the host, so
 * there is no delete.
 */
import { psInt, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { stderrLogPath, stdoutLogPath } from "../paths";
import { type StepScripts, renderAudit, renderCreate } from "../script";

export function healthUrl(cfg: NovaConfig): string {
    if (!cfg.paths.health.startsWith("/")) throw new Error("paths.health must start with /");
    return `http://127.0.0.1:${cfg.appPort}${cfg.paths.health}`;
}

const SETUP = String.raw`function Get-NovaHealthStatus {
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
      $service = Get-Service -Name $NovaHealthService -ErrorAction SilentlyContinue
      $state = 'missing'
      if ($null -ne $service) { $state = [string]$service.Status }
      throw ('{0} did not answer 200 within {1} s (last answer: {2}; service {3} is {4}); see {5} and {6} on the host' -f $NovaHealthUrl, $NovaHealthTimeout, $status, $NovaHealthService, $state, $NovaStderrLog, $NovaStdoutLog)
    }
    Start-Sleep -Seconds 2
  }
}`;

export function renderHealth(cfg: NovaConfig, _host: HostConfig): StepScripts {
    const setup = [
        `$NovaHealthUrl = ${psQuote(healthUrl(cfg))}`,
        `$NovaHealthTimeout = ${psInt(cfg.healthTimeoutSeconds)}`,
        `$NovaStderrLog = ${psQuote(stderrLogPath(cfg.service))}`,
        `$NovaStdoutLog = ${psQuote(stdoutLogPath(cfg.service))}`,
        `$NovaHealthService = ${psQuote(cfg.service.name)}`,
        SETUP,
    ].join("\n");
    const check = { item: "http", desired: "'200'" };
    return {
        create: renderCreate("health", { setup, checks: [{ ...check, actual: "(Wait-NovaHealth)" }] }),
        audit: renderAudit("health", { setup, checks: [{ ...check, actual: "(Get-NovaHealthStatus)" }] }),
    };
}
