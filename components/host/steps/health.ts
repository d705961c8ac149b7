/**
 * Health: `http://127.0.0.1:<port><healthPath>` answers 200. The create script polls until 200 or
 * `healthTimeoutSeconds`, then fails with the last 40 lines of the service's stderr log; the audit probes
 * once. Owns nothing on the host, so there is no delete.
 */
import { psInt, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { stderrLogPath } from "../paths";
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
      $tail = @(Get-Content -LiteralPath $NovaStderrLog -Tail 40 -ErrorAction SilentlyContinue) -join [string][char]10
      throw ('{0} did not answer 200 within {1} s (last: {2}). Last 40 lines of {3}:{4}{5}' -f $NovaHealthUrl, $NovaHealthTimeout, $status, $NovaStderrLog, [char]10, $tail)
    }
    Start-Sleep -Seconds 2
  }
}`;

export function renderHealth(cfg: NovaConfig, _host: HostConfig): StepScripts {
    const setup = [
        `$NovaHealthUrl = ${psQuote(healthUrl(cfg))}`,
        `$NovaHealthTimeout = ${psInt(cfg.healthTimeoutSeconds)}`,
        `$NovaStderrLog = ${psQuote(stderrLogPath(cfg.service))}`,
        SETUP,
    ].join("\n");
    const check = { item: "http", desired: "'200'" };
    return {
        create: renderCreate("health", { setup, checks: [{ ...check, actual: "(Wait-NovaHealth)" }] }),
        audit: renderAudit("health", { setup, checks: [{ ...check, actual: "(Get-NovaHealthStatus)" }] }),
    };
}
