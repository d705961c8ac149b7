/**
 * The guide's locally-managed tunnel: `cloudflared service install` without a token made a `Cloudflared`
 * service running `C:\Program Files\cloudflared\cloudflared.exe` with a `config.yml` (and the tunnel's
 * credentials file it names) under a user profile or the system profile. The cloudflared step replaces
 * that service by ours (its image-path check: a foreign ImagePath is reinstalled), recording its ImagePath
 * first when it is the guide's (`C:\Program Files\cloudflared\cloudflared.exe` without a token on its
 * command line: a token there would be a secret in a world-readable place); this item then
 * moves the old config and credentials out of cloudflared's search paths into the restore folder
 * (restore.ts, `guide-tunnel`; a move keeps their ACL), but only once our connector is connected
 * (cloudflared's `/ready` metrics endpoint, localhost:20241-20245, answers 200), so a failed replacement
 * leaves the old tunnel as it was. The cloudflared step's delete moves them back and reinstalls the
 * recorded service with the guide's own exe (`service install`, as the guide did). The guide's
 * `cert.pem` (the account login) is left where it is.
 */
import type { Check } from "../script";

/** Seconds to wait for our connector to report a connection before removing the old tunnel's files. */
export const CONNECTOR_READY_SECONDS = 60;
/** cloudflared's default metrics ports (the first free one is used). */
export const METRICS_PORTS = [20241, 20242, 20243, 20244, 20245] as const;

export const OLD_TUNNEL_FUNCTIONS = String.raw`function Get-NovaOldTunnelFiles {
  $dirs = @(Join-Path $env:SystemRoot 'System32\config\systemprofile\.cloudflared')
  $dirs += @(Get-ChildItem -LiteralPath (Join-Path $env:SystemDrive 'Users') -Directory -Force -ErrorAction SilentlyContinue | ForEach-Object { Join-Path $_.FullName '.cloudflared' })
  $files = @()
  foreach ($dir in $dirs) {
    $config = Join-Path $dir 'config.yml'
    if (-not (Test-Path -LiteralPath $config -PathType Leaf)) { continue }
    $files += $config
    foreach ($line in [System.IO.File]::ReadAllLines($config)) {
      $m = [regex]::Match($line, '^\s*credentials-file\s*:\s*["'']?([^"'']+?)["'']?\s*$')
      if ($m.Success -and (Test-Path -LiteralPath $m.Groups[1].Value -PathType Leaf)) { $files += $m.Groups[1].Value }
    }
  }
  return @($files | Sort-Object -Unique)
}
function Test-NovaConnectorReady {
  foreach ($port in @(${METRICS_PORTS.join(", ")})) {
    try {
      $response = Invoke-WebRequest -UseBasicParsing -Uri ('http://127.0.0.1:' + $port + '/ready') -TimeoutSec 3
      if ([int]$response.StatusCode -eq 200) { return $true }
    } catch { }
  }
  return $false
}
function Get-NovaGuideTunnelDir { return (Join-Path (Get-NovaRestoreDir) 'guide-tunnel') }
function Save-NovaGuideTunnelService([string]$ImagePath) {
  $file = Join-Path (Get-NovaGuideTunnelDir) 'service.txt'
  $guide = $ImagePath.IndexOf((Join-Path $env:ProgramFiles 'cloudflared\cloudflared.exe'), [System.StringComparison]::OrdinalIgnoreCase) -ge 0
  if ($guide -and ($ImagePath -notmatch '--token[\s=]') -and -not (Test-Path -LiteralPath $file)) { New-NovaRecordFile $file $ImagePath }
}
function Remove-NovaOldTunnelFiles {
  $waited = 0
  while (-not (Test-NovaConnectorReady)) {
    if (($waited += 2) -gt ${CONNECTOR_READY_SECONDS}) { throw ('the old tunnel''s files are kept ({0}): our connector reported no connection within ${CONNECTOR_READY_SECONDS} s' -f ((Get-NovaOldTunnelFiles) -join ', ')) }
    Start-Sleep -Seconds 2
  }
  $keep = Get-NovaGuideTunnelDir
  $list = Join-Path $keep 'files.txt'
  $kept = @()
  if (Test-Path -LiteralPath $list) { $kept = @([System.IO.File]::ReadAllText($list).Split([char]10) | Where-Object { $_ }) }
  $files = @(Get-NovaOldTunnelFiles)
  New-NovaRecordFile $list ((@($kept) + $files) -join [string][char]10)
  for ($i = 0; $i -lt $files.Count; $i++) { Move-Item -LiteralPath $files[$i] -Destination (Join-Path $keep ('file-' + ($kept.Count + $i))) -Force }
}`;

/** Delete: the guide tunnel's files back where they were, and its service reinstalled and started. */
export const RESTORE_GUIDE_TUNNEL = String.raw`$keep = Join-Path (Get-NovaRestoreDir) 'guide-tunnel'
$list = Join-Path $keep 'files.txt'
if (Test-Path -LiteralPath $list) {
  $files = @([System.IO.File]::ReadAllText($list).Split([char]10) | Where-Object { $_ })
  for ($i = 0; $i -lt $files.Count; $i++) {
    $kept = Join-Path $keep ('file-' + $i)
    if (-not (Test-Path -LiteralPath $kept)) { continue }
    $dir = Split-Path -Parent $files[$i]
    if (-not (Test-Path -LiteralPath $dir -PathType Container)) { New-Item -ItemType Directory -Force -Path $dir | Out-Null }
    Move-Item -LiteralPath $kept -Destination $files[$i] -Force
    Add-NovaChange ('guide tunnel restored: ' + $files[$i])
  }
  Remove-Item -LiteralPath $list -Force
}
$record = Join-Path $keep 'service.txt'
if (Test-Path -LiteralPath $record) {
  $image = [System.IO.File]::ReadAllText($record).Trim()
  $guideExe = (Join-Path $env:ProgramFiles 'cloudflared\cloudflared.exe')
  if (-not (Test-Path -LiteralPath $guideExe -PathType Leaf)) { throw ('the guide''s Cloudflared service ({0}) cannot be reinstalled: its exe is missing; the record stays in {1}' -f $image, $record) }
  Invoke-NovaNative $guideExe @('service', 'install') | Out-Null
  $service = Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Cloudflared'"
  if ([string]$service.PathName -ne $image) { Invoke-CimMethod -InputObject $service -MethodName Change -Arguments @{ PathName = $image } | Out-Null }
  Start-Service -Name 'Cloudflared'
  Remove-Item -LiteralPath $record -Force
  Add-NovaChange 'guide tunnel service restored'
}
if ((Test-Path -LiteralPath $keep) -and -not (Get-ChildItem -LiteralPath $keep -Force | Select-Object -First 1)) { Remove-Item -LiteralPath $keep -Force }
Remove-NovaRestoreDir`;

/** Runs after the service, token and running checks (ours is installed and started by then). */
export function oldTunnelChecks(): Check[] {
    return [{ item: "guide:old-tunnel-files", desired: "''", actual: "((Get-NovaOldTunnelFiles) -join ',')", fix: "Remove-NovaOldTunnelFiles" }];
}
