# The host model's own behaviour, each against the source it cites (see the comments in test/ps/model).
BeforeAll {
  . (Join-Path $PSScriptRoot 'Host.ps1')
  $suite = Get-ModelSuite
  function New-Host([string]$Transport = 'ssh') {
    New-ModelSandbox -Transport $Transport | Out-Null
    Set-ModelFile 'C:\nssm\nssm.exe' ([System.IO.File]::ReadAllText($suite.fixtures.guideNssm)) -Executable
    $text = [System.IO.File]::ReadAllText($suite.fixtures.guideNssm).Replace("'2.24'", "'2.24-101-g897c7ad'")
    Set-ModelFile 'C:\new\nssm.exe' $text -Executable
    Set-ModelFile 'C:\cf\cloudflared.exe' ([System.IO.File]::ReadAllText($suite.fixtures.cloudflaredExe)) -Executable
    Set-ModelFile 'C:\app\python.exe' '' -Executable
    Set-ModelFile 'C:\app\.env' "APP_PORT=$($suite.variants.prod.appPort)`n"
  }
  # the bytes a native program writes to stdout (through a pipe, as PowerShell reads it)
  function Get-NativeBytes([string]$Exe, [string[]]$Arguments) {
    $out = Join-Path (Get-ModelRoot) 'native.out'
    & /bin/sh -c '"$0" "$@" > "$NOVA_OUT"' (ConvertTo-ModelUnixPath $Exe) @Arguments | Out-Null
    return [System.IO.File]::ReadAllBytes($out)
  }
}
AfterAll { Remove-ModelSandbox }

