# Behaviours of Windows (and Windows PowerShell 5.1) that an earlier, more lenient model did not have:
# each scenario runs the generated steps against the model as it now behaves, and fails against the
# step as it was before the fix (docs/HOST-MODEL.md, "Behaviours matched to Windows PowerShell 5.1 /
# Windows", names the source of each).
BeforeAll {
  . (Join-Path $PSScriptRoot 'Host.ps1')
  $suite = Get-ModelSuite
  $prod = $suite.variants['prod']
  $staging = $suite.variants['staging']
  function Invoke-InSandbox($Variant, [scriptblock]$Body) {
    New-ModelSandbox -Transport $Variant.transport | Out-Null
    try { Initialize-ModelHost $suite $Variant; & $Body } finally { Remove-ModelSandbox }
  }
  function Get-VenvDirectory($Variant) { return (Split-Path -Parent (Split-Path -Parent $Variant.pythonExe)) }
  # an all-users Python in C:\Program Files and the venv made from it (pyvenv.cfg's home)
  function Add-ProgramFilesPython($Variant) {
    Set-ModelFile 'C:\Program Files\Python312\python.exe' '' -Executable
    Set-ModelFile ((Get-VenvDirectory $Variant) + '\pyvenv.cfg') "home = C:\Program Files\Python312`r`ninclude-system-site-packages = false`r`nversion = 3.12.7`r`n"
  }
}

Describe 'ACL reads: SIDs, and the ALL APPLICATION PACKAGES entries of C:\Program Files' -Tag Model {
  It 'the inherited entries of a Program Files folder have names that do not translate back to a SID' {
    Invoke-InSandbox $prod {
      Add-ProgramFilesPython $prod
      $acl = Get-Acl -LiteralPath 'C:\Program Files\Python312'
      $packages = @($acl.Access | Where-Object { $_.IdentityReference.Value -like 'APPLICATION PACKAGE AUTHORITY\*' })
      $packages.Count | Should -BeGreaterThan 0
      { $packages[0].IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]) } | Should -Throw -ExpectedMessage 'Some or all identity references could not be translated.'
      $sids = @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) | ForEach-Object { $_.IdentityReference.Value })
      $sids | Should -Contain 'S-1-15-2-1'
      $sids | Should -Contain 'S-1-15-2-2'
      # an inherit-only entry's generic rights have no FileSystemRights name, as on Windows
      @($acl.Access | ForEach-Object { [string]$_.FileSystemRights }) | Should -Contain '-1610612736'
    }
  }
  It 'a venv made from an all-users Python in Program Files: the service step grants its virtual account the Python home' {
    Invoke-InSandbox $prod {
      Add-ProgramFilesPython $prod
      Invoke-ModelConverge $suite $prod
      @(Get-ModelDrift $suite $prod) | Should -BeNullOrEmpty
      $sid = Get-ModelServiceSid $prod.serviceName
      $rules = @((Get-Acl -LiteralPath 'C:\Program Files\Python312').GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier]))
      @($rules | Where-Object { $_.IdentityReference.Value -eq $sid }).Count | Should -Be 1
      $second = Invoke-ModelStep $suite $prod 'service'
      $second.Error | Should -BeNullOrEmpty
      @($second.Json.changed) | Should -BeNullOrEmpty
    }
  }
}

Describe 'NSSM throttling: a crashing app fails Start-Service, and the service step names the logs' -Tag Model {
  It 'Start-Service on an app that exits at once: "start failed" (non-terminating), the service Paused' {
    Invoke-InSandbox $prod {
      Invoke-ModelConverge $suite $prod
      Stop-Service -Name $prod.serviceName -Force
      Set-ModelAppBehaviour 'crash'
      $Error.Clear()
      Start-Service -Name $prod.serviceName -ErrorAction SilentlyContinue
      $failed = @($Error | Where-Object { $_.FullyQualifiedErrorId -like 'StartServiceFailed,Microsoft.PowerShell.Commands.StartServiceCommand*' })
      $failed.Count | Should -Be 1
      $failed[0].Exception.Message | Should -Be "Service '$($prod.serviceName) ($($prod.serviceName))' start failed."
      (Get-Service -Name $prod.serviceName).Status | Should -Be 'Paused'
    }
  }
  It 'the service step starting a crashing app fails, naming its state and log files, not their content (<_>)' -ForEach @('prod', 'staging') {
    $variant = $suite.variants[$_]
    Invoke-InSandbox $variant {
      Invoke-ModelConverge $suite $variant
      Stop-Service -Name $variant.serviceName -Force
      Set-ModelAppBehaviour 'crash'
      $r = Invoke-ModelStep $suite $variant 'service'
      $r.ExitCode | Should -Be 1
      $r.Error | Should -BeLike "*service $($variant.serviceName) did not start (Service '$($variant.serviceName) ($($variant.serviceName))' start failed.); it is Paused*see $($variant.logDirectory)\service-error.log and $($variant.logDirectory)\service.log on the host*"
      $r.Error | Should -Not -BeLike '*ModuleNotFoundError*'
      # fixed app, re-run: Paused is stopped and started again
      Set-ModelAppBehaviour 'healthy'
      (Invoke-ModelStep $suite $variant 'service').Error | Should -BeNullOrEmpty
      (Get-Service -Name $variant.serviceName).Status | Should -Be 'Running'
    }
  }
}

