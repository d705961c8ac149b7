/**
 * Tools: NSSM (always) and cloudflared (tunnel mode), pinned by version and SHA-256 and installed under
 * `$env:ProgramFiles\nova-infra`. Installed state is compared with the pin first; only on a difference is
 * the file downloaded (to a fixed temp name), verified with Get-FileHash against the pin BEFORE any use,
 * and installed. NSSM's pin is the hash of its zip, so a marker `installed.sha256` records "<zip sha>
 * <nssm.exe sha>" and the check verifies both. Downloads are retried with a bounded backoff (a failure
 * names the URL and the mirror keys). Replacing nssm.exe restarts the backend's service, which would
 * otherwise keep running the renamed old exe. Replacing cloudflared stops and restarts its service when
 * it runs (Windows has no cloudflared auto-update), and starts it again if the replacement fails.
 * Delete removes our install directories only.
 */
import { psQuote } from "../../powershell";
import type { HostConfig, NovaConfig, ToolPin } from "../../types";
import { CLOUDFLARED_SERVICE, PS_CLOUDFLARED_DIR, PS_CLOUDFLARED_EXE, PS_INSTALL_ROOT, PS_NSSM_DIR, PS_NSSM_EXE } from "../paths";
import { type Check, type StepScripts, renderStep } from "../script";
import { SERVICE_CONTROL_FUNCTIONS } from "./serviceControl";

/** Download attempts before the step fails (nssm.cc answers 503 for minutes at a time). */
export const DOWNLOAD_ATTEMPTS = 6;
/** Seconds before the second attempt; doubled after each failure, up to DOWNLOAD_MAX_DELAY. */
export const DOWNLOAD_FIRST_DELAY = 2;
export const DOWNLOAD_MAX_DELAY = 30;

const SETUP = String.raw`function Save-NovaVerifiedDownload([string]$Url, [string]$Expected, [string]$Path, [string]$MirrorKey) {
  [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
  $delay = ${DOWNLOAD_FIRST_DELAY}
  $attempt = 0
  while ($true) {
    $attempt++
    if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Force }
    try { Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $Path -TimeoutSec 300; break }
    catch {
      if ($attempt -ge ${DOWNLOAD_ATTEMPTS}) { throw ('download of {0} failed {1} times (last error: {2}); a server without Internet access can use a mirror: {3}' -f $Url, $attempt, $_.Exception.Message, $MirrorKey) }
      Start-Sleep -Seconds $delay
      $delay = [Math]::Min($delay * 2, ${DOWNLOAD_MAX_DELAY})
    }
  }
  $hash = Get-NovaFileHash $Path
  if ($hash -ne $Expected) {
    Remove-Item -LiteralPath $Path -Force
    throw ('SHA-256 mismatch for {0}: expected {1}, got {2}' -f $Url, $Expected, $hash)
  }
}
function Install-NovaFile([string]$Source, [string]$Target) {
  $dir = Split-Path -Parent $Target
  if (-not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Force -Path $dir | Out-Null }
  if (Test-Path -LiteralPath $Target) {
    $old = $Target + '.old'
    if (Test-Path -LiteralPath $old) { Remove-Item -LiteralPath $old -Force -ErrorAction SilentlyContinue }
    Move-Item -LiteralPath $Target -Destination $old -Force
  }
  Copy-Item -LiteralPath $Source -Destination $Target -Force
}
$NovaNssmMarker = Join-Path ${PS_NSSM_DIR} 'installed.sha256'`;

const NSSM_ACTUAL = String.raw`& {
  if (-not (Test-Path -LiteralPath $NovaNssmMarker -PathType Leaf)) { return 'missing' }
  $fields = ([string](Get-Content -LiteralPath $NovaNssmMarker -Raw)).Trim().Split(' ')
  if ($fields.Count -ne 2) { return 'unreadable marker' }
  if ((Get-NovaFileHash ${PS_NSSM_EXE}) -ne $fields[1]) { return 'nssm.exe modified' }
  return $fields[0]
}`;

