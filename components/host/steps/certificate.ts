/**
 * direct mode: the origin's TLS key and certificate. Two steps around Cloudflare's Origin CA:
 * - `certificate-request` makes a P-256 key and its CSR on the host (keyRequest.ts) in a directory only
 *   SYSTEM (the service account) and Administrators can open, once per renewal period, and prints the
 *   CSR (public) in its JSON line; the key never leaves the host.
 * - the program has `cloudflare.OriginCaCertificate` sign the CSR; `certificate` gets the signed
 *   certificate (public) in its stdin document, checks it is for the requested key, installs key and
 *   certificate under fixed names for uvicorn, writes Cloudflare's origin-pull CA when AOP is on, removes
 *   the requests of earlier periods and restarts a running service when anything changed.
 * Renewal: a new period (half the certificate's validity) makes a new request, hence a new CSR, a new
 * certificate (the resource is replaced) and its installation; the audit shows the expiry.
 */
import { psQuote } from "../../powershell";
import type { HostConfig, NovaConfig, ServiceConfig } from "../../types";
import { type Check, type StepScripts, renderStep } from "../script";
import { ACL_FUNCTIONS, SYSTEM_AND_ADMINS, aclCheck } from "./acl";
import { serviceReaderSids } from "../serviceAccount";
import { SERVICE_CONTROL_FUNCTIONS } from "./serviceControl";
import { KEY_REQUEST_FUNCTIONS } from "./keyRequest";
import { ORIGIN_PULL_CA_DER_SHA256, ORIGIN_PULL_CA_PEM } from "./originPullCa";

/** Key of the issued certificate in the `certificate` step's stdin document. */
export const ORIGIN_CERTIFICATE_DOCUMENT_KEY = "originCertificate";
/** The audit flags a certificate with fewer days left than this. */
export const EXPIRY_WARNING_DAYS = 30;

/** Where the TLS files live on the host. */
export interface TlsPaths {
    readonly directory: string;
    readonly key: string;
    readonly certificate: string;
    readonly originPullCa: string;
}

export function tlsPaths(service: ServiceConfig): TlsPaths {
    const dir = `${service.appDirectory.replace(/\\+$/, "")}\\tls`;
    return { directory: dir, key: `${dir}\\origin.key`, certificate: `${dir}\\origin.crt`, originPullCa: `${dir}\\origin-pull-ca.pem` };
}

/**
 * The renewal period `now` falls in, named by its first day (`2026-07-02`): periods are half the
 * certificate's validity long, counted from 1970-01-01 UTC, so a certificate is replaced at the first
 * `up` of each period, while it has at least half its validity left.
 */
export function renewalPeriod(now: Date, certificateDays: number): string {
    const length = Math.max(1, Math.floor(certificateDays / 2));
    const day = Math.floor(now.getTime() / 86_400_000);
    return new Date(Math.floor(day / length) * length * 86_400_000).toISOString().slice(0, 10);
}

const DIRECTORY_FUNCTIONS = String.raw`function Set-NovaAdminOnlyDirectory([string]$Path) {
  $acl = New-Object System.Security.AccessControl.DirectorySecurity
  $acl.SetAccessRuleProtection($true, $false)
  $acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544'))
  foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {
    $identity = New-Object System.Security.Principal.SecurityIdentifier $sid
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule $identity, 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow'))
  }
  [System.IO.Directory]::SetAccessControl($Path, $acl)
}`;

/** Files of one key request are named after the renewal period and the hostname: either changing makes a new key. */
function requestVars(cfg: NovaConfig, period: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(period)) throw new Error(`renewal period must be a date, got ${period}`);
    const dir = tlsPaths(cfg.service).directory;
    const base = `request-${period}-${cfg.hostname.toLowerCase()}`;
    return [
        `$NovaTlsDir = ${psQuote(dir)}`,
        `$NovaPeriod = ${psQuote(period)}`,
        `$NovaRequestBase = ${psQuote(base)}`,
        `$NovaRequestKey = ${psQuote(`${dir}\\${base}.key`)}`,
        `$NovaRequestCsr = ${psQuote(`${dir}\\${base}.csr`)}`,
        `$NovaRequestPub = ${psQuote(`${dir}\\${base}.pub`)}`,
    ].join("\n");
}

const REQUEST_PRESENT = "& { if ((Test-Path -LiteralPath $NovaRequestKey) -and (Test-Path -LiteralPath $NovaRequestCsr) -and (Test-Path -LiteralPath $NovaRequestPub)) { $NovaRequestBase } else { 'missing' } }";

