# The rest of the .NET side of the model: the platform switch of the CNG stand-ins, the exceptions the
# model throws, and Register-ModelTypes, which puts DotNet.ps1's stand-ins in place as type accelerators.

# The model's switch: OSVersion as Windows Server 2019 reports it, or the real one ($false).
function Set-ModelWindowsPlatform([bool]$On = $true) {
  if ($On) { [ModelEnvironment]::OSVersion = [System.OperatingSystem]::new([PlatformID]::Win32NT, [version]'10.0.17763.0') }
  else { [ModelEnvironment]::OSVersion = [System.Environment]::OSVersion }
  [ModelCngKey]::Created.Clear()
}
function Get-ModelCngKeyCount { return [ModelCngKey]::Created.Count }

# Microsoft.PowerShell.Commands.ServiceCommandException (what the service cmdlets write), with the
# error id Service.cs gives it.
class ModelServiceCommandException : System.InvalidOperationException {
  [string]$ErrorId
  ModelServiceCommandException([string]$Message, [string]$ErrorId) : base($Message) { $this.ErrorId = $ErrorId }
}

# The exception a model kill point throws (Sandbox.ps1 Set-ModelKillPoint).
class ModelKilledException : System.Exception { ModelKilledException([string]$Message) : base($Message) { } }

# System.Diagnostics.Stopwatch as the step scripts Invoke-ModelScript runs see it (Use-ModelStopwatch):
# the model's Start-Sleep returns after 20 ms (Process.ps1), and the time a script asked to wait counts
# as passed, as on Windows, where the wait is real (Start-Sleep "suspends the activity ... for the
# specified period of time", learn.microsoft.com/powershell/module/microsoft.powershell.utility/start-sleep;
# Stopwatch.Elapsed is "the total elapsed time measured by the current instance",
# learn.microsoft.com/dotnet/api/system.diagnostics.stopwatch.elapsed). A loop bounded by a Stopwatch (the health step polls
# every 2 s until healthTimeoutSeconds) so makes the rounds it makes on Windows, not one per 20 ms. Only
# StartNew and Elapsed (a call of any other method fails; the step scripts read no other property). Not
# a type accelerator: Pester's own Stopwatches, which a name resolved after the model's load would reach
# too (the engine caches the resolution), keep the real one.
class ModelStopwatch {
  static [double]$Slept = 0
  hidden [long]$StartTicks
  hidden [double]$SleptAtStart
  static [ModelStopwatch] StartNew() {
    $w = [ModelStopwatch]::new()
    $w.StartTicks = [datetime]::UtcNow.Ticks
    $w.SleptAtStart = [ModelStopwatch]::Slept
    return $w
  }
}
Update-TypeData -Force -TypeName ModelStopwatch -MemberType ScriptProperty -MemberName Elapsed -Value { [timespan]::FromTicks([datetime]::UtcNow.Ticks - $this.StartTicks) + [timespan]::FromSeconds([ModelStopwatch]::Slept - $this.SleptAtStart) }
# A step script's text with its Stopwatch the model's; any other spelling of one fails.
function Use-ModelStopwatch([string]$Text, [string]$Path) {
  $t = $Text.Replace('[System.Diagnostics.Stopwatch]', '[ModelStopwatch]')
  if ($t.Replace('[ModelStopwatch]', '') -match 'Stopwatch') { throw "model: $Path names a Stopwatch other than [System.Diagnostics.Stopwatch] (not modelled)" }
  return $t
}

function Register-ModelTypes {
  $accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
  $map = @{
    'System.Security.Principal.SecurityIdentifier' = [ModelSid]
    'System.Security.Principal.NTAccount' = [ModelNTAccount]
    'System.Security.AccessControl.FileSecurity' = [ModelFileSecurity]
    'System.Security.AccessControl.RegistrySecurity' = [ModelRegistrySecurity]
    'System.Security.AccessControl.DirectorySecurity' = [ModelDirectorySecurity]
    'System.Security.AccessControl.FileSystemAccessRule' = [ModelFileSystemAccessRule]
    'System.Security.AccessControl.RegistryAccessRule' = [ModelRegistryAccessRule]
    'System.IO.File' = [ModelFile]
    'System.IO.Directory' = [ModelDirectory]
    'Environment' = [ModelEnvironment]
    'System.Security.Cryptography.CngKey' = [ModelCngKey]
    'System.Security.Cryptography.ECDsaCng' = [ModelECDsaCng]
  }
  foreach ($name in $map.Keys) { $accelerators::Remove($name) | Out-Null; $accelerators::Add($name, $map[$name]) }
  # The engine caches resolved type names: a name resolved before this call keeps the real type.
  foreach ($name in $map.Keys) {
    if (([ScriptBlock]::Create("[$name]")).Invoke()[0] -ne $map[$name]) { throw "model: [$name] was resolved before the model was loaded; load test/ps/model/Model.ps1 first" }
  }
}
