# Helpers the scenarios share: mutated copies of a step (to show a scenario fails against a broken
# step), app behaviour, open service handles.

# A copy of $Variant whose step script has $Find replaced by $Replace (the text must occur).
function New-ModelMutant($Variant, [string]$Step, [string]$Mode, [string]$Find, [string]$Replace) {
  $copy = ConvertFrom-Json -InputObject (ConvertTo-Json -InputObject $Variant -Depth 10) -AsHashtable
  $s = @($copy.steps | Where-Object { $_.step -eq $Step })[0]
  $text = [System.IO.File]::ReadAllText($s[$Mode])
  if (-not $text.Contains($Find)) { throw "mutation: the $Step $Mode script has no '$Find'" }
  $dir = Join-Path $env:NOVA_PS_SUITE 'mutants'
  [System.IO.Directory]::CreateDirectory($dir) | Out-Null
  $file = Join-Path $dir ([guid]::NewGuid().ToString('n') + '.ps1')
  [System.IO.File]::WriteAllText($file, $text.Replace($Find, $Replace))
  $s[$Mode] = $file
  return $copy
}

# The app the NSSM service runs from its next start: 'healthy' or 'crash' (exits at once).
function Set-ModelAppBehaviour([ValidateSet('healthy', 'crash')][string]$Behaviour) {
  Update-ModelState { param($state) $state.app.behaviour = $Behaviour } | Out-Null
}

# Another program holding a handle to a service (services.msc, a monitoring agent): DeleteService
# then only marks it for deletion until the handle closes (DeleteService docs).
function Add-ModelServiceHandle([string]$Name) {
  Update-ModelState { param($state) $state.services[$Name.ToLowerInvariant()].Handles = [int]$state.services[$Name.ToLowerInvariant()].Handles + 1 } | Out-Null
}
function Close-ModelServiceHandle([string]$Name) {
  Update-ModelState {
    param($state)
    $svc = $state.services[$Name.ToLowerInvariant()]
    if ($null -eq $svc) { return }
    $svc.Handles = [Math]::Max(0, [int]$svc.Handles - 1)
    if ($svc.MarkedForDeletion -and $svc.Handles -eq 0 -and $svc.Status -eq 'Stopped') { Remove-ModelServiceRecord $state $svc.Name }
  } | Out-Null
}

# Service state as the SCM holds it (status, marked for deletion).
function Get-ModelServiceRecord([string]$Name) {
  $state = Read-ModelState
  $svc = Get-ModelService $state $Name
  Save-ModelStateIfChanged $state
  return $svc
}

# Runs $Body on a fresh host of $Variant (its app and the pinned downloads, Initialize-ModelHost), removed afterwards.
function Invoke-ModelInSandbox($Suite, $Variant, [scriptblock]$Body) {
  New-ModelSandbox -Transport $Variant.transport | Out-Null
  try { Initialize-ModelHost $Suite $Variant; & $Body } finally { Remove-ModelSandbox }
}

# Runs every step's create of a variant in order; throws on the first failure.
function Invoke-ModelConverge($Suite, $Variant, [hashtable]$Secrets = @{}) {
  foreach ($s in $Variant.steps) {
    $r = Invoke-ModelStep $Suite $Variant $s.step 'create' $Secrets
    if ($r.ExitCode -ne 0) { throw "create $($s.step) failed: $($r.Error)" }
  }
}

# The audit items of every step that are not ok, as text.
function Get-ModelDrift($Suite, $Variant, [hashtable]$Secrets = @{}) {
  foreach ($s in $Variant.steps) {
    $r = Invoke-ModelStep $Suite $Variant $s.step 'audit' $Secrets
    if ($r.ExitCode -ne 0) { "$($s.step): audit failed: $($r.Error)"; continue }
    foreach ($i in @($r.Json.items | Where-Object { -not $_.ok })) { "$($s.step) $($i.item): desired $($i.desired), actual $($i.actual)" }
  }
}

# The next `cloudflared service install` fails to start the service it created (cloudflared_model.py:
# it then deletes it, windows_service.go L370-374); $false clears it.
function Set-ModelCloudflaredStartFailure([bool]$Fails = $true) {
  Update-ModelState { param($state) $state.cloudflaredStartFails = $Fails } | Out-Null
}
