/**
 * Health. tunnel mode: `http://127.0.0.1:<port><healthPath>` answers 200. direct mode: the backend
 * serves TLS on the port with the installed origin certificate (it requires Cloudflare's client
 * certificate with AOP, which the host does not have, so the probe checks the certificate it presents). The create script polls until 200 or
 * `healthTimeoutSeconds`, then fails with the last 40 lines of the service's stderr log; the audit probes
 * once. Owns nothing on the host, so there is no delete.
 */
import { psInt, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { stderrLogPath } from "../paths";
import { tlsPaths } from "./certificate";
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

/** direct mode: what the backend presents on its TLS port (constant text). */
export const HEALTH_TLS_FUNCTIONS = String.raw`function Get-NovaHealthStatus {
  $client = New-Object System.Net.Sockets.TcpClient
  $script:NovaPresented = ''
  try {
    $client.Connect('127.0.0.1', $NovaHealthPort)
    $callback = [System.Net.Security.RemoteCertificateValidationCallback]{ param($source, $certificate, $chain, $errors) $script:NovaPresented = $certificate.GetCertHashString(); return $true }
    $stream = New-Object System.Net.Security.SslStream ($client.GetStream(), $false, $callback)
    try { $stream.AuthenticateAsClient($NovaHealthHost) } catch { }
  } catch {
    return ('no answer: ' + $_.Exception.Message)
  } finally { $client.Close() }
  if ($script:NovaPresented -eq '') { return 'no TLS certificate presented' }
  $installed = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 ($NovaOriginCertificate)
  if ($script:NovaPresented -eq $installed.Thumbprint) { return 'origin certificate' }
  return ('another certificate: ' + $script:NovaPresented)
}`;

const WAIT = String.raw`function Wait-NovaHealth {
  $clock = [System.Diagnostics.Stopwatch]::StartNew()
  while ($true) {
    $status = Get-NovaHealthStatus
    if ($status -eq $NovaHealthWanted) { return $status }
    if ($clock.Elapsed.TotalSeconds -ge $NovaHealthTimeout) {
      $tail = @(Get-Content -LiteralPath $NovaStderrLog -Tail 40 -ErrorAction SilentlyContinue) -join [string][char]10
      throw ('{0} did not answer {1} within {2} s (last: {3}). Last 40 lines of {4}:{5}{6}' -f $NovaHealthTarget, $NovaHealthWanted, $NovaHealthTimeout, $status, $NovaStderrLog, [char]10, $tail)
    }
    Start-Sleep -Seconds 2
  }
}`;

function renderDirectHealth(cfg: NovaConfig): StepScripts {
    const setup = [
        `$NovaHealthPort = ${psInt(cfg.appPort)}`,
        `$NovaHealthHost = ${psQuote(cfg.hostname)}`,
        `$NovaHealthTarget = ${psQuote(`https://127.0.0.1:${cfg.appPort}`)}`,
        "$NovaHealthWanted = 'origin certificate'",
        `$NovaOriginCertificate = ${psQuote(tlsPaths(cfg.service).certificate)}`,
        `$NovaHealthTimeout = ${psInt(cfg.healthTimeoutSeconds)}`,
        `$NovaStderrLog = ${psQuote(stderrLogPath(cfg.service))}`,
        HEALTH_TLS_FUNCTIONS,
        WAIT,
    ].join("\n");
    const check = { item: "tls", desired: "'origin certificate'" };
    return {
        create: renderCreate("health", { setup, checks: [{ ...check, actual: "(Wait-NovaHealth)" }] }),
        audit: renderAudit("health", { setup, checks: [{ ...check, actual: "(Get-NovaHealthStatus)" }] }),
    };
}

export function renderHealth(cfg: NovaConfig, _host: HostConfig): StepScripts {
    if (cfg.ingressMode === "direct") return renderDirectHealth(cfg);
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
