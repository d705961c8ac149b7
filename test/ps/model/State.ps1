# Host model: the sandbox and the state shared with the native programs (natives/*.py).
# One JSON document per sandbox ($env:NOVA_MODEL_ROOT/state.json); every model command reads it,
# changes it and writes it back, so the in-process proxies and the native programs (separate
# processes, called synchronously by the scripts) always see one host.

$script:ModelLib = $PSScriptRoot
$script:ModelRoot = $null

function Get-ModelRoot {
  if (-not $script:ModelRoot) { throw 'model: no sandbox (call New-ModelSandbox first)' }
  return $script:ModelRoot
}

# The state file's path (a string join: the model's own Join-Path, Paths.ps1, is a proxy for the scripts and
# costs a cmdlet call, and this runs for every model command).
function Get-ModelStatePath { return (Get-ModelRoot) + '/state.json' }

function Read-ModelState {
  $path = Get-ModelStatePath
  $r = [System.IO.StreamReader]::new($path)
  try { $text = $r.ReadToEnd() } finally { $r.Dispose() }
  return (Microsoft.PowerShell.Utility\ConvertFrom-Json -InputObject $text -AsHashtable)
}

function Write-ModelState($State) {
  if ($State.Contains('dirty')) { $State.Remove('dirty') }
  $path = Get-ModelStatePath
  $w = [System.IO.StreamWriter]::new($path, $false)
  try { $w.Write((Microsoft.PowerShell.Utility\ConvertTo-Json -InputObject $State -Depth 20)) } finally { $w.Dispose() }
}

# Runs $Change against the state and saves it; returns what $Change returns.
function Update-ModelState([scriptblock]$Change) {
  $state = Read-ModelState
  $result = & $Change $state
  Write-ModelState $state
  return $result
}

function New-ModelStateDocument {
  return [ordered]@{
    services = @{}; registry = @{}; fileAcls = @{}; fileOwners = @{}; firewall = @(); processes = @{}; listeners = @()
    web = @{}; calls = @(); eventLog = @(); nextPid = 4200; host = @{}; app = @{ behaviour = 'healthy'; processes = @() }
  }
}
