# Step runs of the scenarios that run in both modes: Invoke-HostStep runs a step on the host of the mode
# (Invoke-HostStepRun: host/OnModel.ps1 or host/OnWindows.ps1) and appends one JSON line per run to
# $env:NOVA_PS_RECORD (run-pester.ps1 -Record): the test, the run's number in it, the stack, the step,
# create|audit|delete, the exit code, the step's JSON line and the error. The model run's records are the
# parity file's source (test/ps/parity.ts); the real job compares its own with that file and uploads them.

$script:HostRecordCounts = @{}

# The running Pester test's path (Describe.Context.It, data expanded), read from Pester's own state
# (Get-CurrentTest, Pester 5.7.1, the version pinned by setup:pwsh and the workflow).
function Get-HostCurrentTestPath {
  # Windows ships Pester 3.4 too: the 5.x run-pester.ps1 imported
  $pester = Get-Module -Name Pester | Where-Object { $_.Version -ge [version]'5.0' } | Select-Object -First 1
  if ($null -eq $pester) { return '(no test)' }
  $path = & $pester { $t = Get-CurrentTest; if ($null -ne $t) { [string]$t.ExpandedPath } }
  if ([string]::IsNullOrEmpty($path)) { return '(no test)' }
  return $path
}

function Add-HostStepRecord($Variant, [string]$Step, [string]$Mode, $Result) {
  if (-not $env:NOVA_PS_RECORD) { return }
  $test = Get-HostCurrentTestPath
  $n = 1 + [int]$script:HostRecordCounts[$test]
  $script:HostRecordCounts[$test] = $n
  $line = @([string]$Result.Stdout -split "`r?`n" | Where-Object { $_ -ne '' }) | Select-Object -First 1
  $record = [ordered]@{ test = $test; n = $n; stack = $Variant.stack; step = $Step; mode = $Mode; exitCode = $Result.ExitCode; line = $line; error = $Result.Error }
  $text = (ConvertTo-Json -Compress -Depth 3 -InputObject $record) + "`n"
  [System.IO.File]::AppendAllText($env:NOVA_PS_RECORD, $text, (New-Object System.Text.UTF8Encoding $false))
}

# Runs one script of a step (create, audit or delete) with its secrets on the mode's host and records it.
# Returns ExitCode, Stdout, Json (the JSON line parsed) and Error; $null for a step without that script.
function Invoke-HostStep($Suite, $Variant, [string]$Step, [ValidateSet('create', 'audit', 'delete')][string]$Mode = 'create', [hashtable]$Secrets = @{}) {
  $r = Invoke-HostStepRun $Suite $Variant $Step $Mode $Secrets
  if ($null -ne $r) { Add-HostStepRecord $Variant $Step $Mode $r }
  return $r
}
