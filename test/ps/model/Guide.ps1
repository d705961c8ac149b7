# The installation the guide (deploiement-nova-windows-cloudflare.md) makes by hand, made here with
# the guide's own commands run through the model: NSSM 2.24 in C:\nssm\win64 on the Machine PATH,
# NOVA-Backend installed and started with it (python.exe + main.py), ANTHROPIC_API_KEY/OPENAI_API_KEY as
# Machine-scope variables, the firewall rule "NOVA Backend" open to any address on the app port and
# (direct, the guide's "sécurité" section) one "NOVA Backend - Cloudflare <ip>" rule per range, and
# (tunnel) C:\Program Files\cloudflared\cloudflared.exe on the PATH with a Cloudflared service of a
# locally-managed tunnel (config.yml and credentials under the user's profile).

$script:GuideEnvKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment'

function Add-ModelMachinePath([string]$Dir) {
  # [Environment]::SetEnvironmentVariable("Path", $env:Path + ";<dir>", Machine) as the guide writes it
  Update-ModelState { param($state) $v = $state.registry[$script:GuideEnvKey.ToLowerInvariant()].Values['path']; $v.Data = $v.Data + ';' + $Dir } | Out-Null
}

function New-NovaGuideInstallation($Suite, $Variant, [string[]]$CloudflareIps = @('173.245.48.0/20', '103.21.244.0/22', '2400:cb00::/32')) {
  $app = $Variant.appDirectory.TrimEnd('\')
  $python = $Variant.pythonExe
  $port = $Variant.appPort
  # the app checked out with its venv and a hand-written .env (guide steps 1-2)
  Set-ModelFile $python '' -Executable
  Set-ModelFile "$app\main.py" "from fastapi import FastAPI`n"
  Set-ModelFile "$app\.env" "# NOVA`nNOVA_MODE=production`nAPP_HOST=0.0.0.0`nAPP_PORT=$port`n"
  # NSSM 2.24 extracted to C:\nssm, win64 on the Machine PATH
  $nssm = 'C:\nssm\win64\nssm.exe'
  Set-ModelFile $nssm ([System.IO.File]::ReadAllText($Suite.fixtures.guideNssm)) -Executable
  Add-ModelMachinePath 'C:\nssm\win64'
  $logs = "$app\logs"
  New-Item -ItemType Directory -Force -Path $logs | Out-Null
  foreach ($argv in @(
      @('install', $Variant.serviceName, $python, "$app\main.py"),
      @('set', $Variant.serviceName, 'AppDirectory', $app),
      @('set', $Variant.serviceName, 'AppStdout', "$logs\service.log"),
      @('set', $Variant.serviceName, 'AppStderr', "$logs\service-error.log"),
      @('set', $Variant.serviceName, 'Start', 'SERVICE_AUTO_START'))) {
    & $nssm @argv | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "guide: nssm $($argv -join ' ') failed ($LASTEXITCODE)" }
  }
  & $nssm start $Variant.serviceName | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "guide: nssm start failed ($LASTEXITCODE)" }
  # secrets as Machine-scope environment variables (guide "Variables d'environnement")
  Update-ModelState {
    param($state)
    Set-ModelValue $state $script:GuideEnvKey 'ANTHROPIC_API_KEY' 'String' 'sk-ant-guide-0000-not-real'
    Set-ModelValue $state $script:GuideEnvKey 'OPENAI_API_KEY' 'String' 'sk-guide-1111-not-real'
  } | Out-Null
  New-NetFirewallRule -DisplayName 'NOVA Backend' -Direction Inbound -LocalPort $port -Protocol TCP -Action Allow | Out-Null
  if ($Variant.ingressMode -eq 'direct') {
    foreach ($ip in $CloudflareIps) { New-NetFirewallRule -DisplayName "NOVA Backend - Cloudflare $ip" -Direction Inbound -LocalPort $port -Protocol TCP -Action Allow -RemoteAddress $ip | Out-Null }
  } else {
    $cf = 'C:\Program Files\cloudflared\cloudflared.exe'
    Set-ModelFile $cf ([System.IO.File]::ReadAllText($Suite.fixtures.guideCloudflared)) -Executable
    Add-ModelMachinePath 'C:\Program Files\cloudflared'
    $profile = "C:\Users\$script:ModelUser\.cloudflared"
    Set-ModelFile "$profile\6ff42ae2-765d-4adf-8112-31c55c1551ef.json" '{"AccountTag":"guide","TunnelSecret":"Z3VpZGUtc2VjcmV0","TunnelID":"6ff42ae2-765d-4adf-8112-31c55c1551ef"}'
    Set-ModelFile "$profile\config.yml" "tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef`ncredentials-file: $profile\6ff42ae2-765d-4adf-8112-31c55c1551ef.json`ningress:`n  - hostname: nova-rondot.itspirit.ovh`n    service: http://localhost:$port`n  - service: http_status:404`n"
    & $cf service install | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "guide: cloudflared service install failed ($LASTEXITCODE)" }
    Start-Service -Name 'Cloudflared'
  }
  Register-ModelDownload $Suite.urls.nssm $Suite.fixtures.nssmZip
  Register-ModelDownload $Suite.urls.cloudflared $Suite.fixtures.cloudflaredExe
}

# The guide's firewall rules, as comparable text.
function Get-ModelGuideRules {
  return (ConvertTo-Json -Compress -Depth 5 -InputObject @((Read-ModelState).firewall | Where-Object { $_.DisplayName -like 'NOVA Backend*' } | Sort-Object DisplayName))
}
