# Starting state: the installation the guide made by hand (New-NovaGuideInstallation). The steps must
# take it over: converge, no drift, and the guide's leftovers migrated (issue of the guide takeover:
# the service on our pinned NSSM, no Machine-scope secret, the open rule disabled, the old tunnel
# service replaced); after delete the guide's firewall rules are back as they were.
BeforeDiscovery {
  . (Join-Path $PSScriptRoot 'Suite.ps1')
  $suite = Read-NovaSuite
  $stacks = foreach ($name in @('prod', 'staging')) {
    # the guide's Cloudflared service exists in tunnel mode only (test/ps/model/Guide.ps1)
    @{ Stack = $name; Steps = @($suite.variants[$name].steps | ForEach-Object { @{ Step = $_.step } }); Tunnel = @($suite.variants[$name] | Where-Object { $_.ingressMode -eq 'tunnel' } | ForEach-Object { @{} }) }
  }
}

BeforeAll {
  . (Join-Path $PSScriptRoot 'Host.ps1')
  $suite = Get-ModelSuite
}

Describe 'the guide''s installation, <Stack>' -ForEach $stacks -Tag Model {
  BeforeAll {
    $v = $suite.variants[$Stack]
    New-ModelSandbox -Transport $v.transport | Out-Null
    New-NovaGuideInstallation $suite $v
    $guideRules = Get-ModelGuideRules
    $guideService = (Get-CimInstance -ClassName Win32_Service -Filter "Name = '$($v.serviceName)'").PathName
  }
  AfterAll { Remove-ModelSandbox }

  It 'starts from the guide''s service on C:\nssm\win64\nssm.exe, running' {
    $guideService | Should -Be 'C:\nssm\win64\nssm.exe'
    (Get-Service -Name $v.serviceName).Status | Should -Be 'Running'
  }

  It 'create <Step> succeeds' -ForEach $Steps {
    $r = Invoke-ModelStep $suite $v $Step 'create'
    $r.Error | Should -BeNullOrEmpty
  }

  It 'audit shows no drift but the leftovers the steps only report: the guide''s Machine PATH entries (nova:removeGuideLeftovers false)' {
    $drift = @(Get-ModelDrift $suite $v)
    if ($v.removeGuideLeftovers) { $drift | Should -BeNullOrEmpty; return }
    $entries = @('C:\nssm\win64') + @($v | Where-Object { $_.ingressMode -eq 'tunnel' } | ForEach-Object { 'C:\Program Files\cloudflared' })
    $drift | Should -Be @("service guide:path-entries: desired , actual $($entries -join ';')")
  }

  It 'the service runs our pinned NSSM, not the guide''s 2.24' {
    (Get-CimInstance -ClassName Win32_Service -Filter "Name = '$($v.serviceName)'").PathName | Should -BeLike '*\nova-infra\nssm\nssm.exe*'
  }

  It 'no Machine-scope copy of a secret key remains' {
    $names = @((Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment').PSObject.Properties.Name)
    $names | Should -Not -Contain 'ANTHROPIC_API_KEY'
    $names | Should -Not -Contain 'OPENAI_API_KEY'
  }

  It 'the guide''s rule open to any address on the app port is disabled' {
    (Get-NetFirewallRule -DisplayName 'NOVA Backend').Enabled | Should -Be 'False'
  }

  It 'the old Cloudflared service (locally-managed tunnel) is replaced by ours' -ForEach $Tunnel {
    $path = (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Cloudflared'").PathName
    $path | Should -BeLike '"C:\Program Files\nova-infra\cloudflared\cloudflared.exe" tunnel run --token-file *'
  }

  It 'after delete, the guide''s firewall rules are as they were' {
    $steps = @($v.steps); [array]::Reverse($steps)
    foreach ($s in $steps) { $r = Invoke-ModelStep $suite $v $s.step 'delete'; if ($r) { $r.Error | Should -BeNullOrEmpty } }
    Get-ModelGuideRules | Should -Be $guideRules
  }
}
