# The service control manager. A service's configuration lives where the SCM keeps it, in
# HKLM:\SYSTEM\CurrentControlSet\Services\<name> (ImagePath, Start, ObjectName, DisplayName); its
# runtime state (status, process, open handles, marked for deletion) in state.services. The natives
# (natives/hostmodel.py) create and delete services through the same document.
# Cmdlet behaviour per status follows PowerShell's ServiceController cmdlets
# (src/Microsoft.PowerShell.Commands.Management/commands/management/Service.cs: DoStartService,
# DoStopService, DoWaitForStatus) and the Win32 service API docs.

$script:ServicesKey = 'HKLM:\SYSTEM\CurrentControlSet\Services'
# Start value -> StartType (https://learn.microsoft.com/windows-hardware/drivers/install/hklm-system-currentcontrolset-services-registry-tree)
$script:StartTypes = @{ 2 = 'Automatic'; 3 = 'Manual'; 4 = 'Disabled' }
$script:CimStates = @{ Stopped = 'Stopped'; StartPending = 'Start Pending'; Running = 'Running'; StopPending = 'Stop Pending'; Paused = 'Paused' }

function Get-ModelServiceValue($State, [string]$Name, [string]$Value) {
  $key = Get-ModelKey $State "$script:ServicesKey\$Name"
  if ($null -eq $key) { return $null }
  $v = $key.Values[$Value.ToLowerInvariant()]
  if ($null -eq $v) { return $null }
  return $v.Data
}

# NSSM throttling: an application that exits sooner than AppThrottle (1500 ms by default) after it
# started makes NSSM delay the restart and report SERVICE_PAUSED meanwhile (nssm.cc/usage "Exit
# actions ... throttling"; service.cpp throttle_restart, for at least AppRestartDelay). start_service
# reports SERVICE_RUNNING once the application is launched and end_service then throttles, so Running
# lasts only until NSSM sees the exit: the model's crashing app exits at once, so the first look at the
# service after its start sees Paused. Start-Service itself is modelled in Start-ModelService.
function Update-ModelServiceStatus($State, $Svc) {
  if ($Svc.Status -eq 'Running' -and $Svc.CrashPending) { $Svc.Status = 'Paused'; $Svc.CrashPending = $false; $State.dirty = $true }
}

# Saves the state only when a read changed it (a status transition seen by Get-Service/Get-CimInstance).
function Save-ModelStateIfChanged($State) { if ($State.dirty) { $State.Remove('dirty'); Write-ModelState $State } }

# Windows PowerShell 5.1's ServiceController: StartType (.NET Framework 4.6.1+), none of the UserName,
# Description, DelayedAutoStart, BinaryPathName, StartupType that PowerShell 6.0+ adds (Get-Service docs,
# Notes: https://learn.microsoft.com/powershell/module/microsoft.powershell.management/get-service?view=powershell-7.4).
function New-ModelServiceObject($State, $Svc) {
  $start = Get-ModelServiceValue $State $Svc.Name 'Start'
  $display = Get-ModelServiceValue $State $Svc.Name 'DisplayName'
  if (-not $display) { $display = $Svc.Name }
  return [pscustomobject]@{ Name = $Svc.Name; ServiceName = $Svc.Name; DisplayName = $display; Status = $Svc.Status; StartType = $script:StartTypes[[int]$start] }
}

function Get-ModelService($State, [string]$Name) {
  $svc = $State.services[$Name.ToLowerInvariant()]
  if ($null -ne $svc) { Update-ModelServiceStatus $State $svc }
  return $svc
}

function Write-ModelNoService([string]$Name) {
  # ServiceResources.NoServiceFoundForGivenName
  $err = New-Object System.Management.Automation.ErrorRecord ((New-Object System.InvalidOperationException "Cannot find any service with service name '$Name'.")), 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand', 'ObjectNotFound', $Name
  $PSCmdlet.WriteError($err)
}

