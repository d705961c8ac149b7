# The registry under HKLM:, held in the state document (registry: lower-case key path -> key). The
# registry provider's behaviour restored here is cited per function; anything else fails loudly.
# Value kinds are RegistryValueKind names (String, ExpandString, MultiString, DWord, QWord, Binary).

function Test-ModelRegistryPath([string]$Path) { return ($Path -match '^(HKLM|HKCU|HKEY_|Registry::|Microsoft\.PowerShell\.Core\\Registry::)') }

function Get-ModelKeyPath([string]$Path) {
  if ($Path -notmatch '^HKLM:\\') { throw "model: registry path '$Path' not modelled (HKLM:\ only)" }
  return ($Path.TrimEnd('\') -replace '\\+', '\')
}

function Get-ModelKey($State, [string]$Path) { return $State.registry[(Get-ModelKeyPath $Path).ToLowerInvariant()] }

# Creates a key and its missing parents (RegCreateKeyEx creates intermediate keys).
function New-ModelKey($State, [string]$Path) {
  $path = Get-ModelKeyPath $Path
  $parts = $path.Split('\')
  for ($i = 2; $i -le $parts.Count; $i++) {
    $p = ($parts[0..($i - 1)] -join '\')
    if (-not $State.registry.ContainsKey($p.ToLowerInvariant())) { $State.registry[$p.ToLowerInvariant()] = @{ Path = $p; Values = @{}; Acl = $null } }
  }
  return $State.registry[$path.ToLowerInvariant()]
}

function Remove-ModelKey($State, [string]$Path, [switch]$Recurse) {
  $lower = (Get-ModelKeyPath $Path).ToLowerInvariant()
  $children = @($State.registry.Keys | Where-Object { $_.StartsWith($lower + '\') })
  if ($children.Count -gt 0 -and -not $Recurse) { throw "model: Remove-Item of registry key $Path with subkeys without -Recurse (prompts on Windows) not modelled" }
  foreach ($k in @($children) + @($lower)) { $State.registry.Remove($k) }
}

function Set-ModelValue($State, [string]$Path, [string]$Name, [string]$Kind, $Data) {
  $key = Get-ModelKey $State $Path
  if ($null -eq $key) { throw (New-Object System.Management.Automation.ItemNotFoundException "Cannot find path '$Path' because it does not exist.") }
  switch ($Kind) {
    'String' { $Data = [string]$Data }
    'ExpandString' { $Data = [string]$Data }
    'MultiString' { $Data = @([string[]]@($Data)) }
    'DWord' { $Data = [int64][uint32]$Data }
    'QWord' { $Data = [int64]$Data }
    default { throw "model: registry value kind '$Kind' not modelled" }
  }
  $key.Values[$Name.ToLowerInvariant()] = @{ Name = $Name; Kind = $Kind; Data = $Data }
}

# REG_EXPAND_SZ is expanded on read unless DoNotExpandEnvironmentNames (RegistryKey.GetValue docs);
# the expansion uses the Machine environment the model holds, then the process environment.
function Expand-ModelString([string]$Text) {
  return [regex]::Replace($Text, '%([^%]+)%', { param($m) $v = [System.Environment]::GetEnvironmentVariable($m.Groups[1].Value); if ($null -eq $v) { $m.Value } else { $v } })
}

function Get-ModelValueData($Value, [bool]$Expand) {
  if ($Value.Kind -eq 'ExpandString' -and $Expand) { return (Expand-ModelString $Value.Data) }
  if ($Value.Kind -eq 'MultiString') { return [string[]]@($Value.Data) }
  if ($Value.Kind -eq 'DWord') { return [int]([uint32]$Value.Data) }
  return $Value.Data
}

# What Get-Item returns for a key: a RegistryKey's Name and the members the scripts use.
function New-ModelKeyObject($Key) {
  $obj = [pscustomobject]@{
    Name = ($Key.Path -replace '^HKLM:', 'HKEY_LOCAL_MACHINE'); PSPath = 'Microsoft.PowerShell.Core\Registry::' + ($Key.Path -replace '^HKLM:', 'HKEY_LOCAL_MACHINE')
    PSChildName = ($Key.Path.Split('\')[-1]); ModelPath = $Key.Path; Property = @($Key.Values.Values | ForEach-Object { $_.Name })
  }
  $obj | Add-Member -MemberType ScriptMethod -Name GetValue -Value {
    param([string]$Name, $Default, $Options)
    $key = Get-ModelKey (Read-ModelState) $this.ModelPath
    if ($null -eq $key) { return $Default }
    $value = $key.Values[$Name.ToLowerInvariant()]
    if ($null -eq $value) { return $Default }
    $expand = -not ($null -ne $Options -and [string]$Options -eq 'DoNotExpandEnvironmentNames')
    return ,(Get-ModelValueData $value $expand)
  }
  $obj | Add-Member -MemberType ScriptMethod -Name GetValueNames -Value { $key = Get-ModelKey (Read-ModelState) $this.ModelPath; return [string[]]@($key.Values.Values | ForEach-Object { $_.Name }) }
  $obj | Add-Member -MemberType ScriptMethod -Name GetValueKind -Value { param([string]$Name) $key = Get-ModelKey (Read-ModelState) $this.ModelPath; return $key.Values[$Name.ToLowerInvariant()].Kind }
  return $obj
}

# .NET's kind for a value given without -Type (RegistryKey.SetValue(name, object) docs): string ->
# String, int -> DWord, string[] -> MultiString.
function Get-ModelImpliedKind($Value) {
  if ($Value -is [string]) { return 'String' }
  if ($Value -is [int]) { return 'DWord' }
  if ($Value -is [array]) { return 'MultiString' }
  throw "model: registry value of type $($Value.GetType()) without -Type not modelled"
}

# Machine-scope environment variables, in the key Windows keeps them in (DotNet.ps1 [Environment]).
# Setting one writes REG_SZ, and $null or '' deletes it (Environment.SetEnvironmentVariable docs).
$script:ModelMachineEnvKey = 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
function Get-ModelMachineVariable([string]$Name) {
  $state = Read-ModelState
  $v = (Get-ModelKey $state $script:ModelMachineEnvKey).Values[$Name.ToLowerInvariant()]
  if ($null -eq $v) { return $null }
  return [string](Get-ModelValueData $v $true)
}
function Set-ModelMachineVariable([string]$Name, [string]$Value) {
  Update-ModelState {
    param($state)
    if ([string]::IsNullOrEmpty($Value)) { (Get-ModelKey $state $script:ModelMachineEnvKey).Values.Remove($Name.ToLowerInvariant()) }
    else { Set-ModelValue $state $script:ModelMachineEnvKey $Name 'String' $Value }
  } | Out-Null
}
