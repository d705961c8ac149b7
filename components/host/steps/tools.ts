/**
 * Tools: NSSM (always) and cloudflared (tunnel mode), pinned by version and SHA-256 and installed under
 * `$env:ProgramFiles\nova-infra`. Installed state is compared with the pin first; only on a difference is
 * the file downloaded (to a fixed temp name), verified with Get-FileHash against the pin BEFORE any use,
 * and installed. NSSM's pin is the hash of its zip, so a marker `installed.sha256` records "<zip sha>
 * <nssm.exe sha>" and the check verifies both. Replacing cloudflared stops and restarts its service when
 * it runs (Windows has no cloudflared auto-update): that is the in-place upgrade.
 * Delete removes our install directories only.
 */
import { psQuote } from "../../powershell";
import type { HostConfig, NovaConfig, ToolPin } from "../../types";
import { CLOUDFLARED_SERVICE, PS_CLOUDFLARED_DIR, PS_CLOUDFLARED_EXE, PS_INSTALL_ROOT, PS_NSSM_DIR, PS_NSSM_EXE } from "../paths";
import { type Check, type StepScripts, renderStep } from "../script";

const SETUP = String.raw`function Save-NovaVerifiedDownload([string]$Url, [string]$Expected, [string]$Path) {
  [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
  if (Test-Path -LiteralPath $Path) { Remove-Item -LiteralPath $Path -Force }
  Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $Path
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
Save-NovaVerifiedDownload -Url $NovaNssmUrl -Expected $desired -Path $zip
if (Test-Path -LiteralPath $unpacked) { Remove-Item -LiteralPath $unpacked -Recurse -Force }
Expand-Archive -LiteralPath $zip -DestinationPath $unpacked -Force
$found = Get-ChildItem -LiteralPath $unpacked -Recurse -Filter 'nssm.exe' | Where-Object { $_.FullName -like '*\win64\nssm.exe' } | Select-Object -First 1
if ($null -eq $found) { throw 'win64\nssm.exe not found in the NSSM archive' }
Install-NovaFile -Source $found.FullName -Target ${PS_NSSM_EXE}
Set-Content -LiteralPath $NovaNssmMarker -Value ($desired + ' ' + (Get-NovaFileHash ${PS_NSSM_EXE})) -Encoding ASCII
Remove-Item -LiteralPath $unpacked -Recurse -Force
Remove-Item -LiteralPath $zip -Force`;

const CLOUDFLARED_FIX = String.raw`$download = Join-Path $env:TEMP ('nova-infra-cloudflared-' + $desired + '.exe')
Save-NovaVerifiedDownload -Url $NovaCloudflaredUrl -Expected $desired -Path $download
$service = Get-Service -Name '${CLOUDFLARED_SERVICE}' -ErrorAction SilentlyContinue
$wasRunning = ($null -ne $service) -and ($service.Status -eq 'Running')
if ($wasRunning) { Stop-Service -Name '${CLOUDFLARED_SERVICE}' -Force }
Install-NovaFile -Source $download -Target ${PS_CLOUDFLARED_EXE}
Remove-Item -LiteralPath $download -Force
if ($wasRunning) { Start-Service -Name '${CLOUDFLARED_SERVICE}' }`;

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
    const setup = [SETUP, toolSetup("Nssm", cfg.tools.nssm)];
    if (cfg.ingressMode === "tunnel") setup.push(toolSetup("Cloudflared", cfg.tools.cloudflared));
    return renderStep("tools", { setup: setup.join("\n"), checks: toolChecks(cfg) }, DELETE);
}