function Get-Service {
  [CmdletBinding()]
  param([Parameter(Position = 0, Mandatory)][string[]]$Name)
  foreach ($n in $Name) {
    if ($n.Contains('*')) { throw "model: Get-Service wildcard '$n' not modelled" }
    $state = Read-ModelState
    $svc = Get-ModelService $state $n
    Save-ModelStateIfChanged $state
    if ($null -eq $svc) { Write-ModelNoService $n; continue }
    New-ModelServiceObject $state $svc
  }
}

function Start-ModelService($State, $Svc) {
  $label = "$($Svc.Name) ($($Svc.Name))"
  if ($Svc.MarkedForDeletion) {
    # StartService fails with ERROR_SERVICE_MARKED_FOR_DELETE (1072).
    throw "Service '$label' cannot be started due to the following error: Cannot start service $($Svc.Name) on computer '.'. (The specified service has been marked for deletion.)"
  }
  if ($Svc.Status -eq 'Running') { return }   # ERROR_SERVICE_ALREADY_RUNNING is ignored (DoStartService)
  if ($Svc.Status -eq 'Paused') {
    # StartService answers ERROR_SERVICE_ALREADY_RUNNING, ignored; DoWaitForStatus(Running,
    # StartPending) then finds Paused, neither target nor pending: StartServiceFailed.
    throw [ModelServiceCommandException]::new("Service '$label' start failed.", 'StartServiceFailed')
  }
  if ($Svc.Status -ne 'Stopped') { throw "model: Start-Service from $($Svc.Status) not modelled" }
  $start = Get-ModelServiceValue $State $Svc.Name 'Start'
  if ([int]$start -eq 4) { throw "Service '$label' cannot be started due to the following error: Cannot start service $($Svc.Name) on computer '.'. (The service cannot be started, either because it is disabled or because it has no enabled devices associated with it.)" }
  Start-ModelServiceProcess $State $Svc
  if ($Svc.CrashPending) {
    # DoStartService waits with DoWaitForStatus(Running, StartPending): ServiceController.WaitForStatus
    # polls every 250 ms for 2 s; NSSM's Running lasts until it sees the exit (microseconds for an app
    # that exits at once), then the service is Paused, neither Running nor StartPending: the cmdlet
    # writes StartServiceFailed (Service.cs; ServiceResources.StartServiceFailed). The 2 s are not waited.
    $Svc.Status = 'Paused'; $Svc.CrashPending = $false
    throw [ModelServiceCommandException]::new("Service '$label' start failed.", 'StartServiceFailed')
  }
}

function Stop-ModelService($State, $Svc) {
  if ($Svc.Status -eq 'Stopped') { return }
  Stop-ModelServiceProcess $State $Svc
  $Svc.Status = 'Stopped'
  # A service marked for deletion goes once it is stopped and no handle is open (DeleteService docs).
  if ($Svc.MarkedForDeletion -and [int]$Svc.Handles -eq 0) { Remove-ModelServiceRecord $State $Svc.Name }
}

function Remove-ModelServiceRecord($State, [string]$Name) {
  $State.services.Remove($Name.ToLowerInvariant())
  Remove-ModelKey $State "$script:ServicesKey\$Name" -Recurse
}

function Invoke-ModelServiceCommand([string[]]$Name, [scriptblock]$Action) {
  foreach ($n in $Name) {
    $state = Read-ModelState
    $svc = Get-ModelService $state $n
    if ($null -eq $svc) { Write-ModelState $state; Write-ModelNoService $n; continue }
    try { & $Action $state $svc }
    catch [ModelServiceCommandException] {
      # Service.cs WriteNonTerminatingError: a non-terminating error (ServiceCommandException), the
      # cmdlet goes on with the next name; -ErrorAction Stop or $ErrorActionPreference = 'Stop' makes it throw.
      # (a new exception: $Error keeps one record per exception object, the caught one)
      $exception = [ModelServiceCommandException]::new($_.Exception.Message, $_.Exception.ErrorId)
      $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord $exception, ($_.Exception.ErrorId + ',Microsoft.PowerShell.Commands.' + $PSCmdlet.MyInvocation.MyCommand.Name.Replace('-', '') + 'Command'), 'OpenError', $n))
    }
    finally { Write-ModelState $state }
  }
}