Describe 'Windows Firewall normalises address filters: covered and adjacent entries come back merged, as ranges a-b' -Tag Model {
  It 'the entries of falahati/WindowsFirewallHelper#64 read back as its two; adjacent Cloudflare ranges as one range' {
    Invoke-InSandbox $staging {
      New-NetFirewallRule -Name r64 -DisplayName r64 -Protocol TCP -LocalPort 9 -RemoteAddress @('13.110.220.0-13.110.222.200', '13.110.234.124', '13.110.234.126', '13.110.224.0/20', '13.110.230.0/24') | Out-Null
      (Get-NetFirewallRule -Name r64 | Get-NetFirewallAddressFilter).RemoteAddress | Should -Be @('13.110.220.0-13.110.222.200', '13.110.224.0/255.255.240.0')
      New-NetFirewallRule -Name radj -DisplayName radj -Protocol TCP -LocalPort 9 -RemoteAddress @('104.16.0.0/13', '104.24.0.0/14', '10.0.0.0/24', '10.0.1.0/24', '2400:cb00::/32') | Out-Null
      (Get-NetFirewallRule -Name radj | Get-NetFirewallAddressFilter).RemoteAddress | Should -Be @('10.0.0.0/255.255.254.0', '104.16.0.0-104.27.255.255', '2400:cb00::/32')
    }
  }
  It 'direct mode: the rule reads back merged; audit clean, a second create changes nothing, a narrowed rule is drift the next create fixes' {
    Invoke-InSandbox $staging {
      Invoke-ModelConverge $suite $staging
      $name = "nova-infra-staging-tcp-$($staging.appPort)-in"
      $remote = @((Get-NetFirewallRule -Name $name | Get-NetFirewallAddressFilter).RemoteAddress)
      $remote | Should -Contain '104.16.0.0-104.27.255.255'
      @(Get-ModelDrift $suite $staging) | Should -BeNullOrEmpty
      $again = Invoke-ModelStep $suite $staging 'firewall'
      $again.Error | Should -BeNullOrEmpty
      @($again.Json.changed) | Should -BeNullOrEmpty
      # another admin narrows the merged range: a different set of addresses, though as many entries
      Set-NetFirewallRule -Name $name -RemoteAddress ([string[]](@($remote | Where-Object { $_ -ne '104.16.0.0-104.27.255.255' }) + '104.16.0.0-104.27.255.254'))
      $audit = Invoke-ModelStep $suite $staging 'firewall' 'audit'
      $item = @($audit.Json.items | Where-Object item -eq 'remote-addresses')[0]
      $item.ok | Should -BeFalse
      $item.actual | Should -BeLike '*104.16.0.0-104.27.255.254*'
      $item.desired | Should -BeLike '*104.16.0.0-104.27.255.255*'
      $fix = Invoke-ModelStep $suite $staging 'firewall'
      $fix.Error | Should -BeNullOrEmpty
      @($fix.Json.changed) | Should -Contain 'remote-addresses'
      @(Get-ModelDrift $suite $staging) | Should -BeNullOrEmpty
    }
  }
}

