/**
 * Health. tunnel mode: `http://127.0.0.1:<port><healthPath>` answers 200. direct mode: the backend
 * serves TLS on the port with the installed origin certificate (it requires Cloudflare's client
 * certificate with AOP, which the host does not have, so the probe checks the certificate it presents).
 * The create script polls until then or `healthTimeoutSeconds`, then fails naming the last answer, the
 * service's state and its log files (no log content: logs can hold secrets, and Pulumi prints error
 * messages in clear); the audit probes once. The step's stdin carries a digest of the earlier steps'
 * stdin (see `healthStdin`), so every `up` that changes (and so restarts) anything on the host proves
 * health again. The TLS probe asks for TLS 1.2 by name: on .NET Framework 4.7.2 the one-argument
 * AuthenticateAsClient takes ServicePointManager's defaults (SSL 3/TLS 1.0), which uvicorn refuses.
 * Owns nothing on the host, so there is no delete.
 */
import { psInt, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { stderrLogPath, stdoutLogPath } from "../paths";
import { tlsPaths } from "./certificate";
import { type StepScripts, renderAudit, renderCreate } from "../script";

export function healthUrl(cfg: NovaConfig): string {
    if (!cfg.paths.health.startsWith("/")) throw new Error("paths.health must start with /");
    return `http://127.0.0.1:${cfg.appPort}${cfg.paths.health}`;
}

/** tunnel mode: the health URL's status (constant text). */
const HEALTH_HTTP_FUNCTIONS = String.raw`function Get-NovaHealthStatus {
  try {
    $response = Invoke-WebRequest -UseBasicParsing -Uri $NovaHealthUrl -TimeoutSec 5
    return [string][int]$response.StatusCode
  } catch {
    $response = $_.Exception.Response
    if ($null -ne $response) { return [string][int]$response.StatusCode }
    return ('no answer: ' + $_.Exception.Message)
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
    try { $stream.AuthenticateAsClient($NovaHealthHost, $null, [System.Security.Authentication.SslProtocols]::Tls12, $false) } catch { }
  } catch {
    return ('no answer: ' + $_.Exception.Message)
  } finally { $client.Close() }
  if ($script:NovaPresented -eq '') { return 'no TLS certificate presented' }
  $installed = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 ($NovaOriginCertificate)
  if ($script:NovaPresented -eq $installed.Thumbprint) { return 'origin certificate' }
  return ('another certificate: ' + $script:NovaPresented)
}`;

/** Polls `Get-NovaHealthStatus` until it answers `$NovaHealthWanted`; the failure names no log content. */
const WAIT = String.raw`function Wait-NovaHealth {
  $clock = [System.Diagnostics.Stopwatch]::StartNew()
  while ($true) {
    $status = Get-NovaHealthStatus
    if ($status -eq $NovaHealthWanted) { return $status }
    if ($clock.Elapsed.TotalSeconds -ge $NovaHealthTimeout) {
      $service = Get-Service -Name $NovaHealthService -ErrorAction SilentlyContinue
      $state = 'missing'
      if ($null -ne $service) { $state = [string]$service.Status }
      throw ('{0} did not answer {1} within {2} s (last answer: {3}; service {4} is {5}); see {6} and {7} on the host' -f $NovaHealthTarget, $NovaHealthWanted, $NovaHealthTimeout, $status, $NovaHealthService, $state, $NovaStderrLog, $NovaStdoutLog)
    }
    Start-Sleep -Seconds 2
  }
}`;

/** Variables both modes' scripts use. */
function commonSetup(cfg: NovaConfig, target: string, wanted: string): string[] {
    return [
        `$NovaHealthTarget = ${psQuote(target)}`,
        `$NovaHealthWanted = ${psQuote(wanted)}`,
        `$NovaHealthTimeout = ${psInt(cfg.healthTimeoutSeconds)}`,
        `$NovaStderrLog = ${psQuote(stderrLogPath(cfg.service))}`,
        `$NovaStdoutLog = ${psQuote(stdoutLogPath(cfg.service))}`,
        `$NovaHealthService = ${psQuote(cfg.service.name)}`,
    ];
}

function renderDirectHealth(cfg: NovaConfig): StepScripts {
    const setup = [
        `$NovaHealthPort = ${psInt(cfg.appPort)}`,
        `$NovaHealthHost = ${psQuote(cfg.hostname)}`,
        `$NovaOriginCertificate = ${psQuote(tlsPaths(cfg.service).certificate)}`,
        ...commonSetup(cfg, `https://127.0.0.1:${cfg.appPort}`, "origin certificate"),
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
        ...commonSetup(cfg, healthUrl(cfg), "200"),
        HEALTH_HTTP_FUNCTIONS,
        WAIT,
    ].join("\n");
    const check = { item: "http", desired: "'200'" };
    return {
        create: renderCreate("health", { setup, checks: [{ ...check, actual: "(Wait-NovaHealth)" }] }),
        audit: renderAudit("health", { setup, checks: [{ ...check, actual: "(Get-NovaHealthStatus)" }] }),
    };
}
