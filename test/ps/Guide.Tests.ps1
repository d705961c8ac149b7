# Starting state: the installation the guide made by hand (New-NovaGuideInstallation). The steps must
# take it over: converge, no drift, and the guide's leftovers migrated (issue of the guide takeover:
# the service on our pinned NSSM, no Machine-scope secret, the open rule disabled, the old tunnel
# service replaced); after delete the guide's firewall rules are back as they were.
BeforeDiscovery {
  . (Join-Path $PSScriptRoot 'model/Sandbox.ps1')
  $suite = Get-ModelSuite
  $stacks = foreach ($name in @('prod', 'staging')) { @{ Stack = $name; Steps = @($suite.variants[$name].steps | ForEach-Object { @{ Step = $_.step } }) } }
}

BeforeAll {
  . (Join-Path $PSScriptRoot 'model/Model.ps1')
  $suite = Get-ModelSuite
}

Describe 'the guide''s installation, <Stack>' -ForEach $stacks {
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

  It 'audit shows no drift' {
    if ($v.ingressMode -eq 'direct') { Skip-KnownDefect 'the guide''s "NOVA Backend" rules stay enabled on the app port, so the firewall audit reports them (other-inbound-rules-on-port)' }
    @(Get-ModelDrift $suite $v) | Should -BeNullOrEmpty
  }

  It 'the service runs our pinned NSSM, not the guide''s 2.24' {
    Skip-KnownDefect 'the service step keeps an existing service''s ImagePath (the guide''s C:\nssm\win64\nssm.exe 2.24)'
    (Get-CimInstance -ClassName Win32_Service -Filter "Name = '$($v.serviceName)'").PathName | Should -BeLike '*\nova-infra\nssm\nssm.exe*'
  }

  It 'no Machine-scope copy of a secret key remains' {
    Skip-KnownDefect 'the steps leave the guide''s Machine-scope ANTHROPIC_API_KEY/OPENAI_API_KEY'
    $names = @((Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment').PSObject.Properties.Name)
    $names | Should -Not -Contain 'ANTHROPIC_API_KEY'
    $names | Should -Not -Contain 'OPENAI_API_KEY'
  }

  It 'the guide''s rule open to any address on the app port is disabled' {
    Skip-KnownDefect 'the firewall step leaves the guide''s "NOVA Backend" rule (any address, app port) enabled'
    (Get-NetFirewallRule -DisplayName 'NOVA Backend').Enabled | Should -Be 'False'
  }

  It 'the old Cloudflared service (locally-managed tunnel) is replaced by ours' -Skip:($Stack -ne 'prod') {
    $path = (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Cloudflared'").PathName
    $path | Should -BeLike '"C:\Program Files\nova-infra\cloudflared\cloudflared.exe" tunnel run --token-file *'
  }

  It 'after delete, the guide''s firewall rules are as they were' {
    $steps = @($v.steps); [array]::Reverse($steps)
    foreach ($s in $steps) { $r = Invoke-ModelStep $suite $v $s.step 'delete'; if ($r) { $r.Error | Should -BeNullOrEmpty } }
    Get-ModelGuideRules | Should -Be $guideRules
  }
}
