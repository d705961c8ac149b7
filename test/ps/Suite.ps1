# What every Pester file reads first, in discovery and in its BeforeAll, in both host modes: the mode
# (NOVA_HOST_MODE) and the suite's manifest (test/ps/prepare.ts). Loads nothing of the host model.
# Runs in Windows PowerShell 5.1 in real mode: no -AsHashtable, no 7-only syntax (test/ps/hostMode.test.ts).

# 'model' (the default: the host model, here on Linux) or 'real' (the Windows machine the suites run
# on); any other value is an error naming what is accepted.
function Get-NovaHostMode {
  $mode = [Environment]::GetEnvironmentVariable('NOVA_HOST_MODE')
  if ([string]::IsNullOrEmpty($mode)) { return 'model' }
  if (@('model', 'real') -cnotcontains $mode) { throw "NOVA_HOST_MODE is '$mode': accepted values are model (the default) and real" }
  return $mode
}

# The Pester tag of the tests a mode runs: Model or Real (every test carries one or both; run-pester.ps1).
function Get-NovaHostModeTag([string]$Mode = (Get-NovaHostMode)) {
  if ($Mode -eq 'real') { return 'Real' }
  return 'Model'
}

# ConvertFrom-Json's objects as nested hashtables (5.1's ConvertFrom-Json has no -AsHashtable).
function ConvertTo-NovaHashtable($Value) {
  if ($null -eq $Value) { return $null }
  if ($Value -is [System.Management.Automation.PSCustomObject]) {
    $h = @{}
    foreach ($p in $Value.PSObject.Properties) { $h[$p.Name] = ConvertTo-NovaHashtable $p.Value }
    return $h
  }
  if ($Value -is [System.Array]) { return , @($Value | ForEach-Object { ConvertTo-NovaHashtable $_ }) }
  return $Value
}

# The suite's manifest (test/ps/prepare.ts wrote it into $env:NOVA_PS_SUITE), as hashtables.
function Read-NovaSuite {
  if (-not $env:NOVA_PS_SUITE) { throw 'NOVA_PS_SUITE is not set: run the suites through test/ps/psSuites.test.ts (npm test) or prepare.ts' }
  $text = [System.IO.File]::ReadAllText((Join-Path $env:NOVA_PS_SUITE 'manifest.json'))
  return (ConvertTo-NovaHashtable (ConvertFrom-Json -InputObject $text))
}
