/**
 * Health. tunnel mode: `http://127.0.0.1:<port><healthPath>` answers 200. direct mode: the backend
 * serves TLS on the port with the installed origin certificate (it requires Cloudflare's client
 * certificate with AOP, which the host does not have, so the probe checks the certificate it presents).
 * The create script polls until then or `healthTimeoutSeconds`, then fails naming the last answer, the
 * service's state and its log files (no log content: logs can hold secrets, and Pulumi prints error
 * messages in clear); the audit probes once. The step's stdin carries a digest of the earlier steps'
 * stdin (see `healthStdin`), so every `up` that changes (and so restarts) anything on the host proves
 * health again. Owns nothing on the host, so there is no delete.
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

/**
 * direct mode: the certificate the backend presents on its TLS port (constant text). The probe sends a
 * TLS 1.2 ClientHello itself and reads the server's Certificate message, which TLS 1.2 sends in clear
 * (RFC 5246 7.4.2), and stops there. SslStream cannot be used: Windows Server 2019's SChannel has no
 * TLS 1.3, and in TLS 1.2 a backend requiring a client certificate (AOP) aborts the handshake before
 * it completes, while .NET Framework's SslStream validates (calls back with) the server's certificate
 * only once the handshake has completed (SslState.CheckCompletionBeforeNextReceive -> CompleteHandshake).
 * The hello offers the ECDHE suites for ECDSA (the P-256 key of keyRequest.ts) and RSA keys, with
 * AES-GCM and with AES-CBC-SHA (uvicorn's default --ssl-ciphers "TLSv1" allows only the latter in TLS
 * 1.2), the curves x25519 and P-256 and the matching signature algorithms (RFC 8422, RFC 5246 7.4.1.4.1).
 */
export const HEALTH_TLS_FUNCTIONS = String.raw`function ConvertTo-NovaU16([int]$Value) { return @((($Value -shr 8) -band 255), ($Value -band 255)) }
function New-NovaClientHello([string]$ServerName) {
  $name = @([System.Text.Encoding]::ASCII.GetBytes($ServerName))
  $extensions = @(0, 0) + (ConvertTo-NovaU16 ($name.Count + 5)) + (ConvertTo-NovaU16 ($name.Count + 3)) + @(0) + (ConvertTo-NovaU16 $name.Count) + $name
  $extensions += @(0, 10, 0, 6, 0, 4, 0, 29, 0, 23) + @(0, 11, 0, 2, 1, 0) + @(0, 13, 0, 12, 0, 10, 4, 3, 8, 4, 4, 1, 5, 3, 5, 1) + @(0, 23, 0, 0) + @(255, 1, 0, 1, 0)
  $suites = @(192, 43, 192, 44, 192, 47, 192, 48, 192, 9, 192, 10, 192, 19, 192, 20)
  $body = @(3, 3) + @(1..32) + @(0) + (ConvertTo-NovaU16 $suites.Count) + $suites + @(1, 0) + (ConvertTo-NovaU16 $extensions.Count) + $extensions
  $handshake = @(1, 0) + (ConvertTo-NovaU16 $body.Count) + $body
  return [byte[]](@(22, 3, 1) + (ConvertTo-NovaU16 $handshake.Count) + $handshake)
}
function Read-NovaBytes($Stream, [int]$Count) {
  $buffer = New-Object byte[] $Count
  $read = 0
  while ($read -lt $Count) {
    $n = $Stream.Read($buffer, $read, $Count - $read)
    if ($n -le 0) { throw 'the connection closed' }
    $read += $n
  }
  return ,$buffer
}
function Read-NovaPresentedCertificate($Stream) {
  $messages = New-Object System.Collections.Generic.List[object]
  for ($record = 0; $record -lt 32; $record++) {
    $header = Read-NovaBytes $Stream 5
    $payload = Read-NovaBytes $Stream ($header[3] * 256 + $header[4])
    if ($header[0] -ne 22) { return $null }
    foreach ($b in $payload) { $messages.Add($b) }
    $at = 0
    while ($at + 4 -le $messages.Count) {
      $length = $messages[$at + 1] * 65536 + $messages[$at + 2] * 256 + $messages[$at + 3]
      if ($at + 4 + $length -gt $messages.Count) { break }
      if ($messages[$at] -eq 11) { return ,[byte[]]($messages.GetRange($at + 10, $messages[$at + 7] * 65536 + $messages[$at + 8] * 256 + $messages[$at + 9]).ToArray()) }
      $at += 4 + $length
    }
  }
  return $null
}
function Get-NovaHealthStatus {
  $client = New-Object System.Net.Sockets.TcpClient
  $presented = $null
  try {
    $client.Connect('127.0.0.1', $NovaHealthPort)
    $stream = $client.GetStream()
    $stream.ReadTimeout = 5000
    $hello = New-NovaClientHello $NovaHealthHost
    $stream.Write($hello, 0, $hello.Length)
    try { $presented = Read-NovaPresentedCertificate $stream } catch { $presented = $null }
  } catch {
    return ('no answer: ' + $_.Exception.Message)
  } finally { $client.Close() }
  if ($null -eq $presented) { return 'no TLS certificate presented' }
  $served = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 (,$presented)
  $installed = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 (,[System.IO.File]::ReadAllBytes($NovaOriginCertificate))
  if ($served.Thumbprint -eq $installed.Thumbprint) { return 'origin certificate' }
  return ('another certificate: ' + $served.Thumbprint)
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

/** The probe's scripts: create waits for `wanted` (item `item`), audit probes once. */
function renderProbe(setup: readonly string[], item: string, wanted: string): StepScripts {
    const text = [...setup, WAIT].join("\n");
    const check = { item, desired: psQuote(wanted) };
    return {
        create: renderCreate("health", { setup: text, checks: [{ ...check, actual: "(Wait-NovaHealth)" }] }),
        audit: renderAudit("health", { setup: text, checks: [{ ...check, actual: "(Get-NovaHealthStatus)" }] }),
    };
}

export function renderHealth(cfg: NovaConfig, _host: HostConfig): StepScripts {
    if (cfg.ingressMode === "direct") {
        const setup = [
            `$NovaHealthPort = ${psInt(cfg.appPort)}`,
            `$NovaHealthHost = ${psQuote(cfg.hostname)}`,
            `$NovaOriginCertificate = ${psQuote(tlsPaths(cfg.service).certificate)}`,
            ...commonSetup(cfg, `https://127.0.0.1:${cfg.appPort}`, "origin certificate"),
            HEALTH_TLS_FUNCTIONS,
        ];
        return renderProbe(setup, "tls", "origin certificate");
    }
    const setup = [`$NovaHealthUrl = ${psQuote(healthUrl(cfg))}`, ...commonSetup(cfg, healthUrl(cfg), "200"), HEALTH_HTTP_FUNCTIONS];
    return renderProbe(setup, "http", "200");
}
