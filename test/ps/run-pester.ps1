# Runs one Pester file and writes its counts as JSON (read by test/ps/psSuites.test.ts).
param([Parameter(Mandatory)][string]$Path, [Parameter(Mandatory)][string]$Out, [Parameter(Mandatory)][string]$Pester)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path -LiteralPath $Pester).ProviderPath
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
$tests = @($result.Tests)
$summary = [ordered]@{
  passed = $result.PassedCount; failed = $result.FailedCount; skipped = $result.SkippedCount; notRun = $result.NotRunCount
  containerErrors = @($result.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.ErrorRecord } | ForEach-Object { [string]$_.ErrorRecord[0] })
  failures = @($tests | Where-Object { $_.Result -eq 'Failed' } | ForEach-Object { [ordered]@{ name = $_.ExpandedPath; message = [string]$_.ErrorRecord[0] } })
  skips = @($tests | Where-Object { $_.Result -eq 'Skipped' } | ForEach-Object { [ordered]@{ name = $_.ExpandedPath; reason = [string]$_.ErrorRecord[0] } })
  durationSeconds = [math]::Round($result.Duration.TotalSeconds, 1)
}
[System.IO.File]::WriteAllText($Out, (ConvertTo-Json -InputObject $summary -Depth 5))
