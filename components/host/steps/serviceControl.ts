/**
 * Service control shared by the steps (constant PowerShell text). Every transient state is handled
 * explicitly: StartPending/StopPending/PausePending/ContinuePending are waited out (bounded, then a clear
 * error); Paused (NSSM pauses the service while it throttles a crashing app, and `Start-Service` throws on a
 * Paused service) is stopped and started again; a Running service is restarted only when the step changed
 * something. `Stop-Service` and `Start-Service` wait themselves, and their "waiting for service" warnings
 * are silenced by the prelude. `Start-Service` on an app that exits at once fails after about 2 s with
 * "Service '<name> (<name>)' start failed." (NSSM shows Running briefly, then Paused while it throttles:
 * nssm service.cpp throttle_restart; PowerShell Service.cs DoWaitForStatus): the step's error then names
 * the service's state and, for an NSSM service, its AppStderr/AppStdout logs (never their content).
 */

/** Seconds a service may stay in a pending state before a step gives up. */
export const SERVICE_SETTLE_SECONDS = 120;

export const SERVICE_CONTROL_FUNCTIONS = String.raw`function Wait-NovaServiceSettled([string]$Name) {
  $waited = 0
  while ($true) {
    $service = Get-Service -Name $Name -ErrorAction SilentlyContinue
    if ($null -eq $service) { return 'missing' }
    $status = [string]$service.Status
    if (@('StartPending', 'StopPending', 'PausePending', 'ContinuePending') -notcontains $status) { return $status }
    if ($waited++ -ge ${SERVICE_SETTLE_SECONDS}) { throw ('service {0} stayed {1} for ${SERVICE_SETTLE_SECONDS} s' -f $Name, $status) }
    Start-Sleep -Seconds 1
  }
}
function Stop-NovaService([string]$Name) {
  $status = Wait-NovaServiceSettled $Name
  if (@('missing', 'Stopped') -contains $status) { return $status }
  Stop-Service -Name $Name -Force
  return (Wait-NovaServiceSettled $Name)
}
function Restart-NovaService([string]$Name, [bool]$Changed, [switch]$StartStopped) {
  $status = Wait-NovaServiceSettled $Name
  if ($status -eq 'missing') { return 'missing' }
  if (($status -eq 'Running') -and -not $Changed) { return 'unchanged' }
  if (($status -eq 'Stopped') -and -not $StartStopped) { return 'unchanged' }
  $result = 'started'
  if ($status -ne 'Stopped') { Stop-NovaService $Name | Out-Null; $result = 'restarted' }
  Start-NovaServiceOnce $Name
  return $result
}
function Start-NovaServiceOnce([string]$Name) {
  try { Start-Service -Name $Name -ErrorAction Stop }
  catch {
    $service = Get-Service -Name $Name -ErrorAction SilentlyContinue
    $state = 'missing'
    if ($null -ne $service) { $state = [string]$service.Status }
    $message = ('service {0} did not start ({1}); it is {2}' -f $Name, $_.Exception.Message, $state)
    # An NSSM service names its application's logs (their content stays on the host: it can hold secrets).
    $parameters = Get-Item -LiteralPath ('HKLM:\SYSTEM\CurrentControlSet\Services\' + $Name + '\Parameters') -ErrorAction SilentlyContinue
    $logs = @()
    if ($null -ne $parameters) { $logs = @(@('AppStderr', 'AppStdout') | ForEach-Object { [string]$parameters.GetValue($_, '') } | Where-Object { $_ }) }
    if ($logs.Count -gt 0) { $message += ('; the application exited at start (NSSM pauses the service while it throttles the restarts): see {0} on the host' -f ($logs -join ' and ')) }
    throw $message
  }
}`;
