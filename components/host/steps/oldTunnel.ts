/**
 * The guide's locally-managed tunnel: `cloudflared service install` without a token made a `Cloudflared`
 * service running `C:\Program Files\cloudflared\cloudflared.exe` with a `config.yml` (and the tunnel's
 * credentials file it names) under a user profile or the system profile. The cloudflared step replaces
 * that service by ours (its image-path check: a foreign ImagePath is reinstalled); this item then removes
 * the old config and credentials, but only once our connector is connected (cloudflared's `/ready`
 * metrics endpoint, localhost:20241-20245, answers 200), so a failed replacement leaves the old tunnel
 * recoverable. The guide's `cert.pem` (the account login) is left to the operator.
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
function Remove-NovaOldTunnelFiles {
  $waited = 0
  while (-not (Test-NovaConnectorReady)) {
    if (($waited += 2) -gt ${CONNECTOR_READY_SECONDS}) { throw ('the old tunnel''s files are kept ({0}): our connector reported no connection within ${CONNECTOR_READY_SECONDS} s' -f ((Get-NovaOldTunnelFiles) -join ', ')) }
    Start-Sleep -Seconds 2
  }
  foreach ($file in (Get-NovaOldTunnelFiles)) { Remove-Item -LiteralPath $file -Force }
}`;

/** Runs after the service, token and running checks (ours is installed and started by then). */
export function oldTunnelChecks(): Check[] {
    return [{ item: "guide:old-tunnel-files", desired: "''", actual: "((Get-NovaOldTunnelFiles) -join ',')", fix: "Remove-NovaOldTunnelFiles" }];
}