export function certificateRequestChecks(cfg: NovaConfig): Check[] {
    return [
        {
            item: "tls-directory",
            desired: "'present'",
            actual: "& { if (Test-Path -LiteralPath $NovaTlsDir -PathType Container) { 'present' } else { 'missing' } }",
            fix: "New-Item -ItemType Directory -Force -Path $NovaTlsDir | Out-Null\nSet-NovaAdminOnlyDirectory $NovaTlsDir",
        },
        // Files created inside inherit only SYSTEM and Administrators: the key is never readable by others.
        { item: "tls-directory-acl", desired: psQuote(SYSTEM_AND_ADMINS), actual: "(Get-NovaAclText $NovaTlsDir)", fix: "Set-NovaAdminOnlyDirectory $NovaTlsDir" },
        { item: "key-request", desired: "$NovaRequestBase", actual: REQUEST_PRESENT, fix: `New-NovaOriginKeyRequest ${psQuote(cfg.hostname)} $NovaRequestKey $NovaRequestCsr $NovaRequestPub` },
        aclCheck("request-key-acl", "$NovaRequestKey", "file"),
    ];
}

/**
 * Removes the files the two certificate steps write (key requests, key, certificate, origin-pull CA), then
 * the directory when nothing else is left in it: a file someone else put there stays, with its directory.
 */
const REQUEST_DELETE = String.raw`if (Test-Path -LiteralPath $NovaTlsDir -PathType Container) {
  $ours = @(Get-ChildItem -LiteralPath $NovaTlsDir -File -Force | Where-Object { ($_.Name -like 'request-*') -or (@('origin.key', 'origin.crt', 'origin-pull-ca.pem') -contains $_.Name) })
  foreach ($file in $ours) { Remove-Item -LiteralPath $file.FullName -Force }
  if ($ours.Count -gt 0) { Add-NovaChange 'removed' }
  if (@(Get-ChildItem -LiteralPath $NovaTlsDir -Force).Count -eq 0) { Remove-Item -LiteralPath $NovaTlsDir -Force; Add-NovaChange 'removed-directory' }
}`;

/** `certificate-request`: the key and CSR of the renewal period `period`, made on the host. */
export function renderCertificateRequest(cfg: NovaConfig, _host: HostConfig, period: string): StepScripts {
    const vars = requestVars(cfg, period);
    return renderStep(
        "certificate-request",
        {
            setup: `${vars}\n${ACL_FUNCTIONS}\n${DIRECTORY_FUNCTIONS}\n${KEY_REQUEST_FUNCTIONS}`,
            checks: certificateRequestChecks(cfg),
            report: "csr = [System.IO.File]::ReadAllText($NovaRequestCsr)",
        },
        `$NovaTlsDir = ${psQuote(tlsPaths(cfg.service).directory)}\n${REQUEST_DELETE}`,
    );
}

const INSTALL_FUNCTIONS = String.raw`function Get-NovaDocumentValue([string]$Name) {
  if ($null -eq $NovaSecrets) { return $null }
  $property = $NovaSecrets.PSObject.Properties[$Name]
  if ($null -eq $property) { return $null }
  return [string]$property.Value
}
function Assert-NovaCertificateForRequest {
  if (-not (Test-NovaCertificateMatchesKey $NovaCertificatePem $NovaRequestPub)) { throw ('the issued certificate is not for the key request of ' + $NovaPeriod + ': run pulumi up again') }
}
function Get-NovaInstalledState {
  if (-not (Test-Path -LiteralPath $NovaCert -PathType Leaf)) { return 'missing' }
  if (Test-NovaCertificateMatchesKey ([System.IO.File]::ReadAllText($NovaCert)) $NovaRequestPub) { return 'issued for the key request' }
  return 'not for the key request'
}
function Get-NovaCertificateExpiry {
  if (-not (Test-Path -LiteralPath $NovaCert -PathType Leaf)) { return 'missing' }
  $certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 (,(ConvertFrom-NovaPem ([System.IO.File]::ReadAllText($NovaCert))))
  return $certificate.NotAfter.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture)
}
function Get-NovaStaleRequests {
  return ((@(Get-ChildItem -LiteralPath $NovaTlsDir -Filter 'request-*' -ErrorAction SilentlyContinue | Where-Object { -not $_.Name.StartsWith($NovaRequestBase + '.') } | ForEach-Object { $_.Name }) | Sort-Object) -join ',')
}`;

const CA_FIX = String.raw`$sha = [System.Security.Cryptography.SHA256]::Create()
try { $pin = Get-NovaHex ($sha.ComputeHash((ConvertFrom-NovaPem $NovaCaPem))) } finally { $sha.Dispose() }
if ($pin -ne $NovaCaPin) { throw ('origin-pull CA does not match its pinned SHA-256 ' + $NovaCaPin) }
Write-NovaText $NovaCa $NovaCaPem`;

