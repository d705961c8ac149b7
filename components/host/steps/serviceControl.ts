/**
 * Service control shared by the steps (constant PowerShell text). Every transient state is handled
 * explicitly: StartPending/StopPending/PausePending/ContinuePending are waited out (bounded, then a clear
 * error); Paused (NSSM pauses the service while it throttles a crashing app, and `Start-Service` throws on a
 * Paused service) is stopped and started again; a Running service is restarted only when the step changed
 * something. `Stop-Service` and `Start-Service` wait themselves, and their "waiting for service" warnings
 * are silenced by the prelude.
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
  Start-Service -Name $Name
  return $result
}`;
