# Every step of both stacks on a fresh Windows Server 2019 host (the model): create, audit without
# drift, create again without change, the re-runs the key->steps table names, delete, and an audit
# showing ours gone and the host's other services, rules, variables and files untouched. Runs in both
# host modes (the model, a Windows runner: Host.ps1, docs/HOST-MODEL.md); its step results are the
# parity file's (test/ps/parity/expected.json).
BeforeDiscovery {
  . (Join-Path $PSScriptRoot 'Suite.ps1')
  $suite = Read-NovaSuite
  $stacks = foreach ($name in @('prod', 'staging')) {
    $v = $suite.variants[$name]
    @{ Stack = $name; Steps = @($v.steps | ForEach-Object { @{ Step = $_.step } }); Reruns = @($suite.reruns.Keys | Where-Object { $_.StartsWith("${name}:") } | Sort-Object | ForEach-Object { @{ Key = $_.Split(':')[1] } }) }
  }
}

BeforeAll {
  . (Join-Path $PSScriptRoot 'Host.ps1')
  $suite = Read-NovaSuite
  # Steps that own something on a fresh host: their first create must report changes.
  function Get-ExpectedChange($Variant, [string]$Step) {
    # preflight changes only folder ACLs, and only with fixFolderAcls (staging's app is at the root of C:).
    if ($Step -eq 'preflight') { return [bool]$Variant.fixFolderAcls }
    if ($Step -eq 'health') { return $false }
    if ($Step -eq 'firewall') { return ($Variant.ingressMode -eq 'direct') }
    return $true
  }
}