const NSSM_FIX = String.raw`$zip = Join-Path $env:TEMP ('nova-infra-nssm-' + $desired + '.zip')
$unpacked = Join-Path $env:TEMP ('nova-infra-nssm-' + $desired)
Save-NovaVerifiedDownload -Url $NovaNssmUrl -Expected $desired -Path $zip -MirrorKey 'nova:nssmUrl (with nova:nssmSha256)'
if (Test-Path -LiteralPath $unpacked) { Remove-Item -LiteralPath $unpacked -Recurse -Force }
Expand-Archive -LiteralPath $zip -DestinationPath $unpacked -Force
$found = Get-ChildItem -LiteralPath $unpacked -Recurse -Filter 'nssm.exe' | Where-Object { $_.FullName -like '*\win64\nssm.exe' } | Select-Object -First 1
if ($null -eq $found) { throw 'win64\nssm.exe not found in the NSSM archive' }
Install-NovaFile -Source $found.FullName -Target ${PS_NSSM_EXE}
Set-Content -LiteralPath $NovaNssmMarker -Value ($desired + ' ' + (Get-NovaFileHash ${PS_NSSM_EXE})) -Encoding ASCII
Remove-Item -LiteralPath $unpacked -Recurse -Force
Remove-Item -LiteralPath $zip -Force
# A running service still runs the old nssm.exe (renamed nssm.exe.old): restart it on the new one.
if (@('restarted', 'started') -contains (Restart-NovaService $NovaService $true)) { Add-NovaChange 'service-restarted' }
Remove-Item -LiteralPath (${PS_NSSM_EXE} + '.old') -Force -ErrorAction SilentlyContinue`;

const CLOUDFLARED_FIX = String.raw`$download = Join-Path $env:TEMP ('nova-infra-cloudflared-' + $desired + '.exe')
Save-NovaVerifiedDownload -Url $NovaCloudflaredUrl -Expected $desired -Path $download -MirrorKey 'nova:cloudflaredUrl (with nova:cloudflaredSha256)'
$service = Get-Service -Name '${CLOUDFLARED_SERVICE}' -ErrorAction SilentlyContinue
$wasRunning = ($null -ne $service) -and ($service.Status -eq 'Running')
if ($wasRunning) { Stop-NovaService '${CLOUDFLARED_SERVICE}' | Out-Null }
# Started again even when the replacement fails: the connector is never left stopped by this step.
try { Install-NovaFile -Source $download -Target ${PS_CLOUDFLARED_EXE} }
finally { if ($wasRunning) { Start-Service -Name '${CLOUDFLARED_SERVICE}' } }
Remove-Item -LiteralPath $download -Force`;

function toolSetup(name: string, pin: ToolPin): string {
    return `$Nova${name}Url = ${psQuote(pin.url)}`;
}

export function toolChecks(cfg: NovaConfig): Check[] {
    const checks: Check[] = [
        { item: "nssm", desired: psQuote(cfg.tools.nssm.sha256), actual: NSSM_ACTUAL, fix: NSSM_FIX },
    ];
    if (cfg.ingressMode === "tunnel") {
        checks.push({
            item: "cloudflared",
            desired: psQuote(cfg.tools.cloudflared.sha256),
            actual: `(Get-NovaFileHash ${PS_CLOUDFLARED_EXE})`,
            fix: CLOUDFLARED_FIX,
        });
    }
    return checks;
}

const DELETE = String.raw`foreach ($dir in @(${PS_NSSM_DIR}, ${PS_CLOUDFLARED_DIR})) {
  if (Test-Path -LiteralPath $dir) { Remove-Item -LiteralPath $dir -Recurse -Force; Add-NovaChange ('removed ' + $dir) }
}
$root = ${PS_INSTALL_ROOT}
if ((Test-Path -LiteralPath $root) -and -not (Get-ChildItem -LiteralPath $root -Force | Select-Object -First 1)) {
  Remove-Item -LiteralPath $root -Force
}`;

export function renderTools(cfg: NovaConfig, _host: HostConfig): StepScripts {
    const setup = [SETUP, SERVICE_CONTROL_FUNCTIONS, `$NovaService = ${psQuote(cfg.service.name)}`, toolSetup("Nssm", cfg.tools.nssm)];
    if (cfg.ingressMode === "tunnel") setup.push(toolSetup("Cloudflared", cfg.tools.cloudflared));
    return renderStep("tools", { setup: setup.join("\n"), checks: toolChecks(cfg) }, DELETE);
}
