# Service processes. A started NSSM service is the process tree Windows shows (nssm.exe, the venv's
# python.exe launcher, the base interpreter that listens; see the preflight step's comment on
# ancestors), with Windows-style ids; the listening interpreter is a real process here: the model's
# small HTTP app (natives/app.py), serving /health on the port the app's .env sets (or uvicorn's
# --port in AppParameters, over TLS when AppParameters has uvicorn's --ssl-* options).

function New-ModelPid($State) { $State.nextPid = [int]$State.nextPid + 4; return [int]$State.nextPid }

function Test-ModelProcessAlive($Process) {
  if (-not $Process.RealPid) { return [bool]$Process.Alive }
  return (Test-Path -LiteralPath "/proc/$($Process.RealPid)") -and -not ((Get-Content -LiteralPath "/proc/$($Process.RealPid)/stat" -Raw -ErrorAction SilentlyContinue) -match '^\d+ \(.*\) Z')
}

function Add-ModelProcess($State, [string]$Name, [int]$Parent, [int]$RealPid = 0, [int]$Port = 0) {
  $id = New-ModelPid $State
  $State.processes[[string]$id] = @{ ProcessId = $id; ParentProcessId = $Parent; Name = $Name; Created = [datetime]::UtcNow.Ticks + $id; RealPid = $RealPid; Alive = $true; Port = $Port }
  return $id
}