Describe 'nssm.exe' -Tag Model {
  BeforeEach { New-Host }
  AfterEach { Remove-ModelSandbox }
  It 'install, get, set, status, remove as NSSM 2.24-101 (service.cpp, settings.cpp, messages.mc)' {
    & 'C:\new\nssm.exe' install Svc 'C:\app\python.exe' 'main.py' | Out-Null; $LASTEXITCODE | Should -Be 0
    ((& 'C:\new\nssm.exe' get Svc AppDirectory) -join '') | Should -Be 'C:\app'
    ((& 'C:\new\nssm.exe' get Svc Start) -join '') | Should -Be 'SERVICE_AUTO_START'
    ((& 'C:\new\nssm.exe' get Svc AppStopMethodConsole) -join '') | Should -Be '1500'
    ((& 'C:\new\nssm.exe' set Svc AppRestartDelay 5000) -join '') | Should -Be 'Set parameter "AppRestartDelay" for service "Svc".'
    (Get-Item 'HKLM:\SYSTEM\CurrentControlSet\Services\Svc\Parameters').GetValue('AppRestartDelay') | Should -Be 5000
    ((& 'C:\new\nssm.exe' status Svc) -join '') | Should -Be 'SERVICE_STOPPED'
    (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Svc'").PathName | Should -Be 'C:\new\nssm.exe'
    ((& 'C:\new\nssm.exe' remove Svc confirm) -join '') | Should -Be 'Service "Svc" removed successfully!'
    Get-Service -Name Svc -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
  }
  It 'install of an existing service fails with exit 5 and CreateService''s error' {
    & 'C:\new\nssm.exe' install Svc 'C:\app\python.exe' | Out-Null
    $text = (& 'C:\new\nssm.exe' install Svc 'C:\app\python.exe' 2>&1 | ForEach-Object { [string]$_ }) -join "`n"
    $LASTEXITCODE | Should -Be 5
    $text | Should -BeLike '*Error creating service!*The specified service already exists.*'
  }
  It '2.24 writes UTF-16LE (NULs once PowerShell decodes it), 2.24-101 with a console writes UTF-8' {
    & 'C:\new\nssm.exe' install Svc 'C:\app\python.exe' | Out-Null
    $env:NOVA_OUT = Join-Path (Get-ModelRoot) 'native.out'
    $old = Get-NativeBytes 'C:\nssm\nssm.exe' @('status', 'Svc')
    $new = Get-NativeBytes 'C:\new\nssm.exe' @('status', 'Svc')
    [System.Text.Encoding]::Unicode.GetString($old) | Should -Be "SERVICE_STOPPED`r`n"
    [System.Text.Encoding]::UTF8.GetString($new) | Should -Be "SERVICE_STOPPED`r`n"
    ((& 'C:\nssm\nssm.exe' status Svc) -join '').Contains([string][char]0) | Should -BeTrue
  }
  It 'start and stop control the service as service.cpp control_service does' {
    & 'C:\new\nssm.exe' install Svc 'C:\app\python.exe' | Out-Null
    & 'C:\new\nssm.exe' set Svc AppDirectory 'C:\app' | Out-Null
    ((& 'C:\new\nssm.exe' start Svc) -join '') | Should -Be 'Svc: START: The operation completed successfully.'
    (Get-Service -Name Svc).Status | Should -Be 'Running'
    (Microsoft.PowerShell.Utility\Invoke-WebRequest -UseBasicParsing -Uri "http://127.0.0.1:$($suite.variants.prod.appPort)/health").StatusCode | Should -Be 200
    & 'C:\new\nssm.exe' start Svc 2>&1 | Out-Null
    $LASTEXITCODE | Should -Be 1
    ((& 'C:\new\nssm.exe' stop Svc) -join '') | Should -Be 'Svc: STOP: The operation completed successfully.'
    (Get-Service -Name Svc).Status | Should -Be 'Stopped'
    Set-ModelAppBehaviour 'crash'
    $text = (& 'C:\new\nssm.exe' start Svc 2>&1 | ForEach-Object { [string]$_ }) -join ''
    $LASTEXITCODE | Should -Be 1
    $text | Should -BeLike '*Unexpected status SERVICE_PAUSED in response to START control.*'
    (Get-Service -Name Svc).Status | Should -Be 'Paused'
  }
  It 'fails loudly on what it does not model' {
    & 'C:\new\nssm.exe' edit Svc 2>&1 | Out-Null
    $LASTEXITCODE | Should -Be 99
  }
}

Describe 'service control manager' -Tag Model {
  BeforeEach { New-Host; & 'C:\new\nssm.exe' install Svc 'C:\app\python.exe' | Out-Null; & 'C:\new\nssm.exe' set Svc AppDirectory 'C:\app' | Out-Null }
  AfterEach { Remove-ModelSandbox }
  It 'Win32_Service State and ProcessId follow the status; the app answers on its port' {
    (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Svc'").State | Should -Be 'Stopped'
    (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Svc'").ProcessId | Should -Be 0
    Start-Service -Name Svc
    $cim = Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Svc'"
    $cim.State | Should -Be 'Running'
    $cim.ProcessId | Should -BeGreaterThan 0
    (Microsoft.PowerShell.Utility\Invoke-WebRequest -UseBasicParsing -Uri "http://127.0.0.1:$($suite.variants.prod.appPort)/health").StatusCode | Should -Be 200
    (Get-NetTCPConnection -State Listen -LocalPort $suite.variants.prod.appPort).OwningProcess | Should -Not -Be $cim.ProcessId
  }
  It 'a crashing app leaves the service Paused; Start-Service on Paused fails, Restart-Service restarts it' {
    Set-ModelAppBehaviour 'crash'
    { Start-Service -Name Svc -ErrorAction Stop } | Should -Throw -ExpectedMessage "Service 'Svc (Svc)' start failed."
    (Get-Service -Name Svc).Status | Should -Be 'Paused'
    (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Svc'").State | Should -Be 'Paused'
    { Start-Service -Name Svc -ErrorAction Stop } | Should -Throw -ExpectedMessage "Service 'Svc (Svc)' start failed."
    Set-ModelAppBehaviour 'healthy'
    Restart-Service -Name Svc -Force
    (Get-Service -Name Svc).Status | Should -Be 'Running'
  }
  It 'a service deleted while running or while a handle is open is marked for deletion until stopped and closed' {
    Start-Service -Name Svc
    Add-ModelServiceHandle 'Svc'
    & 'C:\new\nssm.exe' remove Svc confirm | Out-Null
    (Get-ModelServiceRecord 'Svc').MarkedForDeletion | Should -BeTrue
    & 'C:\new\nssm.exe' install Svc 'C:\app\python.exe' 2>&1 | Out-Null
    $LASTEXITCODE | Should -Be 5
    Stop-Service -Name Svc -Force
    Get-Service -Name Svc -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
    { Start-Service -Name Svc -ErrorAction Stop } | Should -Throw -ExpectedMessage '*marked for deletion*'
    Close-ModelServiceHandle 'Svc'
    Get-Service -Name Svc -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    Test-Path -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Services\Svc' | Should -BeFalse
  }
}

Describe 'cloudflared.exe service install|uninstall (windows_service.go)' -Tag Model {
  BeforeEach { New-Host }
  AfterEach { Remove-ModelSandbox }
  It 'install writes the token file with its SDDL ACL, an ImagePath without the token, the EventLog key' {
    & 'C:\cf\cloudflared.exe' service install 'tok-en' 2>&1 | Out-Null
    $LASTEXITCODE | Should -Be 0
    (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Cloudflared'").PathName | Should -Be '"C:\cf\cloudflared.exe" tunnel run --token-file "C:\ProgramData\cloudflared\token"'
    Get-ModelFileText 'C:\ProgramData\cloudflared\token' | Should -Be 'tok-en'
    $acl = Get-Acl -LiteralPath 'C:\ProgramData\cloudflared\token'
    $acl.AreAccessRulesProtected | Should -BeTrue
    # Access names the accounts (GetAccessRules with NTAccount); the SIDs are read with SecurityIdentifier
    @($acl.Access | ForEach-Object { $_.IdentityReference.Value } | Sort-Object) | Should -Be @('BUILTIN\Administrators', 'NT AUTHORITY\SYSTEM')
    @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) | ForEach-Object { $_.IdentityReference.Value } | Sort-Object) | Should -Be @('S-1-5-18', 'S-1-5-32-544')
    Test-Path -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\Cloudflared' | Should -BeTrue
    $text = (& 'C:\cf\cloudflared.exe' service install 'tok-en' 2>&1 | ForEach-Object { [string]$_ }) -join "`n"
    $LASTEXITCODE | Should -Be 1
    $text | Should -BeLike '*service Cloudflared already exists*'
  }
  It 'a leftover EventLog key makes install fail and leaves no service (cloudflared #1615)' {
    New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\Cloudflared' | Out-Null
    & 'C:\cf\cloudflared.exe' service install 'tok-en' 2>&1 | Out-Null
    $LASTEXITCODE | Should -Be 1
    Get-Service -Name Cloudflared -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
  }
}

Describe 'registry, firewall, downloads, .NET file APIs' -Tag Model {
  BeforeEach { New-Host }
  AfterEach { Remove-ModelSandbox }
  It 'REG_EXPAND_SZ: GetValue(DoNotExpandEnvironmentNames) raw, Get-ItemProperty expanded' {
    New-Item -Path 'HKLM:\SOFTWARE\T' | Out-Null
    Set-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\T' -Name 'P' -Type ExpandString -Value '%SystemRoot%\x'
    (Get-Item -LiteralPath 'HKLM:\SOFTWARE\T').GetValue('P', $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames) | Should -Be '%SystemRoot%\x'
    (Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\T').P | Should -Be 'C:\Windows\x'
    (Get-Item -LiteralPath 'HKLM:\SOFTWARE\T').GetValueKind('P') | Should -Be 'ExpandString'
  }
  It 'address filters come back in mask form for IPv4 subnets, bare for hosts, prefix form for IPv6' {
    New-NetFirewallRule -Name r1 -DisplayName r1 -Protocol TCP -LocalPort 8000 -RemoteAddress @('1.2.3.0/24', '5.6.7.8/32', '2400:cb00::/32') | Out-Null
    (Get-NetFirewallRule -Name r1 | Get-NetFirewallAddressFilter).RemoteAddress | Should -Be @('1.2.3.0/255.255.255.0', '5.6.7.8', '2400:cb00::/32')
    @(Get-NetFirewallPortFilter -Protocol TCP | Where-Object { @($_.LocalPort) -contains '8000' } | Get-NetFirewallRule).Name | Should -Be @('r1')
    { New-NetFirewallRule -Name r1 -DisplayName again } | Should -Throw
  }
  It 'downloads: 503, then the fixture; unknown URLs fail (no network)' {
    Register-ModelDownload 'https://example.invalid/f' $suite.fixtures.cloudflaredExe @('503')
    { Invoke-WebRequest -UseBasicParsing -Uri 'https://example.invalid/f' -OutFile 'C:\f.exe' } | Should -Throw -ExpectedMessage '*(503) Server Unavailable*'
    Invoke-WebRequest -UseBasicParsing -Uri 'https://example.invalid/f' -OutFile 'C:\f.exe'
    (Get-FileHash -LiteralPath 'C:\f.exe' -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $suite.sha256.cloudflaredExe
    { Invoke-WebRequest -UseBasicParsing -Uri 'https://example.invalid/other' -OutFile 'C:\g' } | Should -Throw -ExpectedMessage '*not modelled*'
  }
  It '.NET file APIs resolve C:\ into the sandbox and refuse relative paths; File.SetAccessControl sets the DACL' {
    # compiled now, as the generated scripts are (this file's own text was parsed before the model loaded)
    $run = { param([string]$Code) & ([ScriptBlock]::Create($Code)) }
    & $run "[System.IO.File]::WriteAllText('C:\t.txt', 'x')"
    Get-ModelFileText 'C:\t.txt' | Should -Be 'x'
    { & $run "[System.IO.File]::ReadAllText('t.txt')" } | Should -Throw -ExpectedMessage '*relative path*not modelled*'
    (Get-Acl -LiteralPath 'C:\t.txt').AreAccessRulesProtected | Should -BeFalse
    & $run @'
$acl = New-Object System.Security.AccessControl.FileSecurity
$acl.SetAccessRuleProtection($true, $false)
$acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule (New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-18'), 'FullControl', 'Allow'))
[System.IO.File]::SetAccessControl('C:\t.txt', $acl)
'@
    (Get-Acl -LiteralPath 'C:\t.txt').Access.FileSystemRights | Should -Be 'FullControl'
    Copy-Item -LiteralPath 'C:\t.txt' -Destination 'C:\u.txt'
    (Get-Acl -LiteralPath 'C:\u.txt').AreAccessRulesProtected | Should -BeFalse
  }
}
