"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toolChecks = toolChecks;
exports.renderTools = renderTools;
/**
 * Tools: NSSM (always) and cloudflared (tunnel mode), pinned by version and SHA-256 and installed under
 * `$env:ProgramFiles\nova-infra`. Installed state is compared with the pin first; only on a difference is
 * the file downloaded (to a fixed temp name), verified with Get-FileHash against the pin BEFORE any use,
 * and installed. NSSM's pin is the hash of its zip, so a marker `installed.sha256` records "<zip sha>
 * <nssm.exe sha>" and the check verifies both. Replacing cloudflared stops and restarts its service when
 * it runs (Windows has no cloudflared auto-update): that is the in-place upgrade.
 * Delete removes our install directories only.
 */
const powershell_1 = require("../../powershell");
const paths_1 = require("../paths");
const script_1 = require("../script");
const toolPins_1 = require("../toolPins");
const SETUP = String.raw `function Save-NovaVerifiedDownload([string]$Url, [string]$Expected, [string]$Path) {
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
$NovaNssmMarker = Join-Path ${paths_1.PS_NSSM_DIR} 'installed.sha256'`;
const NSSM_ACTUAL = String.raw `& {
  if (-not (Test-Path -LiteralPath $NovaNssmMarker -PathType Leaf)) { return 'missing' }
  $fields = ([string](Get-Content -LiteralPath $NovaNssmMarker -Raw)).Trim().Split(' ')
  if ($fields.Count -ne 2) { return 'unreadable marker' }
  if ((Get-NovaFileHash ${paths_1.PS_NSSM_EXE}) -ne $fields[1]) { return 'nssm.exe modified' }
  return $fields[0]
}`;
const NSSM_FIX = String.raw `$zip = Join-Path $env:TEMP ('nova-infra-nssm-' + $desired + '.zip')
$unpacked = Join-Path $env:TEMP ('nova-infra-nssm-' + $desired)
Save-NovaVerifiedDownload -Url $NovaNssmUrl -Expected $desired -Path $zip
if (Test-Path -LiteralPath $unpacked) { Remove-Item -LiteralPath $unpacked -Recurse -Force }
Expand-Archive -LiteralPath $zip -DestinationPath $unpacked -Force
$found = Get-ChildItem -LiteralPath $unpacked -Recurse -Filter 'nssm.exe' | Where-Object { $_.FullName -like '*\win64\nssm.exe' } | Select-Object -First 1
if ($null -eq $found) { throw 'win64\nssm.exe not found in the NSSM archive' }
Install-NovaFile -Source $found.FullName -Target ${paths_1.PS_NSSM_EXE}
Set-Content -LiteralPath $NovaNssmMarker -Value ($desired + ' ' + (Get-NovaFileHash ${paths_1.PS_NSSM_EXE})) -Encoding ASCII
Remove-Item -LiteralPath $unpacked -Recurse -Force
Remove-Item -LiteralPath $zip -Force`;
const CLOUDFLARED_FIX = String.raw `$download = Join-Path $env:TEMP ('nova-infra-cloudflared-' + $desired + '.exe')
Save-NovaVerifiedDownload -Url $NovaCloudflaredUrl -Expected $desired -Path $download
$service = Get-Service -Name '${paths_1.CLOUDFLARED_SERVICE}' -ErrorAction SilentlyContinue
$wasRunning = ($null -ne $service) -and ($service.Status -eq 'Running')
if ($wasRunning) { Stop-Service -Name '${paths_1.CLOUDFLARED_SERVICE}' -Force }
Install-NovaFile -Source $download -Target ${paths_1.PS_CLOUDFLARED_EXE}
Remove-Item -LiteralPath $download -Force
if ($wasRunning) { Start-Service -Name '${paths_1.CLOUDFLARED_SERVICE}' }`;
function toolSetup(name, pin) {
    (0, toolPins_1.assertToolPin)(name, pin);
    return `$Nova${name}Url = ${(0, powershell_1.psQuote)(pin.url)}`;
}
function toolChecks(cfg) {
    const checks = [
        { item: "nssm", desired: (0, powershell_1.psQuote)(cfg.tools.nssm.sha256), actual: NSSM_ACTUAL, fix: NSSM_FIX },
    ];
    if (cfg.ingressMode === "tunnel") {
        checks.push({
            item: "cloudflared",
            desired: (0, powershell_1.psQuote)(cfg.tools.cloudflared.sha256),
            actual: `(Get-NovaFileHash ${paths_1.PS_CLOUDFLARED_EXE})`,
            fix: CLOUDFLARED_FIX,
        });
    }
    return checks;
}
const DELETE = String.raw `foreach ($dir in @(${paths_1.PS_NSSM_DIR}, ${paths_1.PS_CLOUDFLARED_DIR})) {
  if (Test-Path -LiteralPath $dir) { Remove-Item -LiteralPath $dir -Recurse -Force; Add-NovaChange ('removed ' + $dir) }
}
$root = ${paths_1.PS_INSTALL_ROOT}
if ((Test-Path -LiteralPath $root) -and -not (Get-ChildItem -LiteralPath $root -Force | Select-Object -First 1)) {
  Remove-Item -LiteralPath $root -Force
}`;
function renderTools(cfg, _host) {
    const setup = [SETUP, toolSetup("Nssm", cfg.tools.nssm)];
    if (cfg.ingressMode === "tunnel")
        setup.push(toolSetup("Cloudflared", cfg.tools.cloudflared));
    return (0, script_1.renderStep)("tools", { setup: setup.join("\n"), checks: toolChecks(cfg) }, DELETE);
}