Describe 'fresh host, <Stack>' -ForEach $stacks -Tag 'Model', 'Real' {
  BeforeAll {
    $v = $suite.variants[$Stack]
    New-HostSandbox $suite $v
    Add-HostUnrelated -Port $v.appPort
    $unrelated = Get-HostUnrelated
  }
  AfterAll { Remove-HostSandbox }

  It 'create <Step>' -ForEach $Steps {
    $r = Invoke-HostStep $suite $v $Step 'create'
    $r.Error | Should -BeNullOrEmpty
    $r.ExitCode | Should -Be 0
    $r.Json.step | Should -Be $Step
    if (Get-ExpectedChange $v $Step) { @($r.Json.changed).Count | Should -BeGreaterThan 0 } else { @($r.Json.changed) | Should -BeNullOrEmpty }
  }

  It 'the host runs the app: service Running; tunnel: /health answers 200 on the configured port' {
    (Get-Service -Name $v.serviceName).Status | Should -Be 'Running'
    if ($v.ingressMode -eq 'tunnel') { (Microsoft.PowerShell.Utility\Invoke-WebRequest -UseBasicParsing -Uri "http://127.0.0.1:$($v.appPort)/health").StatusCode | Should -Be 200 }
  }

  # cloudflared's cmd/cloudflared/windows_service.go (configRecoveryOption, called by service install): one
  # action, restart after recoverActionDelay (20 s), the failure count reset after failureCountResetPeriod
  # (24 h), actions also for stops with an error (serviceFailureActionsFlag). The model does not set these.
  It 'tunnel: the Cloudflared service restarts on failure, as cloudflared service install sets it' -Tag RealOnly {
    if ($v.ingressMode -ne 'tunnel') { return }
    $text = (& sc.exe qfailure Cloudflared | Out-String)
    $LASTEXITCODE | Should -Be 0
    $text | Should -Match 'RESET_PERIOD \(in seconds\)\s*:\s*86400'
    $text | Should -Match 'RESTART -- Delay = 20000 milliseconds'
    (& sc.exe qfailureflag Cloudflared | Out-String) | Should -Match 'FAILURE_ACTIONS_ON_NONCRASH_FAILURES\s*:\s*TRUE'
  }

  It 'direct: TLS on the app port with the certificate issued for its CSR, refusing a client without a certificate' -Tag ModelOnly {
    if ($v.ingressMode -ne 'direct') { return }
    # openssl's client (TLS 1.3) sees the server's certificate before the server asks for a client certificate.
    $served = ('' | & openssl s_client -connect "127.0.0.1:$($v.appPort)" 2>$null | & openssl x509 -noout -fingerprint -sha256 2>$null)
    $issued = (Get-HostIssuedCertificate | & openssl x509 -noout -fingerprint -sha256)
    $issued | Should -Match '^sha256 Fingerprint='
    $served | Should -Be $issued
    Get-HostFileText ($v.appDirectory.TrimEnd('\') + '\tls\origin.crt') | Should -Be (Get-HostIssuedCertificate)
    { Microsoft.PowerShell.Utility\Invoke-WebRequest -UseBasicParsing -SkipCertificateCheck -TimeoutSec 5 -Uri "https://127.0.0.1:$($v.appPort)/health" } | Should -Throw
  }

  It 'audit <Step>: no drift' -ForEach $Steps {
    $r = Invoke-HostStep $suite $v $Step 'audit'
    $r.Error | Should -BeNullOrEmpty
    $bad = @($r.Json.items | Where-Object { -not $_.ok } | ForEach-Object { "$($_.item): desired $($_.desired), actual $($_.actual)" })
    $bad | Should -BeNullOrEmpty
  }

  It 'create <Step> again changes nothing' -ForEach $Steps {
    $r = Invoke-HostStep $suite $v $Step 'create'
    $r.Error | Should -BeNullOrEmpty
    @($r.Json.changed) | Should -BeNullOrEmpty
  }

  It 'changing <Key> and re-running the steps the table names converges; changing it back too' -ForEach $Reruns {
    $rerun = $suite.reruns["${Stack}:$Key"]
    $changed = $suite.variants[$rerun.variant]
    foreach ($pair in @(@($changed, $rerun.secrets), @($v, @{}))) {
      $target = $pair[0]; $secrets = $pair[1]
      foreach ($step in @($target.steps | Where-Object { $rerun.stepsRerun -contains $_.step })) {
        $r = Invoke-HostStep $suite $target $step.step 'create' $secrets
        $r.Error | Should -BeNullOrEmpty -Because "re-run of $($step.step) for $Key"
      }
      # every step, re-run or not, now audits clean against the configuration it was rendered from
      # (after changing back, only the re-run steps: the others did not change)
      $audited = @($target.steps | Where-Object { ($target -eq $changed) -or ($rerun.stepsRerun -contains $_.step) })
      foreach ($step in $audited) {
        $r = Invoke-HostStep $suite $target $step.step 'audit' $secrets
        @($r.Json.items | Where-Object { -not $_.ok } | ForEach-Object { "$($step.step) $($_.item): desired $($_.desired), actual $($_.actual)" }) | Should -BeNullOrEmpty -Because "after changing $Key"
      }
    }
  }

  It 'delete removes ours (steps in reverse order)' {
    $steps = @($v.steps)
    [array]::Reverse($steps)
    foreach ($s in $steps) {
      $r = Invoke-HostStep $suite $v $s.step 'delete'
      if ($null -ne $r) { $r.Error | Should -BeNullOrEmpty -Because "delete of $($s.step)" }
    }
    Get-Service -Name $v.serviceName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    Get-Service -Name 'Cloudflared' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    Test-Path -LiteralPath 'C:\Program Files\nova-infra' | Should -BeFalse
    Test-Path -LiteralPath "HKLM:\SYSTEM\CurrentControlSet\Services\$($v.serviceName)" | Should -BeFalse
    Test-Path -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application\Cloudflared' | Should -BeFalse
    Test-Path -LiteralPath 'C:\ProgramData\cloudflared\token' | Should -BeFalse
    @(Get-NetFirewallRule -Group 'NOVA (nova-infra)' -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
    { Microsoft.PowerShell.Utility\Invoke-WebRequest -UseBasicParsing -Uri "http://127.0.0.1:$($v.appPort)/health" -TimeoutSec 2 } | Should -Throw
  }

  It 'after delete the audits show ours absent' {
    $audit = @{}
    foreach ($s in $v.steps) { $audit[$s.step] = @((Invoke-HostStep $suite $v $s.step 'audit').Json.items) }
    ($audit['tools'] | Where-Object item -eq 'nssm').actual | Should -Be 'missing'
    ($audit['service'] | Where-Object item -eq 'installed').actual | Should -Be 'missing'
    if ($v.ingressMode -eq 'tunnel') { ($audit['cloudflared'] | Where-Object item -eq 'installed').actual | Should -Be 'missing' }
    else {
      ($audit['firewall'] | Where-Object item -eq 'rule').actual | Should -Be 'missing'
      ($audit['certificate-request'] | Where-Object item -eq 'tls-directory').actual | Should -Be 'missing'
      ($audit['certificate'] | Where-Object item -eq 'origin-certificate').actual | Should -Be 'missing'
    }
    $probe = @($audit['health'] | Where-Object item -eq $(if ($v.ingressMode -eq 'tunnel') { 'http' } else { 'tls' }))
    $probe.Count | Should -Be 1
    $probe[0].ok | Should -BeFalse
  }

  It 'the services, rules, Machine variables and files that are not ours are untouched' {
    Get-HostUnrelated | Should -Be $unrelated
  }
}