Describe 'cloudflared service install starts the service (recovery options set, deleted when the start fails); uninstall removes the token file' -Tag Model {
  It 'install: recovery options, the service Running in service mode, a config.yml in its working directory; uninstall stops it and removes the token file' {
    Invoke-InSandbox $prod {
      $exe = 'C:\cf\cloudflared.exe'
      Set-ModelFile $exe ([System.IO.File]::ReadAllText($suite.fixtures.cloudflaredExe)) -Executable
      & $exe service install 2>&1 | Out-Null
      $LASTEXITCODE | Should -Be 0
      $svc = Get-ModelServiceRecord 'Cloudflared'
      $svc.Status | Should -Be 'Running'
      $svc.FailureActions.Actions[0].Type | Should -Be 'Restart'
      $svc.FailureActions.Actions[0].DelayMs | Should -Be 20000
      $svc.FailureActions.ResetPeriodSeconds | Should -Be 86400
      Get-ModelFileText 'C:\Windows\System32\config.yml' | Should -Be "{}`n"
      & $exe service uninstall 2>&1 | Out-Null
      & $exe service install 'tok-en' 2>&1 | Out-Null
      Get-ModelFileText 'C:\ProgramData\cloudflared\token' | Should -Be 'tok-en'
      & $exe service uninstall 2>&1 | Out-Null
      $LASTEXITCODE | Should -Be 0
      Get-Service -Name Cloudflared -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
      Test-Path -LiteralPath 'C:\ProgramData\cloudflared\token' | Should -BeFalse
    }
  }
  It 'a start that fails: the service is deleted and the token file it wrote removed, exit 1' {
    Invoke-InSandbox $prod {
      $exe = 'C:\cf\cloudflared.exe'
      Set-ModelFile $exe ([System.IO.File]::ReadAllText($suite.fixtures.cloudflaredExe)) -Executable
      Set-ModelCloudflaredStartFailure
      $text = (& $exe service install 'tok-en' 2>&1 | ForEach-Object { [string]$_ }) -join "`n"
      $LASTEXITCODE | Should -Be 1
      $text | Should -BeLike '*Cannot start service: *'
      Get-Service -Name Cloudflared -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
      Test-Path -LiteralPath 'C:\ProgramData\cloudflared\token' | Should -BeFalse
    }
  }
  It 'the cloudflared step: no config.yml of the install left, recovery options kept, Running with our command line; a failed start is fixed by the next run; delete leaves nothing' {
    Invoke-InSandbox $prod {
      foreach ($s in @($prod.steps | Where-Object { $_.step -ne 'cloudflared' -and $_.step -ne 'health' })) { (Invoke-ModelStep $suite $prod $s.step).ExitCode | Should -Be 0 }
      Set-ModelCloudflaredStartFailure
      $failed = Invoke-ModelStep $suite $prod 'cloudflared'
      $failed.ExitCode | Should -Be 1
      $failed.Error | Should -BeLike '*cloudflared.exe service failed with exit code 1*'
      Get-Service -Name Cloudflared -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
      Set-ModelCloudflaredStartFailure $false
      $r = Invoke-ModelStep $suite $prod 'cloudflared'
      $r.Error | Should -BeNullOrEmpty
      @($r.Json.changed) | Should -Contain 'config-yml-removed'
      Test-Path -LiteralPath 'C:\Windows\System32\config.yml' | Should -BeFalse
      $svc = Get-ModelServiceRecord 'Cloudflared'
      $svc.Status | Should -Be 'Running'
      $svc.FailureActions.Actions[0].Type | Should -Be 'Restart'
      (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Cloudflared'").PathName | Should -BeLike '* tunnel run --token-file "C:\ProgramData\cloudflared\token"'
      @((Invoke-ModelStep $suite $prod 'cloudflared' 'audit').Json.items | Where-Object { -not $_.ok }) | Should -BeNullOrEmpty
      (Invoke-ModelStep $suite $prod 'cloudflared' 'delete').ExitCode | Should -Be 0
      Get-Service -Name Cloudflared -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
      Test-Path -LiteralPath 'C:\ProgramData\cloudflared\token' | Should -BeFalse
      Test-Path -LiteralPath 'C:\Windows\System32\config.yml' | Should -BeFalse
    }
  }
  It 'a config.yml in the SYSTEM profile''s .cloudflared: service mode uses it and creates none, so the step removes nothing' {
    Invoke-InSandbox $prod {
      Set-ModelFile 'C:\Windows\System32\config\systemprofile\.cloudflared\config.yml' "logDirectory: C:\x`n"
      foreach ($s in @($prod.steps | Where-Object { $_.step -ne 'cloudflared' -and $_.step -ne 'health' })) { (Invoke-ModelStep $suite $prod $s.step).ExitCode | Should -Be 0 }
      $r = Invoke-ModelStep $suite $prod 'cloudflared'
      $r.Error | Should -BeNullOrEmpty
      @($r.Json.changed) | Should -Not -Contain 'config-yml-removed'
      Test-Path -LiteralPath 'C:\Windows\System32\config.yml' | Should -BeFalse
      # (that config.yml is then the old tunnel's, which the step's guide:old-tunnel-files item removes)
      @($r.Json.changed) | Should -Contain 'guide:old-tunnel-files'
    }
  }
}

Describe 'Win32_Service.Change: a virtual account takes a NULL password' -Tag Model {
  It 'the model: NT SERVICE\(its name) with no StartPassword is 0, with a password 22, with an empty one not modelled (fails loudly)' {
    Invoke-InSandbox $prod {
      Invoke-ModelConverge $suite $prod
      $name = $prod.serviceName
      $key = "HKLM:\SYSTEM\CurrentControlSet\Services\$name"
      $svc = Get-CimInstance -ClassName Win32_Service -Filter "Name = '$name'"
      (Invoke-CimMethod -InputObject $svc -MethodName Change -Arguments @{ StartName = 'LocalSystem' }).ReturnValue | Should -Be 0
      (Invoke-CimMethod -InputObject $svc -MethodName Change -Arguments @{ StartName = "NT SERVICE\$name"; StartPassword = 'not-null' }).ReturnValue | Should -Be 22
      (Get-Item -LiteralPath $key).GetValue('ObjectName') | Should -Be 'LocalSystem'
      { Invoke-CimMethod -InputObject $svc -MethodName Change -Arguments @{ StartName = "NT SERVICE\$name"; StartPassword = '' } } | Should -Throw -ExpectedMessage '*empty StartPassword not modelled*'
      { Invoke-CimMethod -InputObject $svc -MethodName Change -Arguments @{ StartName = 'NT SERVICE\Other' } } | Should -Throw -ExpectedMessage "*account 'NT SERVICE\Other' not modelled*"
      (Invoke-CimMethod -InputObject $svc -MethodName Change -Arguments @{ StartName = "NT SERVICE\$name" }).ReturnValue | Should -Be 0
      (Get-Item -LiteralPath $key).GetValue('ObjectName') | Should -Be "NT SERVICE\$name"
    }
  }
  It 'the service step puts a service found as LocalSystem back on its virtual account, without a password' {
    Invoke-InSandbox $prod {
      Invoke-ModelConverge $suite $prod
      $name = $prod.serviceName
      Update-ModelState { param($state) Set-ModelValue $state "HKLM:\SYSTEM\CurrentControlSet\Services\$name" 'ObjectName' 'String' 'LocalSystem' } | Out-Null
      $r = Invoke-ModelStep $suite $prod 'service'
      $r.Error | Should -BeNullOrEmpty
      @($r.Json.changed) | Should -Contain 'account'
      (Get-Item -LiteralPath "HKLM:\SYSTEM\CurrentControlSet\Services\$name").GetValue('ObjectName') | Should -Be "NT SERVICE\$name"
      @(Get-ModelDrift $suite $prod) | Should -BeNullOrEmpty
    }
  }
}

Describe 'the certificate request on Windows: the CNG branch' -Tag Model {
  It 'on the Linux host the CNG types refuse, as .NET off Windows does' {
    Invoke-InSandbox $staging {
      { [System.Security.Cryptography.CngKey]::Create([System.Security.Cryptography.CngAlgorithm]::ECDsaP256, [System.Management.Automation.Language.NullString]::Value, $null) } | Should -Throw -ExpectedMessage '*not supported on this platform*'
    }
  }
  It 'with the platform Windows: the request makes an ephemeral exportable CNG key, the issued certificate is installed and served' {
    Invoke-InSandbox $staging {
      Set-ModelWindowsPlatform
      try {
        Invoke-ModelConverge $suite $staging
        Get-ModelCngKeyCount | Should -Be 1
        @(Get-ModelDrift $suite $staging) | Should -BeNullOrEmpty
        (Invoke-ModelStep $suite $staging 'health').Error | Should -BeNullOrEmpty
      } finally { Set-ModelWindowsPlatform $false }
    }
  }
  It 'a key requested with $null for its name (a persisted key named empty, as PowerShell passes $null to a string) fails loudly' {
    Invoke-InSandbox $staging {
      Set-ModelWindowsPlatform
      try {
        $mutant = New-ModelMutant $staging 'certificate-request' 'create' '[System.Management.Automation.Language.NullString]::Value' '$null'
        foreach ($s in @($staging.steps | Where-Object { $_.step -in @('preflight', 'tools', 'dotenv') })) { (Invoke-ModelStep $suite $staging $s.step).ExitCode | Should -Be 0 }
        $r = Invoke-ModelStep $suite $mutant 'certificate-request'
        $r.ExitCode | Should -Be 1
        $r.Error | Should -BeLike "*CngKey.Create with the name ''*not modelled*"
      } finally { Set-ModelWindowsPlatform $false }
    }
  }
}

Describe 'Windows PowerShell 5.1: Get-Service objects have StartType but not the properties pwsh 6+ adds' -Tag Model {
  It 'no BinaryPathName, UserName, StartupType, Description or DelayedAutoStart on a Get-Service object' {
    Invoke-InSandbox $prod {
      Invoke-ModelConverge $suite $prod
      $svc = Get-Service -Name $prod.serviceName
      $names = @($svc.PSObject.Properties | ForEach-Object { $_.Name })
      $names | Should -Contain 'StartType'
      foreach ($p in @('BinaryPathName', 'UserName', 'StartupType', 'Description', 'DelayedAutoStart')) { $names | Should -Not -Contain $p }
    }
  }
}