function Start-Service {
  [CmdletBinding(SupportsShouldProcess)]
  param([Parameter(Position = 0, Mandatory)][string[]]$Name)
  Test-ModelKill 'Start-Service'
  Invoke-ModelServiceCommand $Name { param($state, $svc) Start-ModelService $state $svc }
}

function Stop-Service {
  [CmdletBinding(SupportsShouldProcess)]
  param([Parameter(Position = 0, Mandatory)][string[]]$Name, [switch]$Force)
  Test-ModelKill 'Stop-Service'
  Invoke-ModelServiceCommand $Name { param($state, $svc) Stop-ModelService $state $svc }
}

function Restart-Service {
  [CmdletBinding(SupportsShouldProcess)]
  param([Parameter(Position = 0, Mandatory)][string[]]$Name, [switch]$Force)
  Test-ModelKill 'Restart-Service'
  # RestartServiceCommand: DoStopService, then DoStartService.
  Invoke-ModelServiceCommand $Name { param($state, $svc) Stop-ModelService $state $svc; $svc = Get-ModelService $state $svc.Name; if ($null -eq $svc) { throw 'model: service deleted during restart' }; Start-ModelService $state $svc }
}

function Get-CimInstance {
  [CmdletBinding()]
  param([Parameter(Position = 0, Mandatory)][string]$ClassName, [string]$Filter)
  $state = Read-ModelState
  if ($Filter -match "^Name = '([^']+)'$") { $by = 'Name'; $want = $Matches[1] }
  elseif ($Filter -match '^ProcessId = (\d+)$') { $by = 'ProcessId'; $want = [int]$Matches[1] }
  else { throw "model: Get-CimInstance $ClassName -Filter '$Filter' not modelled" }
  switch ($ClassName) {
    'Win32_Service' {
      foreach ($svc in @($state.services.Values)) {
        Update-ModelServiceStatus $state $svc
        $pid_ = 0; if ($svc.Status -ne 'Stopped' -and $svc.Pid) { $pid_ = [int]$svc.Pid }
        if (($by -eq 'Name' -and $svc.Name -eq $want) -or ($by -eq 'ProcessId' -and $pid_ -eq $want -and $want -ne 0)) {
          $start = Get-ModelServiceValue $state $svc.Name 'Start'
          [pscustomobject]@{ Name = $svc.Name; State = $script:CimStates[$svc.Status]; ProcessId = $pid_
            PathName = (Get-ModelServiceValue $state $svc.Name 'ImagePath'); StartName = (Get-ModelServiceValue $state $svc.Name 'ObjectName')
            StartMode = @{ 2 = 'Auto'; 3 = 'Manual'; 4 = 'Disabled' }[[int]$start] }
        }
      }
    }
    'Win32_Process' {
      if ($by -ne 'ProcessId') { throw "model: Win32_Process by $by not modelled" }
      $p = $state.processes[[string]$want]
      if ($null -ne $p -and (Test-ModelProcessAlive $p)) {
        [pscustomobject]@{ ProcessId = [int]$p.ProcessId; ParentProcessId = [int]$p.ParentProcessId; Name = $p.Name; CreationDate = [datetime]::new([int64]$p.Created) }
      }
    }
    default { throw "model: Get-CimInstance $ClassName not modelled" }
  }
  Save-ModelStateIfChanged $state
}

