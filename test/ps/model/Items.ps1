# Item cmdlets: registry paths (HKLM:) go to the model's registry, file-system paths to the real
# cmdlet with the same parameters (@PSBoundParameters), with the file ACLs the model keeps moved,
# copied or dropped as NTFS does. Parameters the scripts do not use are not declared: a call with one
# fails at binding instead of being silently mis-modelled.

function Get-ModelPathArgument($Bound) {
  if ($Bound.ContainsKey('LiteralPath')) { return ,@($Bound['LiteralPath']) }
  if ($Bound.ContainsKey('Path')) { return ,@($Bound['Path']) }
  return ,@()
}

function Test-Path {
  [CmdletBinding(DefaultParameterSetName = 'Path')]
  param([Parameter(Position = 0, ParameterSetName = 'Path', Mandatory, ValueFromPipeline)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath')][string[]]$LiteralPath,
        [Microsoft.PowerShell.Commands.TestPathType]$PathType = 'Any')
  $paths = Get-ModelPathArgument $PSBoundParameters
  if (Test-ModelRegistryPath $paths[0]) {
    $state = Read-ModelState
    foreach ($p in $paths) {
      # Registry provider: a key is a container; values are not items.
      $exists = ($null -ne (Get-ModelKey $state $p)) -and ($PathType -ne 'Leaf')
      $exists
    }
    return
  }
  Microsoft.PowerShell.Management\Test-Path @PSBoundParameters
}

function Get-Item {
  [CmdletBinding(DefaultParameterSetName = 'Path')]
  param([Parameter(Position = 0, ParameterSetName = 'Path', Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath')][string[]]$LiteralPath,
        [switch]$Force)
  $paths = Get-ModelPathArgument $PSBoundParameters
  if (Test-ModelRegistryPath $paths[0]) {
    $state = Read-ModelState
    foreach ($p in $paths) {
      $key = Get-ModelKey $state $p
      if ($null -eq $key) { Write-Error -Exception (New-Object System.Management.Automation.ItemNotFoundException "Cannot find path '$p' because it does not exist.") -Category ObjectNotFound; continue }
      New-ModelKeyObject $key
    }
    return
  }
  foreach ($item in @(Microsoft.PowerShell.Management\Get-Item @PSBoundParameters)) {
    if ($item -is [System.IO.FileSystemInfo]) { $item | Add-Member -Force -NotePropertyName FullName -NotePropertyValue (ConvertTo-ModelWindowsPath $item.FullName) }
    $item
  }
}

function Get-ItemProperty {
  [CmdletBinding(DefaultParameterSetName = 'Path')]
  param([Parameter(Position = 0, ParameterSetName = 'Path', Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string[]]$Name)
  $paths = Get-ModelPathArgument $PSBoundParameters
  if (-not (Test-ModelRegistryPath $paths[0])) { throw "model: Get-ItemProperty on '$($paths[0])' (not registry) not modelled" }
  $state = Read-ModelState
  foreach ($p in $paths) {
    $key = Get-ModelKey $state $p
    if ($null -eq $key) { Write-Error -Exception (New-Object System.Management.Automation.ItemNotFoundException "Cannot find path '$p' because it does not exist.") -Category ObjectNotFound; continue }
    $props = [ordered]@{}
    foreach ($v in $key.Values.Values) {
      if ($Name -and -not ($Name -contains $v.Name)) { continue }
      $props[$v.Name] = Get-ModelValueData $v $true   # the registry provider expands REG_EXPAND_SZ
    }
    if ($Name) { foreach ($n in $Name) { if (-not $props.Contains($n)) { Write-Error "Property $n does not exist at path $p." -Category InvalidArgument } } }
    $props['PSPath'] = 'Microsoft.PowerShell.Core\Registry::' + ($key.Path -replace '^HKLM:', 'HKEY_LOCAL_MACHINE')
    [pscustomobject]$props
  }
}

function Set-ItemProperty {
  [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Path')]
  param([Parameter(Position = 0, ParameterSetName = 'Path', Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1, Mandatory)][string]$Name,
        [Parameter(Position = 2, Mandatory)][AllowEmptyString()][AllowNull()]$Value,
        # -Type is the registry provider's dynamic parameter (RegistryValueKind).
        [ValidateSet('String', 'ExpandString', 'MultiString', 'DWord', 'QWord', 'Binary', 'Unknown', 'None')][string]$Type,
        [switch]$Force)
  Test-ModelKill 'Set-ItemProperty'
  $paths = Get-ModelPathArgument $PSBoundParameters
  if (-not (Test-ModelRegistryPath $paths[0])) { throw "model: Set-ItemProperty on '$($paths[0])' (not registry) not modelled" }
  Update-ModelState {
    param($state)
    foreach ($p in $paths) {
      $key = Get-ModelKey $state $p
      if ($null -eq $key) { throw (New-Object System.Management.Automation.ItemNotFoundException "Cannot find path '$p' because it does not exist.") }
      $kind = $Type
      if (-not $kind) {
        # Without -Type an existing value keeps its kind (RegistryProvider.SetProperty reads it first).
        $old = $key.Values[$Name.ToLowerInvariant()]
        if ($null -ne $old) { $kind = $old.Kind } else { $kind = Get-ModelImpliedKind $Value }
      }
      Set-ModelValue $state $p $Name $kind $Value
    }
  } | Out-Null
}

function Remove-ItemProperty {
  [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Path')]
  param([Parameter(Position = 0, ParameterSetName = 'Path', Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1, Mandatory)][string[]]$Name, [switch]$Force)
  Test-ModelKill 'Remove-ItemProperty'
  $paths = Get-ModelPathArgument $PSBoundParameters
  if (-not (Test-ModelRegistryPath $paths[0])) { throw "model: Remove-ItemProperty on '$($paths[0])' (not registry) not modelled" }
  $missing = Update-ModelState {
    param($state)
    $gone = @()
    foreach ($p in $paths) {
      $key = Get-ModelKey $state $p
      if ($null -eq $key) { $gone += "Cannot find path '$p' because it does not exist."; continue }
      foreach ($n in $Name) {
        if ($key.Values.ContainsKey($n.ToLowerInvariant())) { $key.Values.Remove($n.ToLowerInvariant()) }
        else { $gone += "Property $n does not exist at path $p." }
      }
    }
    return ,$gone
  }
  foreach ($m in $missing) { Write-Error $m -Category InvalidArgument }
}

function New-Item {
  [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'pathSet')]
  param([Parameter(Position = 0, Mandatory)][string[]]$Path, [string]$ItemType, [Parameter(ValueFromPipeline)]$Value, [switch]$Force)
  if (Test-ModelRegistryPath $Path[0]) {
    Update-ModelState { param($state) foreach ($p in $Path) { New-ModelKey $state $p | Out-Null } } | Out-Null
    foreach ($p in $Path) { New-ModelKeyObject (Get-ModelKey (Read-ModelState) $p) }
    return
  }
  Microsoft.PowerShell.Management\New-Item @PSBoundParameters
}

function Remove-Item {
  [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Path')]
  param([Parameter(Position = 0, ParameterSetName = 'Path', Mandatory, ValueFromPipeline)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath')][string[]]$LiteralPath,
        [switch]$Recurse, [switch]$Force)
  Test-ModelKill 'Remove-Item'
  $paths = Get-ModelPathArgument $PSBoundParameters
  if (Test-ModelRegistryPath $paths[0]) {
    Update-ModelState {
      param($state)
      foreach ($p in $paths) {
        if ($null -eq (Get-ModelKey $state $p)) { throw (New-Object System.Management.Automation.ItemNotFoundException "Cannot find path '$p' because it does not exist.") }
        Remove-ModelKey $state $p -Recurse:$Recurse
      }
    } | Out-Null
    return
  }
  Microsoft.PowerShell.Management\Remove-Item @PSBoundParameters
  # NTFS: a deleted file's DACL goes with it.
  foreach ($p in $paths) { Remove-ModelAcl -Path $p -Tree }
}

function Copy-Item {
  [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Path')]
  param([Parameter(Position = 0, ParameterSetName = 'Path', Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string]$Destination, [switch]$Force, [switch]$Recurse)
  Test-ModelKill 'Copy-Item'
  $paths = Get-ModelPathArgument $PSBoundParameters
  if (Test-ModelRegistryPath $paths[0]) { throw 'model: Copy-Item of registry keys not modelled' }
  Microsoft.PowerShell.Management\Copy-Item @PSBoundParameters
  # A copy is a new file: it takes the inherited ACL of its new folder, not the source's (CopyFile docs).
  if ($Destination) { Remove-ModelAcl -Path $Destination -Tree -KeepOwner }
}

function Move-Item {
  [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Path')]
  param([Parameter(Position = 0, ParameterSetName = 'Path', Mandatory)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath', Mandatory)][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string]$Destination, [switch]$Force)
  Test-ModelKill 'Move-Item'
  $paths = Get-ModelPathArgument $PSBoundParameters
  if (Test-ModelRegistryPath $paths[0]) { throw 'model: Move-Item of registry keys not modelled' }
  Microsoft.PowerShell.Management\Move-Item @PSBoundParameters
  # A move within a volume keeps the file's explicit DACL (MoveFileEx docs: the security descriptor moves with the file).
  Move-ModelAcl -From $paths[0] -To $Destination
}
