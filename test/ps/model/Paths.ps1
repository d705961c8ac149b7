# Windows paths in the sandbox. Each drive letter the model knows (C:) is a FileSystem PSDrive rooted in
# the sandbox, so cmdlets given `C:\...` resolve it through the provider as on Windows. What Linux
# pwsh does differently is corrected here, each next to the Windows behaviour it restores.

function ConvertTo-ModelUnixPath([string]$Path) {
  # `C:\a\b` -> <sandbox>/C/a/b. Only drive-qualified absolute paths are modelled: .NET on Windows
  # resolves a relative path against the process's current directory, which the model does not have.
  if ($Path -match '^([A-Za-z]):[\\/](.*)$') {
    $drive = $Matches[1].ToUpperInvariant()
    if ($drive -ne 'C') { throw "model: drive ${drive}: not modelled ($Path)" }
    return ((Get-ModelRoot) + '/C/' + ($Matches[2] -replace '\\', '/'))
  }
  if ($Path.StartsWith('/')) { return $Path }
  throw "model: relative path given to a .NET file API not modelled ($Path)"
}

function ConvertTo-ModelWindowsPath([string]$UnixPath) {
  $prefix = (Get-ModelRoot) + '/C'
  if ($UnixPath -eq $prefix) { return 'C:\' }
  if ($UnixPath.StartsWith($prefix + '/')) { return 'C:\' + ($UnixPath.Substring($prefix.Length + 1) -replace '/', '\') }
  return $UnixPath
}

function Test-ModelDrivePath([string]$Path) { return ($Path -match '^[A-Za-z]:[\\/]') }

# Join-Path / Split-Path: on Windows the FileSystem provider's separator is `\`
# (FileSystemProvider.cs, StringLiterals.DefaultPathSeparator on Windows); Linux pwsh joins with `/`.
function Join-Path {
  [CmdletBinding()]
  param([Parameter(Mandatory, Position = 0, ValueFromPipeline)][string[]]$Path,
        [Parameter(Position = 1)][string]$ChildPath,
        [Parameter(Position = 2, ValueFromRemainingArguments)][string[]]$AdditionalChildPath,
        [switch]$Resolve)
  process {
    $r = Microsoft.PowerShell.Management\Join-Path @PSBoundParameters
    foreach ($x in @($r)) { if (Test-ModelDrivePath $x) { $x -replace '/', '\' } else { $x } }
  }
}

function Split-Path {
  [CmdletBinding(DefaultParameterSetName = 'ParentSet')]
  param([Parameter(Mandatory, Position = 0, ValueFromPipeline, ParameterSetName = 'ParentSet')]
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ParameterSetName = 'LeafSet')]
        [string[]]$Path,
        [Parameter(ParameterSetName = 'ParentSet')][switch]$Parent,
        [Parameter(ParameterSetName = 'LeafSet')][switch]$Leaf)
  process {
    $r = Microsoft.PowerShell.Management\Split-Path @PSBoundParameters
    foreach ($x in @($r)) { if (Test-ModelDrivePath $x) { $x -replace '/', '\' } else { $x } }
  }
}

# Get-ChildItem: on Windows FileSystemInfo.FullName is `C:\...`; in the sandbox it is the Unix path.
# The items are returned with FullName (an instance member, which PowerShell's ETS resolves before the
# adapted .NET property) set to the Windows form.
function Get-ChildItem {
  [CmdletBinding(DefaultParameterSetName = 'Items')]
  param([Parameter(Position = 0, ParameterSetName = 'Items', ValueFromPipeline)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralItems')][Alias('PSPath')][string[]]$LiteralPath,
        [Parameter(Position = 1)][string]$Filter, [switch]$Recurse, [switch]$Force, [switch]$File, [switch]$Directory, [switch]$Name)
  process {
    foreach ($p in @($Path) + @($LiteralPath)) { if ($p -and $p.StartsWith('HK')) { throw "model: Get-ChildItem $p (registry) not modelled" } }
    foreach ($item in @(Microsoft.PowerShell.Management\Get-ChildItem @PSBoundParameters)) {
      if ($item -is [System.IO.FileSystemInfo]) {
        $item | Add-Member -Force -NotePropertyName FullName -NotePropertyValue (ConvertTo-ModelWindowsPath $item.FullName)
      }
      $item
    }
  }
}