export function certificateInstallChecks(cfg: NovaConfig): Check[] {
    const ca: Check = cfg.originTls.aop
        ? { item: "origin-pull-ca", desired: "(Get-NovaStringHash $NovaCaPem)", actual: "(Get-NovaFileHash $NovaCa)", fix: CA_FIX }
        : { item: "origin-pull-ca", desired: "'missing'", actual: "(Get-NovaFileHash $NovaCa)", fix: "Remove-Item -LiteralPath $NovaCa -Force" };
    return [
        {
            item: "origin-key",
            desired: "(Get-NovaFileHash $NovaRequestKey)",
            actual: "(Get-NovaFileHash $NovaKey)",
            fix: "Assert-NovaCertificateForRequest\nCopy-Item -LiteralPath $NovaRequestKey -Destination $NovaKey -Force",
        },
        {
            item: "origin-certificate",
            // Without the issued certificate (an audit run by hand or by drift), the installed one must be for the requested key.
            desired: "& { if ($null -ne $NovaCertificatePem) { Get-NovaStringHash $NovaCertificatePem } else { 'issued for the key request' } }",
            actual: "& { if ($null -ne $NovaCertificatePem) { Get-NovaFileHash $NovaCert } else { Get-NovaInstalledState } }",
            fix: "Assert-NovaCertificateForRequest\nWrite-NovaText $NovaCert $NovaCertificatePem",
        },
        ca,
        // uvicorn runs as the service's account: a virtual account is given read on what it loads.
        aclCheck("origin-key-acl", "$NovaKey", "file", serviceReaderSids(cfg.service)),
        aclCheck("origin-certificate-acl", "$NovaCert", "file", serviceReaderSids(cfg.service)),
        ...(cfg.originTls.aop ? [aclCheck("origin-pull-ca-acl", "$NovaCa", "file", serviceReaderSids(cfg.service))] : []),
        {
            item: "stale-requests",
            desired: "''",
            actual: "(Get-NovaStaleRequests)",
            fix: "foreach ($name in $actual.Split(',')) { Remove-Item -LiteralPath (Join-Path $NovaTlsDir $name) -Force }",
        },
        {
            item: "certificate-expiry",
            desired: psQuote(`more than ${EXPIRY_WARNING_DAYS} days left`),
            actual: "(Get-NovaCertificateExpiry)",
            ok: `(($actual -ne 'missing') -and (([datetime]::ParseExact($actual, 'yyyy-MM-ddTHH:mm:ssZ', [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]'AssumeUniversal, AdjustToUniversal') - [datetime]::UtcNow).TotalDays -gt ${EXPIRY_WARNING_DAYS}))`,
            auditOnly: true,
        },
    ];
}

/**
 * A running (or Paused, or pending) service restarts when a file uvicorn loads changed; a stopped one is
 * left for the service step to start. Through the shared service control (Paused and pending handled).
 */
const INSTALL_FINISH = String.raw`$NovaTlsChanged = @($NovaChanged | Where-Object { @('origin-key', 'origin-certificate', 'origin-pull-ca') -contains $_ }).Count -gt 0
if ($NovaTlsChanged -and (@('restarted', 'started') -contains (Restart-NovaService $NovaService $true))) { Add-NovaChange 'restarted' }`;

/**
 * `certificate`: installs the certificate the Origin CA issued for the request of `period`. The
 * certificate comes in the stdin document (`ORIGIN_CERTIFICATE_DOCUMENT_KEY`), so the script text does
 * not depend on it. Its files go with the directory when `certificate-request` is deleted.
 */
export function renderCertificateInstall(cfg: NovaConfig, _host: HostConfig, period: string): StepScripts {
    const paths = tlsPaths(cfg.service);
    const vars = [
        requestVars(cfg, period),
        `$NovaKey = ${psQuote(paths.key)}`,
        `$NovaCert = ${psQuote(paths.certificate)}`,
        `$NovaCa = ${psQuote(paths.originPullCa)}`,
        `$NovaCaPin = ${psQuote(ORIGIN_PULL_CA_DER_SHA256)}`,
        `$NovaCaPem = ${psQuote(ORIGIN_PULL_CA_PEM)}`,
        `$NovaService = ${psQuote(cfg.service.name)}`,
    ].join("\n");
    const setup = `${vars}\n${ACL_FUNCTIONS}\n${SERVICE_CONTROL_FUNCTIONS}\n${KEY_REQUEST_FUNCTIONS}\n${INSTALL_FUNCTIONS}\n$NovaCertificatePem = Get-NovaDocumentValue ${psQuote(ORIGIN_CERTIFICATE_DOCUMENT_KEY)}`;
    return renderStep("certificate", { setup, checks: certificateInstallChecks(cfg), finish: INSTALL_FINISH });
}

/** The CSR the `certificate-request` step printed (its stdout's JSON line); throws when there is none. */
export function csrFromStdout(stdout: string): string {
    for (const line of stdout.split(/\r?\n/).reverse()) {
        if (!line.startsWith("{")) continue;
        let parsed: unknown;
        try {
            parsed = JSON.parse(line);
        } catch {
            continue;
        }
        const { step, csr } = parsed as { step?: unknown; csr?: unknown };
        if (step !== "certificate-request" || typeof csr !== "string") continue;
        const pem = csr.replace(/\r\n/g, "\n");
        if (!/^-----BEGIN CERTIFICATE REQUEST-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE REQUEST-----\n?$/.test(pem)) {
            throw new Error("certificate-request printed a csr that is not one PEM certificate request");
        }
        return pem.endsWith("\n") ? pem : `${pem}\n`;
    }
    throw new Error("certificate-request printed no JSON line with a csr");
}
