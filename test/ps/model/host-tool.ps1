# Sandbox chores for test/components/host/psBootstrap.test.ts, one per call: `prepare` makes a fresh host at -Root for
# a suite variant and runs the given steps' create scripts; `run` runs one script directly
# (Invoke-ModelScript) with the secrets JSON file, printing {exitCode, stdout, error} as JSON.
param([Parameter(Mandatory)][ValidateSet('prepare', 'run')][string]$Do, [Parameter(Mandatory)][string]$Root,
      [string]$Variant, [string[]]$Steps = @(), [string]$Script, [string]$SecretsFile)
$ErrorActionPreference = 'Stop'
& {
  . (Join-Path $PSScriptRoot 'Model.ps1')
  $suite = Get-ModelSuite
  if ($Do -eq 'prepare') {
    $v = $suite.variants[$Variant]
    New-ModelSandbox -Transport $v.transport -Root $Root | Out-Null
    Initialize-ModelHost $suite $v
    foreach ($s in @($Steps | ForEach-Object { $_ -split "," } | Where-Object { $_ })) { $r = Invoke-ModelStep $suite $v $s 'create'; if ($r.ExitCode -ne 0) { throw "prepare: $s failed: $($r.Error)" } }
    Exit-ModelSandbox
    return
  }
  Enter-ModelSandbox -Root $Root
  $secrets = $null
  if ($SecretsFile) { $secrets = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($SecretsFile)) -AsHashtable }
  $r = Invoke-ModelScript $Script $secrets
  Exit-ModelSandbox
  [Console]::Out.WriteLine((ConvertTo-Json -Compress -InputObject ([ordered]@{ exitCode = $r.ExitCode; stdout = $r.Stdout; error = $r.Error })))
}