function Read-ModelDotenv([string]$Directory) {
  $values = @{}
  $file = ConvertTo-ModelUnixPath ($Directory.TrimEnd('\') + '\.env')
  if (Microsoft.PowerShell.Management\Test-Path -LiteralPath $file) {
    foreach ($line in (Microsoft.PowerShell.Management\Get-Content -LiteralPath $file)) { if ($line -match '^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$') { $values[$Matches[1]] = $Matches[2].Trim() } }
  }
  return $values
}

function Start-ModelServiceProcess($State, $Svc) {
  $image = [string](Get-ModelServiceValue $State $Svc.Name 'ImagePath')
  $Svc.CrashPending = $false
  if ($image -match 'nssm\.exe"?$') {
    $params = Get-ModelKey $State "$script:ServicesKey\$($Svc.Name)\Parameters"
    if ($null -eq $params) { throw "model: NSSM service $($Svc.Name) without Parameters" }
    $get = { param($n) $v = $params.Values[$n.ToLowerInvariant()]; if ($null -eq $v) { $null } else { $v.Data } }
    $appDir = [string](& $get 'AppDirectory')
    $env = Read-ModelDotenv $appDir
    $port = [int]$env['APP_PORT']
    if (-not $port) { $port = 8000 }
    # direct mode runs uvicorn with its own --port (natives/app.py reads the rest of AppParameters)
    $appParameters = [string](& $get 'AppParameters')
    if ($appParameters -match '^-m uvicorn .*--port (\d+)') { $port = [int]$Matches[1] }
    $stderr = [string](& $get 'AppStderr')
    $nssmPid = Add-ModelProcess $State 'nssm.exe' 636
    $launcher = Add-ModelProcess $State 'python.exe' $nssmPid
    $ready = Join-Path (Get-ModelRoot) ("app-ready-" + $launcher)
    # NSSM gives the application AppStdout/AppStderr as its standard handles (io.cpp get_output_handles)
    # and no console input: the app's output goes to those files, never to the caller's streams.
    $out = '/dev/null'; $err = '/dev/null'
    $stdoutPath = [string](& $get 'AppStdout')
    if ($stdoutPath) { $out = ConvertTo-ModelUnixPath $stdoutPath }
    if ($stderr) { $err = ConvertTo-ModelUnixPath $stderr }
    $argv = @('-c', 'exec /usr/bin/python3 -S "$@" </dev/null >>"$NOVA_APP_OUT" 2>>"$NOVA_APP_ERR"', 'app', (Join-Path $script:ModelLib 'natives/app.py'), '--port', $port, '--behaviour', $State.app.behaviour, '--ready', $ready, '--app-parameters', $appParameters)
    $psi = New-Object System.Diagnostics.ProcessStartInfo '/bin/sh'
    foreach ($a in $argv) { $psi.ArgumentList.Add([string]$a) }
    $psi.UseShellExecute = $false
    $psi.Environment['NOVA_APP_OUT'] = $out
    $psi.Environment['NOVA_APP_ERR'] = $err
    # AppEnvironmentExtra reaches the application's environment (nssm.cc/usage "Environment").
    foreach ($line in @((& $get 'AppEnvironmentExtra'))) { if ($line -match '^([^=]+)=(.*)$') { $psi.Environment[$Matches[1]] = $Matches[2] } }
    $proc = [System.Diagnostics.Process]::Start($psi)
    $deadline = [datetime]::UtcNow.AddSeconds(10)
    while (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath $ready) -and -not $proc.HasExited -and [datetime]::UtcNow -lt $deadline) { Microsoft.PowerShell.Utility\Start-Sleep -Milliseconds 20 }
    $app = Add-ModelProcess $State 'python.exe' $launcher $proc.Id $port
    $State.app.processes = @($State.app.processes) + @($proc.Id)
    $Svc.Pid = $nssmPid
    $Svc.Status = 'Running'
    if ($proc.HasExited -or -not (Microsoft.PowerShell.Management\Test-Path -LiteralPath $ready)) { $Svc.CrashPending = $true }
    return
  }
  if ($image -match 'cloudflared\.exe') {
    # The connector needs Cloudflare's edge, which a test cannot reach: the model runs no process for
    # it and reports it Running as the SCM does once the service reports SERVICE_RUNNING
    # (windows_service.go Execute sends svc.Running right after starting the app).
    $Svc.Pid = Add-ModelProcess $State 'cloudflared.exe' 636
    $Svc.Status = 'Running'
    Add-ModelEvent $State 'Cloudflared' 'Information' 'Cloudflared service starting'
    Add-ModelEvent $State 'Cloudflared' 'Information' ('Cloudflared service arguments: [' + ($image -replace '"', '') + ']')
    # no arguments: service mode, which finds or creates a config.yml (hostmodel.py cloudflared_service_config
    # cites config/configuration.go FindOrCreateConfigPath; the same rules here)
    if ($image.Trim() -match '^"[^"]*"$') { Initialize-ModelCloudflaredConfig }
    return
  }
  throw "model: starting service $($Svc.Name) with ImagePath '$image' not modelled"
}

function Initialize-ModelCloudflaredConfig {
  foreach ($d in @('.cloudflared', '.cloudflare-warp', 'cloudflare-warp')) {
    foreach ($f in @('config.yml', 'config.yaml')) { if (Microsoft.PowerShell.Management\Test-Path -LiteralPath (ConvertTo-ModelUnixPath "C:\Windows\System32\config\systemprofile\$d\$f")) { return } }
  }
  $x86 = 'C:\Program Files (x86)\cloudflared'
  if (Microsoft.PowerShell.Management\Test-Path -LiteralPath (ConvertTo-ModelUnixPath $x86) -PathType Container) { Set-ModelFile "$x86\config.yml" "logDirectory: $x86`n" }
  else { Set-ModelFile 'C:\Windows\System32\config.yml' "{}`n" }
}

function Stop-ModelServiceProcess($State, $Svc) {
  if (-not $Svc.Pid) { return }
  # Stop every process of the tree (NSSM stops its application: console Ctrl+C, then kill).
  $ids = @([int]$Svc.Pid)
  $changed = $true
  while ($changed) {
    $changed = $false
    foreach ($p in @($State.processes.Values)) { if ($ids -contains [int]$p.ParentProcessId -and -not ($ids -contains [int]$p.ProcessId)) { $ids += [int]$p.ProcessId; $changed = $true } }
  }
  foreach ($id in $ids) {
    $p = $State.processes[[string]$id]
    if ($null -eq $p) { continue }
    if ($p.RealPid) { Stop-ModelRealProcess ([int]$p.RealPid) }
    $State.processes.Remove([string]$id)
  }
  $Svc.Pid = 0
}

function Stop-ModelRealProcess([int]$RealPid) {
  try { $proc = [System.Diagnostics.Process]::GetProcessById($RealPid) } catch { return }
  try { $proc.Kill(); $proc.WaitForExit(5000) | Out-Null } catch { }
}

# Get-ScheduledTask -TaskName (ScheduledTasks module): the model's tasks (state.tasks, by name); a
# missing one is the module's not-found error ("No MSFT_ScheduledTask objects found with property
# 'TaskName' equal to ..."). A fresh host has none.
function Get-ScheduledTask {
  [CmdletBinding()]
  param([Parameter(Mandatory)][string]$TaskName)
  $state = Read-ModelState
  $task = $null
  if ($state.ContainsKey('tasks') -and $null -ne $state.tasks) { $task = $state.tasks[$TaskName] }
  if ($null -eq $task) {
    $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord (New-Object System.Exception ("No MSFT_ScheduledTask objects found with property 'TaskName' equal to '$TaskName'.  Verify the value of the property and retry.")), 'CmdletizationQuery_NotFound_TaskName', 'ObjectNotFound', $TaskName))
    return
  }
  [pscustomobject]@{ TaskName = $TaskName; State = $task.State }
}

# Start-Sleep: the scripts wait for a server (download retries), a service (its pending states) or a
# deletion. The model records each wait (Get-ModelSleeps) and returns after 20 ms instead: every such
# loop of the steps is bounded by a count of attempts or a Stopwatch, whose Elapsed counts the waits as
# passed (ModelStopwatch, Types.ps1), so the outcome and the rounds are Windows's, and a scenario of a
# minute's back-off takes a moment. The model's own waits call the cmdlet.
$script:ModelSleeps = New-Object System.Collections.Generic.List[double]
function Start-Sleep {
  [CmdletBinding(DefaultParameterSetName = 'Seconds')]
  param([Parameter(ParameterSetName = 'Seconds', Position = 0)][double]$Seconds, [Parameter(ParameterSetName = 'Milliseconds')][int]$Milliseconds)
  if ($PSCmdlet.ParameterSetName -eq 'Milliseconds') { $Seconds = $Milliseconds / 1000 }
  $script:ModelSleeps.Add($Seconds)
  [ModelStopwatch]::Slept += $Seconds
  Microsoft.PowerShell.Utility\Start-Sleep -Milliseconds 20
}
function Get-ModelSleeps { return @($script:ModelSleeps) }
