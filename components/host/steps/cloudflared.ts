/**
 * The cloudflared connector service (tunnel mode). The tunnel token arrives in `$NovaSecrets.tunnelToken`
 * and is never printed: it is compared as a SHA-256 with the token file that the service reads,
 * `%ProgramData%\cloudflared\token`. The token never appears on a process command line (process
 * auditing, event 4688 or Sysmon 1, would log it): `cloudflared.exe service install` takes the token only
 * as an argument (cmd/cloudflared/windows_service.go; it has no environment variable or stdin for it),
 * so the service is installed without one, the step writes the token file itself with the descriptor
 * cloudflared >= 2026.7.3 gives it (`O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)`: Administrators and SYSTEM only,
 * not inherited), and points the service at it through the service control manager (Win32_Service
 * Change, no command line): `"<exe>" tunnel run --token-file "<token file>"`, the command line cloudflared
 * itself gives the service (common_service.go, buildArgsForTokenFile). `service install` sets recovery
 * options and starts the service (deleting it when the start fails: windows_service.go L364-374 at
 * d1df798); installed without a token it starts in cloudflared's service mode, which creates a
 * `config.yml` (log directory only, no secret) where it finds none (config.FindOrCreateConfigPath: in
 * `%ProgramFiles(x86)%\cloudflared` when that exists, else the service's working directory
 * `%SystemRoot%\System32`); the step stops and repoints it before it is started for good, and removes a
 * config.yml the install created. `service uninstall` removes the token file itself (L414-420). A leftover
 * `EventLog\Application\Cloudflared` key, which makes install fail, is removed first. A changed token
 * is rotated by rewriting the token file and restarting the service; a reinstall (a service that is
 * not ours, e.g. the guide's locally-managed tunnel) first waits, bounded, until the old service is
 * really gone (its uninstall only marks it for deletion while a handle is open, and the install fails).
 * The exe is pinned and replaced in place by the tools step; this step checks the version and that the
 * service runs our exe without the token on its command line (an ImagePath with `--token <value>`, left by
 * an earlier install, is readable by local users: it is reinstalled, and shown with the value hidden). Delete runs `service uninstall`, removes the leftover key and token file, and
 * puts the guide's locally-managed tunnel back (oldTunnel.ts).
 */
import { psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { CLOUDFLARED_SERVICE, PS_CLOUDFLARED_EXE } from "../paths";
import { type Check, type StepScripts, renderStep } from "../script";
import { ACL_FUNCTIONS, aclCheck } from "./acl";
import { OLD_TUNNEL_FUNCTIONS, RESTORE_GUIDE_TUNNEL, oldTunnelChecks } from "./oldTunnel";
import { RESTORE_FUNCTIONS } from "./restore";
import { SERVICE_CONTROL_FUNCTIONS } from "./serviceControl";

/** Key of the tunnel token in the secrets document. */
export const TUNNEL_TOKEN_SECRET = "tunnelToken";

/** Seconds to wait for a service marked for deletion to go away. */
export const SERVICE_GONE_SECONDS = 60;
/** Descriptor of the token file, as cloudflared >= 2026.7.3 creates it (windows_service.go, createTokenFile). */
export const TOKEN_FILE_SDDL = "O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)";

const SETUP = String.raw`$NovaCloudflared = ${PS_CLOUDFLARED_EXE}
$NovaTunnelService = '${CLOUDFLARED_SERVICE}'
$NovaEventLogKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\Cloudflared'
$NovaTokenFile = Join-Path $env:ProgramData 'cloudflared\token'
$NovaTokenSddl = '${TOKEN_FILE_SDDL}'
function Get-NovaTunnelService { return (Get-Service -Name $NovaTunnelService -ErrorAction SilentlyContinue) }
function Remove-NovaEventLogKey {
  if (Test-Path -LiteralPath $NovaEventLogKey) { Remove-Item -LiteralPath $NovaEventLogKey -Recurse -Force; Add-NovaChange 'eventlog-key-removed' }
}
function Wait-NovaTunnelServiceGone {
  $waited = 0
  while ($null -ne (Get-NovaTunnelService)) {
    if ($waited++ -ge ${SERVICE_GONE_SECONDS}) { throw ('service {0} is marked for deletion and still exists after ${SERVICE_GONE_SECONDS} s: close what holds it open (services.msc, Event Viewer, Task Manager) or reboot, then run again' -f $NovaTunnelService) }
    Start-Sleep -Seconds 1
  }
}
function Install-NovaTunnelService {
  $service = Get-NovaTunnelService
  if ($null -ne $service) {
    if (-not (Test-NovaOurImagePath)) { Save-NovaGuideTunnelService ([string](Get-CimInstance -ClassName Win32_Service -Filter ("Name = '" + $NovaTunnelService + "'")).PathName) }
    Stop-NovaService $NovaTunnelService | Out-Null
    if (Test-Path -LiteralPath $NovaCloudflared -PathType Leaf) { Invoke-NovaNative $NovaCloudflared @('service', 'uninstall') | Out-Null }
    else { Invoke-NovaNative 'sc.exe' @('delete', $NovaTunnelService) | Out-Null }
    # The uninstall only marks the service for deletion while a handle is open; install would then fail.
    Wait-NovaTunnelServiceGone
  }
  Remove-NovaEventLogKey
  # install starts it in service mode, which may create a config.yml (FindOrCreateConfigPath): a new one goes
  $configs = @((Join-Path $env:SystemRoot 'System32\config.yml'), (Join-Path ${"$"}{env:ProgramFiles(x86)} 'cloudflared\config.yml'))
  $before = @($configs | Where-Object { Test-Path -LiteralPath $_ })
  Invoke-NovaNative $NovaCloudflared @('service', 'install') -HideOutput | Out-Null
  Write-NovaTokenFile (Get-NovaSecret '${TUNNEL_TOKEN_SECRET}')
  Stop-NovaService $NovaTunnelService | Out-Null
  foreach ($c in $configs) { if (($before -notcontains $c) -and (Test-Path -LiteralPath $c)) { Remove-Item -LiteralPath $c -Force; Add-NovaChange 'config-yml-removed' } }
  Set-NovaTunnelCommandLine
  Start-Service -Name $NovaTunnelService
}
function Write-NovaTokenFile([string]$Token) {
  $dir = Split-Path -Parent $NovaTokenFile
  if (-not (Test-Path -LiteralPath $dir -PathType Container)) { New-Item -ItemType Directory -Force -Path $dir | Out-Null }
  $security = New-Object System.Security.AccessControl.FileSecurity
  $security.SetSecurityDescriptorSddlForm($NovaTokenSddl)
  # An existing file keeps its descriptor when it is rewritten: restrict it before the token goes in.
  if (Test-Path -LiteralPath $NovaTokenFile -PathType Leaf) { Set-Acl -LiteralPath $NovaTokenFile -AclObject $security }
  $bytes = (New-Object System.Text.UTF8Encoding $false).GetBytes($Token)
  $stream = [System.IO.File]::Create($NovaTokenFile, 4096, [System.IO.FileOptions]::None, $security)
  try { $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
}
function Get-NovaTunnelCommandLine { return ('"' + $NovaCloudflared + '" tunnel run --token-file "' + $NovaTokenFile + '"') }
function Set-NovaTunnelCommandLine {
  $service = Get-CimInstance -ClassName Win32_Service -Filter ("Name = '" + $NovaTunnelService + "'")
  $result = Invoke-CimMethod -InputObject $service -MethodName Change -Arguments @{ PathName = (Get-NovaTunnelCommandLine) }
  if ($result.ReturnValue -ne 0) { throw ('changing the command line of service ' + $NovaTunnelService + ' failed with code ' + $result.ReturnValue) }
}
function Update-NovaTunnelToken {
  # Our service reads the token file at start: rewrite it and restart; reinstall only a foreign service.
  if (Test-NovaOurImagePath) {
    Write-NovaTokenFile (Get-NovaSecret '${TUNNEL_TOKEN_SECRET}')
    Restart-NovaService $NovaTunnelService $true -StartStopped | Out-Null
  } else { Install-NovaTunnelService }
}
function Get-NovaTokenFileHash {
  if (-not (Test-Path -LiteralPath $NovaTokenFile -PathType Leaf)) { return 'missing' }
  return (Get-NovaStringHash ([System.IO.File]::ReadAllText($NovaTokenFile).Trim()))
}
# Our exe, without a token on its command line (its arguments may still be wrong, e.g. after an install
# cut off before Set-NovaTunnelCommandLine: the image-path check then sets them).
function Test-NovaOurImagePath {
  $path = Get-NovaImagePath
  return (($path.IndexOf([string]$NovaCloudflared, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) -and ($path -notmatch '--token[\s=]'))
}
function Get-NovaImagePath {
  $service = Get-CimInstance -ClassName Win32_Service -Filter ("Name = '" + $NovaTunnelService + "'")
  if ($null -eq $service) { return 'missing' }
  return ([string]$service.PathName -replace '(--token[\s=]+)("[^"]*"|\S+)', '$1(hidden)')
}
function Get-NovaCloudflaredVersion {
  if (-not (Test-Path -LiteralPath $NovaCloudflared -PathType Leaf)) { return 'missing' }
  $text = Invoke-NovaNative $NovaCloudflared @('--version')
  $m = [regex]::Match($text, 'version\s+(\S+)')
  if ($m.Success) { return $m.Groups[1].Value }
  return 'unknown'
}`;

export function cloudflaredChecks(cfg: NovaConfig): Check[] {
    return [
        {
            item: "version",
            desired: psQuote(cfg.tools.cloudflared.version),
            actual: "(Get-NovaCloudflaredVersion)",
        },
        {
            item: "installed",
            desired: "'installed'",
            actual: "& { if ($null -ne (Get-NovaTunnelService)) { 'installed' } else { 'missing' } }",
            fix: "Install-NovaTunnelService",
        },
        {
            // Exactly our command line: an install cut off after `service install` leaves the bare exe (config
            // mode, no tunnel), which only the arguments tell apart. Ours with other arguments is corrected in
            // place; anything else (the guide's service, a token on the command line) is reinstalled.
            item: "image-path",
            desired: "(Get-NovaTunnelCommandLine)",
            actual: "(Get-NovaImagePath)",
            ok: "([string]$actual -ieq [string]$desired)",
            fix: "if (Test-NovaOurImagePath) { Set-NovaTunnelCommandLine; Restart-NovaService $NovaTunnelService $true -StartStopped | Out-Null } else { Install-NovaTunnelService }",
        },
        {
            item: "token",
            desired: `(Get-NovaStringHash (Get-NovaSecret '${TUNNEL_TOKEN_SECRET}'))`,
            actual: "(Get-NovaTokenFileHash)",
            fix: "Update-NovaTunnelToken",
            secret: true,
        },
        // TOKEN_FILE_SDDL: protected, Administrators and SYSTEM only (the same DACL as aclCheck's).
        { ...aclCheck("token-acl", "$NovaTokenFile", "file"), fix: `Write-NovaTokenFile (Get-NovaSecret '${TUNNEL_TOKEN_SECRET}')` },
        {
            item: "running",
            desired: "'Running'",
            actual: "& { $s = Get-NovaTunnelService; if ($null -eq $s) { 'missing' } else { [string]$s.Status } }",
            fix: "Restart-NovaService $NovaTunnelService $false -StartStopped | Out-Null",
        },
        ...oldTunnelChecks(),
    ];
}

const DELETE = String.raw`${RESTORE_FUNCTIONS}
$exe = ${PS_CLOUDFLARED_EXE}
$service = Get-Service -Name '${CLOUDFLARED_SERVICE}' -ErrorAction SilentlyContinue
if ($null -ne $service) {
  if ($service.Status -ne 'Stopped') { Stop-Service -Name '${CLOUDFLARED_SERVICE}' -Force }
  if (Test-Path -LiteralPath $exe -PathType Leaf) { Invoke-NovaNative $exe @('service', 'uninstall') | Out-Null }
  else { Invoke-NovaNative 'sc.exe' @('delete', '${CLOUDFLARED_SERVICE}') | Out-Null }
  Add-NovaChange 'service-removed'
}
foreach ($path in @('HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\Cloudflared', (Join-Path $env:ProgramData 'cloudflared\token'))) {
  if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Recurse -Force; Add-NovaChange ('removed ' + $path) }
}
${RESTORE_GUIDE_TUNNEL}`;

export function renderCloudflared(cfg: NovaConfig, _host: HostConfig): StepScripts {
    if (cfg.ingressMode !== "tunnel") throw new Error("the cloudflared step exists only in tunnel mode");
    const setup = [SETUP, ACL_FUNCTIONS, SERVICE_CONTROL_FUNCTIONS, RESTORE_FUNCTIONS, OLD_TUNNEL_FUNCTIONS].join("\n");
    return renderStep("cloudflared", { setup, checks: cloudflaredChecks(cfg) }, DELETE);
}
