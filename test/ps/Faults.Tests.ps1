# Fault scenarios, each on a fresh host (the model). Each scenario is also run against a deliberately
# broken copy of its step (a text mutation of the generated script) and must fail there: that is
# what it catches.
BeforeAll {
  . (Join-Path $PSScriptRoot 'Host.ps1')
  $suite = Get-ModelSuite
  $prod = $suite.variants['prod']
  $staging = $suite.variants['staging']
  $secretValues = @($suite.secrets.Values) + @('sk-test-2222-rotated-not-real', 'eyJ-rotated-token-not-real')
  function Assert-NoSecret([string]$Text) { foreach ($s in $secretValues) { $Text | Should -Not -BeLike "*$s*" } }
  function Invoke-InSandbox($Variant, [scriptblock]$Body, [string[]]$NssmFaults = @(), [string[]]$CloudflaredFaults = @()) {
    New-ModelSandbox -Transport $Variant.transport | Out-Null
    try { Initialize-ModelHost $suite $Variant $NssmFaults $CloudflaredFaults; & $Body } finally { Remove-ModelSandbox }
  }
  $nssmExe = 'C:\Program Files\nova-infra\nssm\nssm.exe'
  $marker = 'C:\Program Files\nova-infra\nssm\installed.sha256'

  # the download answers 503: the step tries again after a back-off (2 s, doubled, at most 30 s) and
  # succeeds once the server answers; when it answers 503 to every attempt the step fails with nothing
  # installed, and the next run succeeds
  function Test-Download503($Variant) {
    $attempts = 6
    Invoke-InSandbox $Variant -NssmFaults (@('503') * ($attempts + 2)) {
      $r = Invoke-ModelStep $suite $Variant 'tools'
      $r.ExitCode | Should -Be 1
      $r.Error | Should -BeLike "*failed $attempts times (last error: *(503) Server Unavailable*"
      @(Get-ModelSleeps) | Should -Be @(2, 4, 8, 16, 30)
      Test-Path -LiteralPath $nssmExe | Should -BeFalse
      # two 503s left: the next run succeeds on its third attempt
      $r = Invoke-ModelStep $suite $Variant 'tools'
      $r.Error | Should -BeNullOrEmpty
      @($r.Json.changed) | Should -Contain 'nssm'
      Invoke-ModelConverge $suite $Variant
      @(Get-ModelDrift $suite $Variant) | Should -BeNullOrEmpty
    }
  }

  # a download whose bytes do not match the pin is refused and nothing is installed
  function Test-HashMismatch($Variant) {
    Invoke-InSandbox $Variant -NssmFaults @('truncated') -CloudflaredFaults @('wrong') {
      $r = Invoke-ModelStep $suite $Variant 'tools'
      $r.ExitCode | Should -Be 1
      $r.Error | Should -BeLike '*SHA-256 mismatch*'
      Test-Path -LiteralPath $nssmExe | Should -BeFalse
      Test-Path -LiteralPath $marker | Should -BeFalse
      @(Get-ChildItem -LiteralPath $env:TEMP | Where-Object Name -like 'nova-infra-*') | Should -BeNullOrEmpty
      if ($Variant.ingressMode -eq 'tunnel') {
        # the nssm download is good on this second run; cloudflared's is the wrong bytes
        $r = Invoke-ModelStep $suite $Variant 'tools'
        $r.ExitCode | Should -Be 1
        $r.Error | Should -BeLike '*SHA-256 mismatch*cloudflared*'
        Test-Path -LiteralPath 'C:\Program Files\nova-infra\cloudflared\cloudflared.exe' | Should -BeFalse
      }
      (Invoke-ModelStep $suite $Variant 'tools').ExitCode | Should -Be 0
      @(Get-ModelDrift $suite $Variant | Where-Object { $_ -like 'tools *' }) | Should -BeNullOrEmpty
    }
  }

  # a script killed half-way (at its first file copy, then at its second registry write), re-run: converges
  function Test-KilledHalfWay($Variant) {
    Invoke-InSandbox $Variant {
      (Invoke-ModelStep $suite $Variant 'preflight').ExitCode | Should -Be 0
      Set-ModelKillPoint 'Copy-Item' 0
      (Invoke-ModelStep $suite $Variant 'tools').ExitCode | Should -Be -1
      Test-Path -LiteralPath $nssmExe | Should -BeFalse
      (Invoke-ModelStep $suite $Variant 'tools').ExitCode | Should -Be 0
      Test-Path -LiteralPath $nssmExe | Should -BeTrue -Because 'the re-run after the kill installs nssm.exe'
      (Invoke-ModelStep $suite $Variant 'dotenv').ExitCode | Should -Be 0
      Set-ModelKillPoint 'Set-ItemProperty' 1
      (Invoke-ModelStep $suite $Variant 'service').ExitCode | Should -Be -1
      Invoke-ModelConverge $suite $Variant
      @(Get-ModelDrift $suite $Variant) | Should -BeNullOrEmpty
      (Get-Service -Name $Variant.serviceName).Status | Should -Be 'Running'
    }
  }

  # the app fails its health check: the step fails, saying why, with no secret in the message
  function Test-HealthFails($Variant) {
    Invoke-InSandbox $Variant {
      Invoke-ModelConverge $suite $Variant
      Set-ModelAppBehaviour 'crash'
      Stop-Service -Name $Variant.serviceName -Force
      # Start-Service fails ("start failed": NSSM pauses the crashing app); the health step still runs
      Start-Service -Name $Variant.serviceName -ErrorAction SilentlyContinue
      $r = Invoke-ModelStep $suite $Variant 'health'
      $r.ExitCode | Should -Be 1
      $wanted = $(if ($Variant.ingressMode -eq 'tunnel') { '200' } else { 'origin certificate' })
      # the message names the service's state and its log files, not their content (logs can hold secrets)
      $r.Error | Should -BeLike "*did not answer $wanted within 5 s*service $($Variant.serviceName) is Paused*$($Variant.logDirectory)\service-error.log*"
      (Get-ModelFileText "$($Variant.logDirectory)\service-error.log") | Should -BeLike '*ModuleNotFoundError*'
      $r.Error | Should -Not -BeLike '*ModuleNotFoundError*'
      Assert-NoSecret $r.Error
      Assert-NoSecret $r.Stdout
    }
  }

  # token rotation when the Cloudflared service is not ours to rewrite (an earlier install left the token
  # on its command line, readable by local users: the step reinstalls it) while another program holds a
  # handle to it: uninstall only marks it for deletion, so the step waits for it to go, then fails
  # without showing the token; once the handle closes the next run converges on the new token
  function Test-RotationWhileMarked($Variant) {
    Invoke-InSandbox $Variant {
      Invoke-ModelConverge $suite $Variant
      $exe = 'C:\Program Files\nova-infra\cloudflared\cloudflared.exe'
      Update-ModelState { param($state) Set-ModelValue $state 'HKLM:\SYSTEM\CurrentControlSet\Services\Cloudflared' 'ImagePath' 'ExpandString' "`"$exe`" tunnel run --token $($suite.secrets.tunnelToken)" } | Out-Null
      # The audit reports the token-carrying command line without the token (Get-NovaImagePath hides it).
      $audit = Invoke-ModelStep $suite $Variant 'cloudflared' 'audit'
      $audit.ExitCode | Should -Be 0
      @($audit.Json.items | Where-Object { $_.item -eq 'image-path' })[0].actual | Should -BeLike '*--token (hidden)'
      Assert-NoSecret ($audit.Stdout + $audit.Error)
      Add-ModelServiceHandle 'Cloudflared'
      $rotated = @{ tunnelToken = 'eyJ-rotated-token-not-real' }
      $r = Invoke-ModelStep $suite $Variant 'cloudflared' 'create' $rotated
      $r.ExitCode | Should -Be 1
      $r.Error | Should -BeLike '*service Cloudflared is marked for deletion and still exists after 60 s*'
      Assert-NoSecret $r.Error
      (Get-ModelServiceRecord 'Cloudflared').MarkedForDeletion | Should -BeTrue
      Close-ModelServiceHandle 'Cloudflared'
      $r = Invoke-ModelStep $suite $Variant 'cloudflared' 'create' $rotated
      $r.Error | Should -BeNullOrEmpty -Because 'the run after the handle closes converges'
      Get-ModelFileText 'C:\ProgramData\cloudflared\token' | Should -Be 'eyJ-rotated-token-not-real'
      @(Get-ModelDrift $suite $Variant $rotated) | Should -BeNullOrEmpty
      (Get-Service -Name 'Cloudflared').Status | Should -Be 'Running'
    }
  }

  # An install cut off after `cloudflared service install` (which, without a token, leaves the bare exe as the
  # service's command line: cloudflared_model.py, windows_service.go) and before the token file and the
  # command line were written: the re-run must give the service our exact command line, not only the token
  function Test-InstallCutOff($Variant) {
    Invoke-InSandbox $Variant {
      Invoke-ModelConverge $suite $Variant
      $exe = 'C:\Program Files\nova-infra\cloudflared\cloudflared.exe'
      Update-ModelState { param($state) Set-ModelValue $state 'HKLM:\SYSTEM\CurrentControlSet\Services\Cloudflared' 'ImagePath' 'ExpandString' "`"$exe`"" } | Out-Null
      Remove-Item -LiteralPath 'C:\ProgramData\cloudflared\token' -Force
      $r = Invoke-ModelStep $suite $Variant 'cloudflared'
      $r.Error | Should -BeNullOrEmpty
      (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Cloudflared'").PathName | Should -Be "`"$exe`" tunnel run --token-file `"C:\ProgramData\cloudflared\token`""
      Get-ModelFileText 'C:\ProgramData\cloudflared\token' | Should -Be $suite.secrets.tunnelToken
      @(Get-ModelDrift $suite $Variant) | Should -BeNullOrEmpty
      (Get-Service -Name 'Cloudflared').Status | Should -Be 'Running'
    }
  }

  # NSSM throttling a crashing app leaves the service Paused; the app is fixed and the step re-run:
  # the service must end Running and healthy
  function Test-PausedRerun($Variant) {
    Invoke-InSandbox $Variant {
      Invoke-ModelConverge $suite $Variant
      Set-ModelAppBehaviour 'crash'
      Restart-Service -Name $Variant.serviceName -Force -ErrorAction SilentlyContinue
      (Get-Service -Name $Variant.serviceName).Status | Should -Be 'Paused'
      Set-ModelAppBehaviour 'healthy'
      $r = Invoke-ModelStep $suite $Variant 'service'
      $r.Error | Should -BeNullOrEmpty
      (Get-Service -Name $Variant.serviceName).Status | Should -Be 'Running'
      (Invoke-ModelStep $suite $Variant 'health').ExitCode | Should -Be 0
    }
  }
}

Describe 'download 503 then success' -Tag Model {
  It '<_>' -ForEach @('prod', 'staging') { Test-Download503 $suite.variants[$_] }
  It 'fails against a tools step that writes its marker before the download' {
    $m = New-ModelMutant $prod 'tools' 'create' 'Save-NovaVerifiedDownload -Url $NovaNssmUrl' "New-Item -ItemType Directory -Force -Path (Split-Path -Parent `$NovaNssmMarker) | Out-Null; Set-Content -LiteralPath `$NovaNssmMarker -Value (`$desired + ' ' + (Get-NovaFileHash (Join-Path `$env:ProgramFiles 'nova-infra\nssm\nssm.exe'))) -Encoding ASCII`nSave-NovaVerifiedDownload -Url `$NovaNssmUrl"
    { Test-Download503 $m } | Should -Throw -ExpectedMessage "*Expected 'nssm' to be found*"
  }
}

Describe 'hash mismatch refused, nothing installed' -Tag Model {
  It '<_>' -ForEach @('prod', 'staging') { Test-HashMismatch $suite.variants[$_] }
  It 'fails against a tools step that only warns on a mismatch' {
    $m = New-ModelMutant $prod 'tools' 'create' "    Remove-Item -LiteralPath `$Path -Force`n    throw ('SHA-256 mismatch" "    Write-Warning ('SHA-256 mismatch"
    { Test-HashMismatch $m } | Should -Throw -ExpectedMessage '*SHA-256 mismatch*'
  }
}

Describe 'script killed half-way, then re-run' -Tag Model {
  It '<_>' -ForEach @('prod', 'staging') { Test-KilledHalfWay $suite.variants[$_] }
  It 'fails against a tools step that writes its marker before installing nssm.exe' {
    $m = New-ModelMutant $prod 'tools' 'create' '  Copy-Item -LiteralPath $Source -Destination $Target -Force' "  if (`$Target -like '*nssm.exe') { Set-Content -LiteralPath `$NovaNssmMarker -Value (`$desired + ' missing') -Encoding ASCII }`n  Copy-Item -LiteralPath `$Source -Destination `$Target -Force"
    { Test-KilledHalfWay $m } | Should -Throw -ExpectedMessage '*the re-run after the kill installs nssm.exe*'
  }
}

Describe 'app failing its health check' -Tag Model {
  It '<_>' -ForEach @('prod', 'staging') { Test-HealthFails $suite.variants[$_] }
  It 'fails against a health step whose message carries the service environment' {
    $m = New-ModelMutant $prod 'health' 'create' '$NovaStderrLog, $NovaStdoutLog)' "`$NovaStderrLog, (`$NovaStdoutLog + [char]10 + (@((Get-Item -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Services\$($prod.serviceName)\Parameters').GetValue('AppEnvironmentExtra', `$null, 'DoNotExpandEnvironmentNames')) -join ';')))"
    { Test-HealthFails $m } | Should -Throw -ExpectedMessage '*to not match*'
  }
}

Describe 'Cloudflared service marked for deletion during a token rotation' -Tag Model {
  It 'prod' { Test-RotationWhileMarked $prod }
  # `cloudflared service uninstall` stops a running service itself (windows_service.go L397-402 at d1df798,
  # since TUN-5893), so the broken copy deletes it with sc.exe, which does not
  It 'fails against a cloudflared step that deletes the service without stopping it' {
    $m = New-ModelMutant $prod 'cloudflared' 'create' "    Stop-NovaService `$NovaTunnelService | Out-Null`n    if (Test-Path -LiteralPath `$NovaCloudflared -PathType Leaf)" '    if ($false)'
    { Test-RotationWhileMarked $m } | Should -Throw -ExpectedMessage '*Expected $null or empty, because the run after the handle closes converges*marked for deletion*'
  }
}

Describe 'cloudflared install cut off before its command line was set, then re-run' -Tag Model {
  It 'prod' { Test-InstallCutOff $prod }
}

Describe 'service Paused by NSSM throttling, re-run' -Tag Model {
  It '<_>' -ForEach @('prod', 'staging') { Test-PausedRerun $suite.variants[$_] }
}

Describe 'a re-run that restarts the service is followed by a health check' -Tag Model {
  BeforeAll {
    # appEnv re-runs dotenv alone (docs/PERFORMANCE.md); dotenv restarts the running service
    function Test-RestartProvesHealth($Variant) {
      $rerun = $suite.reruns["$($Variant.stack):appEnv"]
      Invoke-InSandbox $Variant {
        Invoke-ModelConverge $suite $Variant
        Set-ModelAppBehaviour 'crash'
        $changed = $suite.variants[$rerun.variant]
        $results = foreach ($step in @($changed.steps | Where-Object { $rerun.stepsRerun -contains $_.step })) { Invoke-ModelStep $suite $changed $step.step }
        @($results | Where-Object { $_.ExitCode -ne 0 }) | Should -Not -BeNullOrEmpty -Because 'the app no longer answers after the restart'
      }
    }
  }
  It '<_>' -ForEach @('prod', 'staging') { Test-RestartProvesHealth $suite.variants[$_] }
}