# Invoke-CimMethod -InputObject <Win32_Service> -MethodName Change: ChangeServiceConfig, which writes
# what the SCM keeps in the service's key (PathName -> ImagePath, StartName -> ObjectName) and answers
# ReturnValue 0 (https://learn.microsoft.com/windows/win32/cimwin32prov/change-method-in-class-win32-service).
# The account (StartName): StartPassword left out is NULL ("Specify NULL if you are not changing the
# password", Change docs); for a virtual account (NT SERVICE\<the service>) or a managed service account
# (name ending in $) "the lpPassword parameter must be NULL" (ChangeServiceConfigW docs,
# https://learn.microsoft.com/windows/win32/api/winsvc/nf-winsvc-changeserviceconfigw): a password answers
# 22 ("The account under which this service runs is either invalid or lacks the permissions to run the
# service", Change docs); an empty string is not documented for them and fails loudly here. LocalSystem,
# LocalService and NetworkService take no password (ChangeServiceConfigW: it is ignored). Any other
# account (a user's, another service's virtual account) is not modelled.
function Test-ModelServiceAccount([string]$Service, [hashtable]$Arguments) {
  $name = [string]$Arguments.StartName
  $hasPassword = $Arguments.ContainsKey('StartPassword') -and ($null -ne $Arguments.StartPassword)
  if (@('LocalSystem', '.\LocalSystem', 'NT AUTHORITY\LocalService', 'NT AUTHORITY\NetworkService') -contains $name) { return 0 }
  if ($name -ieq "NT SERVICE\$Service" -or $name.EndsWith('$')) {
    if (-not $hasPassword) { return 0 }
    if ([string]$Arguments.StartPassword -eq '') { throw "model: Win32_Service.Change of $Service to $name with an empty StartPassword not modelled (ChangeServiceConfig: the password must be NULL for a virtual or managed service account)" }
    return 22
  }
  throw "model: Win32_Service.Change of $Service to the account '$name' not modelled"
}
function Invoke-CimMethod {
  [CmdletBinding()]
  param([Parameter(Mandatory)]$InputObject, [Parameter(Mandatory)][string]$MethodName, [hashtable]$Arguments)
  if ($MethodName -ne 'Change') { throw "model: Invoke-CimMethod $MethodName not modelled" }
  foreach ($k in $Arguments.Keys) { if (@('PathName', 'StartName', 'StartPassword') -notcontains $k) { throw "model: Win32_Service.Change $k not modelled" } }
  if ($Arguments.ContainsKey('StartPassword') -and -not $Arguments.ContainsKey('StartName')) { throw 'model: Win32_Service.Change of StartPassword alone not modelled' }
  if ($Arguments.ContainsKey('StartName')) {
    $code = Test-ModelServiceAccount ([string]$InputObject.Name) $Arguments
    if ($code -ne 0) { return [pscustomobject]@{ ReturnValue = $code } }
  }
  Update-ModelState {
    param($state)
    $path = "$script:ServicesKey\$($InputObject.Name)"
    if ($null -eq (Get-ModelKey $state $path)) { throw "model: Win32_Service.Change of a missing service $($InputObject.Name)" }
    if ($Arguments.ContainsKey('PathName')) { Set-ModelValue $state $path 'ImagePath' 'ExpandString' $Arguments.PathName }
    if ($Arguments.ContainsKey('StartName')) { Set-ModelValue $state $path 'ObjectName' 'String' $Arguments.StartName }
  } | Out-Null
  return [pscustomobject]@{ ReturnValue = 0 }
}

# Get-NetTCPConnection -State Listen -LocalPort N: the model's app processes listening on N, and
# listeners a test registered (Add-ModelListener).
function Get-NetTCPConnection {
  [CmdletBinding()]
  param([string]$State, [int]$LocalPort)
  if ($State -ne 'Listen' -or -not $PSBoundParameters.ContainsKey('LocalPort')) { throw 'model: Get-NetTCPConnection other than -State Listen -LocalPort not modelled' }
  $doc = Read-ModelState
  $found = @($doc.listeners | Where-Object { [int]$_.Port -eq $LocalPort } | ForEach-Object { [int]$_.ProcessId })
  foreach ($p in @($doc.processes.Values)) { if ([int]$p.Port -eq $LocalPort -and (Test-ModelProcessAlive $p)) { $found += [int]$p.ProcessId } }
  if ($found.Count -eq 0) {
    $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord (New-Object System.Exception ("No MSFT_NetTCPConnection objects found with property 'LocalPort' equal to '$LocalPort'.  Verify the value of the property and retry.")), 'CmdletizationQuery_NotFound_LocalPort', 'ObjectNotFound', $LocalPort))
    return
  }
  foreach ($id in $found) { [pscustomobject]@{ LocalAddress = '127.0.0.1'; LocalPort = $LocalPort; State = 'Listen'; OwningProcess = $id } }
}
