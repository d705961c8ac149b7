# Runs one Pester file in the host mode of NOVA_HOST_MODE (test/ps/Suite.ps1: model, the default, or
# real) and writes its counts as JSON (read by test/ps/psSuites.test.ts and the Windows host job). Only the
# tests tagged with the mode run (Model, Real); a test tagged with neither fails the run. -Record: the
# file the step runs of the scenarios of both modes are appended to (host/Record.ps1). Exit code 1 on
# any failure, 0 otherwise. Runs in Windows PowerShell 5.1 too.
param([Parameter(Mandatory = $true)][string]$Path, [Parameter(Mandatory = $true)][string]$Out, [Parameter(Mandatory = $true)][string]$Pester, [string]$Record)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Suite.ps1')
try { $mode = Get-NovaHostMode } catch { [Console]::Error.WriteLine([string]$_.Exception.Message); exit 2 }
Import-Module (Resolve-Path -LiteralPath $Pester).ProviderPath
if ($Record) { $env:NOVA_PS_RECORD = $Record } else { Remove-Item -LiteralPath Env:NOVA_PS_RECORD -ErrorAction SilentlyContinue }
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Filter.Tag = @(Get-NovaHostModeTag $mode)
# a test inside a block of both modes that only one mode runs: -Tag ModelOnly (or RealOnly)
$config.Filter.ExcludeTag = @($(if ($mode -eq 'real') { 'ModelOnly' } else { 'RealOnly' }))
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
$tests = @($result.Tests)

# A test's name: its expanded path once run, its path otherwise (a test the filter left out).
function Get-TestName($Test) {
  if ($Test.ExpandedPath) { return [string]$Test.ExpandedPath }
  return (@($Test.Path) -join '.')
}
# A test's tags and those of the blocks around it (Pester filters on both).
function Get-EffectiveTag($Test) {
  $tags = @($Test.Tag)
  $block = $Test.Block
  while ($null -ne $block) { $tags += @($block.Tag); $block = $block.Parent }
  return @($tags | Where-Object { $_ })
}
# The modes a test runs in: the Model and Real tags around it, narrowed by ModelOnly or RealOnly.
function Get-TestModes($Test) {
  $t = Get-EffectiveTag $Test
  $modes = @(@('Model', 'Real') | Where-Object { $t -contains $_ })
  if ($t -contains 'ModelOnly') { $modes = @($modes | Where-Object { $_ -eq 'Model' }) }
  if ($t -contains 'RealOnly') { $modes = @($modes | Where-Object { $_ -eq 'Real' }) }
  return $modes
}
$untagged = @($tests | Where-Object { @(Get-TestModes $_).Count -eq 0 } | ForEach-Object { "$(Get-TestName $_): no mode tag (-Tag Model, Real or both; docs/HOST-MODEL.md)" })
$summary = [ordered]@{
  mode = $mode
  passed = $result.PassedCount; failed = $result.FailedCount; skipped = $result.SkippedCount; notRun = $result.NotRunCount
  containerErrors = @(@($result.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.ErrorRecord } | ForEach-Object { [string]$_.ErrorRecord[0] }) + $untagged)
  failures = @($tests | Where-Object { $_.Result -eq 'Failed' } | ForEach-Object { [ordered]@{ name = $_.ExpandedPath; message = [string]$_.ErrorRecord[0] } })
  skips = @($tests | Where-Object { $_.Result -eq 'Skipped' } | ForEach-Object { [ordered]@{ name = $_.ExpandedPath; reason = [string]$_.ErrorRecord[0] } })
  # every test with its mode tags (the model-only ones are listed in docs/HOST-MODEL.md)
  tests = @($tests | ForEach-Object { [ordered]@{ name = Get-TestName $_; top = [string]@($_.Path)[0]; it = [string]@($_.Path)[-1]; modes = @(Get-TestModes $_) } })
  durationSeconds = [math]::Round($result.Duration.TotalSeconds, 1)
}
[System.IO.File]::WriteAllText($Out, (ConvertTo-Json -InputObject $summary -Depth 5))
if ($summary.failed -gt 0 -or $summary.containerErrors.Count -gt 0) { exit 1 }
exit 0
