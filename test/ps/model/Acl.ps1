# File and registry-key ACLs. Explicit DACLs set by the scripts are kept in the state (fileAcls by
# lower-case Windows path; registry keys in their Acl field); an object without one has the ACL it
# inherits, by location (the defaults below). Real inheritance (propagation from a changed parent)
# is not modelled: see docs/HOST-MODEL.md.

# Default inherited DACLs of a Windows Server 2019 install:
# - C:\Users\<name>\...: SYSTEM, Administrators and the profile owner, FullControl (profile folder
#   ACL, https://learn.microsoft.com/windows/win32/shell/knownfolderid + default profile ACL);
# - a folder or file created under the root of C: (C:\nssm, C:\NOVA-SERVER and what is in them): see
#   Get-ModelRootFolderRules;
# - a folder or file under C:\Program Files (an all-users Python there, C:\Program Files\nova-infra):
#   what the Program Files ACL passes down (icacls "C:\Program Files" on Server 2019: TrustedInstaller
#   F and (CI)(IO)(F), SYSTEM and Administrators M and (OI)(CI)(IO)(F), Users RX and (OI)(CI)(IO)(GR,GE),
#   CREATOR OWNER (OI)(CI)(IO)(F), and ALL APPLICATION PACKAGES (S-1-15-2-1) and ALL RESTRICTED
#   APPLICATION PACKAGES (S-1-15-2-2) RX and (OI)(CI)(IO)(GR,GE)): an effective rule per inheritable entry, and the inherit-only
#   entries again (generic rights: GENERIC_ALL 268435456, GENERIC_READ|GENERIC_EXECUTE -1610612736);
#   a folder also gets TrustedInstaller's container-only entry. C:\Program Files itself keeps its own.
#   Source status: ansible/ansible#20555 (and Win32-OpenSSH#750) confirm only the two app-package
#   entries and that translating them fails; the other entries are the usual Server 2019 defaults, not
#   read from a cited listing: an icacls reading on a Windows host should replace them.
# - ProgramData, Windows: SYSTEM and Administrators FullControl, Users ReadAndExecute.
$script:ModelProfileSid = 'S-1-5-21-1004336348-1177238915-682003330-1001'
$script:TrustedInstallerSid = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464'
function Get-ModelProgramFilesRules([string]$Path, [string]$For = $Path) {
  $rx = 'ReadAndExecute, Synchronize'; $ga = '268435456'; $grge = '-1610612736'
  $rule = { param($sid, $rights) @{ Sid = $sid; Rights = $rights; Type = 'Allow' } }
  if ($Path -match '^C:\\Program Files$') {
    return @((& $rule $script:TrustedInstallerSid 'FullControl'), (& $rule $script:TrustedInstallerSid $ga), (& $rule 'S-1-5-18' 'Modify, Synchronize'), (& $rule 'S-1-5-18' $ga),
      (& $rule 'S-1-5-32-544' 'Modify, Synchronize'), (& $rule 'S-1-5-32-544' $ga), (& $rule 'S-1-5-32-545' $rx), (& $rule 'S-1-5-32-545' $grge), (& $rule 'S-1-3-0' $ga),
      (& $rule 'S-1-15-2-1' $rx), (& $rule 'S-1-15-2-1' $grge), (& $rule 'S-1-15-2-2' $rx), (& $rule 'S-1-15-2-2' $grge))
  }
  $rules = @()
  if (Microsoft.PowerShell.Management\Test-Path -LiteralPath $For -PathType Container) { $rules += @((& $rule $script:TrustedInstallerSid 'FullControl'), (& $rule $script:TrustedInstallerSid $ga)) }
  $rules += @((& $rule 'S-1-5-18' 'FullControl'), (& $rule 'S-1-5-18' $ga), (& $rule 'S-1-5-32-544' 'FullControl'), (& $rule 'S-1-5-32-544' $ga), (& $rule 'S-1-5-32-545' $rx), (& $rule 'S-1-5-32-545' $grge),
    (& $rule 'S-1-3-0' $ga), (& $rule 'S-1-15-2-1' $rx), (& $rule 'S-1-15-2-1' $grge), (& $rule 'S-1-15-2-2' $rx), (& $rule 'S-1-15-2-2' $grge))
  return $rules
}
# What a folder under C:\ (at any depth, no explicit DACL on the way) inherits, as Get-Acl reads it. Two
# root ACLs are seen on Server hosts, and the model gives both, so that the steps must cope with either:
# - the server SKUs' root (icacls C:\ on Windows Server 2022, moby/buildkit#4731: SYSTEM and Administrators
#   (OI)(CI)(F), CREATOR OWNER (OI)(CI)(IO)(F), Users (OI)(CI)(RX), Users (CI)(AD), Users (CI)(IO)(WD)):
#   a folder gets Users CreateDirectories (AppendData, 4) and, one level down from the IO entry and so on
#   every folder under C:\, Users CreateFiles (WriteData, 2), both container-inherited, and CREATOR
#   OWNER's inherit-only GENERIC_ALL (268435456); files get none of the three (folders only, CI);
# - the client-style root an Azure Windows Server node showed (Azure/aks-engine#4633, icacls c:\k:
#   Authenticated Users (I)(M) and (I)(OI)(CI)(IO)(M); field notes "A folder created at the root of C:
#   inherits Authenticated Users: Modify"): Authenticated Users Modify on folders and files, and on folders
#   the inherit-only entry, whose generic rights GENERIC_READ|WRITE|EXECUTE|DELETE Get-Acl shows as
#   -536805376.
# How each entry reaches a child: ACE inheritance rules (https://learn.microsoft.com/windows/win32/secauthz/ace-inheritance-rules:
# CI only: containers only, inheritable on; an inherit-only entry is effective one level down; generic rights
# stay in the inherit-only copy and are mapped in the effective one). The effective ACE for the creator
# (CREATOR OWNER mapped to the owner, an administrator) is not modelled.
function Get-ModelRootFolderRules([string]$For) {
  $rule = { param($sid, $rights) @{ Sid = $sid; Rights = $rights; Type = 'Allow' } }
  $rules = @((& $rule 'S-1-5-18' 'FullControl'), (& $rule 'S-1-5-32-544' 'FullControl'), (& $rule 'S-1-5-32-545' 'ReadAndExecute, Synchronize'), (& $rule 'S-1-5-11' 'Modify, Synchronize'))
  if (Microsoft.PowerShell.Management\Test-Path -LiteralPath $For -PathType Container) {
    $rules += @((& $rule 'S-1-5-32-545' 'AppendData'), (& $rule 'S-1-5-32-545' 'CreateFiles'), (& $rule 'S-1-3-0' '268435456'), (& $rule 'S-1-5-11' '-536805376'))
  }
  return $rules
}
# $Path: where the defaults come from (the object itself or an ancestor, maybe lower-cased); $For: the
# object whose rules they are (its kind, folder or file, decides what it inherits).
function Get-ModelDefaultFileRules([string]$Path, [string]$For = $Path) {
  if ($Path -match '^C:\\Program Files(\\|$)') { return Get-ModelProgramFilesRules $Path $For }
  $rules = @(@{ Sid = 'S-1-5-18'; Rights = 'FullControl'; Type = 'Allow' }, @{ Sid = 'S-1-5-32-544'; Rights = 'FullControl'; Type = 'Allow' })
  if ($Path -match '^C:\\Users\\[^\\]+\\') { $rules += @{ Sid = $script:ModelProfileSid; Rights = 'FullControl'; Type = 'Allow' } }
  elseif ($Path -match '^C:\\(ProgramData|Windows)(\\|$)') { $rules += @{ Sid = 'S-1-5-32-545'; Rights = 'ReadAndExecute, Synchronize'; Type = 'Allow' } }
  else { return Get-ModelRootFolderRules $For }
  return $rules
}
# HKLM\SYSTEM\CurrentControlSet\Services\<svc> and subkeys inherit SYSTEM and Administrators
# FullControl and Users ReadKey (field notes: the Parameters key is readable by local users).
function Get-ModelDefaultKeyRules { return @(@{ Sid = 'S-1-5-18'; Rights = 'FullControl'; Type = 'Allow' }, @{ Sid = 'S-1-5-32-544'; Rights = 'FullControl'; Type = 'Allow' }, @{ Sid = 'S-1-5-32-545'; Rights = 'ReadKey'; Type = 'Allow' }) }

function ConvertTo-ModelAclPath([string]$Path) { return ($Path -replace '/', '\').TrimEnd('\').ToLowerInvariant() }

# What a file or folder inherits: the rules of its nearest ancestor that has an explicit DACL (all
# of them: the inheritance flags of each rule are not modelled; the scripts' folder rules are set with
# ContainerInherit, ObjectInherit), else the defaults of its location.
function Get-ModelInheritedRules($State, [string]$Path, [string]$For = $Path) {
  $parts = (ConvertTo-ModelAclPath $Path).Split('\')
  for ($n = $parts.Count - 1; $n -ge 2; $n--) {
    $ancestor = $parts[0..($n - 1)] -join '\'
    $doc = $State.fileAcls[$ancestor]
    if ($null -ne $doc) {
      if ($doc.Protected) { return @($doc.Rules) }
      return @(Get-ModelInheritedRules $State $ancestor $For) + @($doc.Rules)
    }
  }
  return Get-ModelDefaultFileRules ($Path -replace '/', '\') $For
}

# Owners. "An object's owner implicitly has WRITE_DAC access to the object" and a new object's owner is the
# default owner of the creator's token (https://learn.microsoft.com/windows/win32/secauthz/owner-of-a-new-object).
# For a member of Administrators that is BUILTIN\Administrators on Windows Server: security option "System
# objects: Default owner for objects created by members of the Administrators group", Administrators on
# servers, Object creator on clients (KB 318825, https://support.microsoft.com/kb/318825). The steps run as
# an elevated administrator, so what they (or a scenario's setup, for them) create is owned by S-1-5-32-544;
# a scenario plants a local user's item with Set-ModelOwner. What Windows made itself (TrustedInstaller's
# C:\Windows) is not told apart: the steps read the owner only of what they narrow.
$script:ModelAdminsSid = 'S-1-5-32-544'
function Get-ModelOwner($State, [string]$Path) {
  $owner = $null
  if (Test-ModelRegistryPath $Path) { $key = Get-ModelKey $State $Path; if ($null -ne $key) { $owner = $key.Owner } }
  elseif ($null -ne $State.fileOwners) { $owner = $State.fileOwners[(ConvertTo-ModelAclPath $Path)] }
  if ($owner) { return $owner }
  return $script:ModelAdminsSid
}
function Set-ModelOwner([string]$Path, [string]$Sid) {
  Update-ModelState {
    param($state)
    if (Test-ModelRegistryPath $Path) { (Get-ModelKey $state $Path).Owner = $Sid; return }
    if ($null -eq $state.fileOwners) { $state.fileOwners = @{} }
    $state.fileOwners[(ConvertTo-ModelAclPath $Path)] = $Sid
  } | Out-Null
}
# The owner a write of $Security gives $Path, or $null to keep it. PowerShell's Set-Acl on a file or folder
# writes every section with SeRestorePrivilege enabled (FileSystemSecurity.cs SetSecurityDescriptor), which an
# elevated administrator holds ("Restore files and directories": Administrators), so any owner the object has
# ($Privileged); an owner-less one (New-Object FileSecurity) leaves it. .NET's SetAccessControl, File.Create and
# Set-Acl on a key (RegistryProvider: key.SetAccessControl) write it only when changed, without that privilege:
# the owner must then be the caller or a group of its token with SE_GROUP_OWNER (TOKEN_OWNER docs), i.e.
# Administrators for an elevated administrator; another owner is not modelled.
function Get-ModelOwnerWrite($State, [string]$Path, $Security, [bool]$Privileged) {
  if (-not $Security.OwnerSid -or -not ($Privileged -or $Security.OwnerModified)) { return $null }
  if ($Privileged -or $Security.OwnerSid -eq $script:ModelAdminsSid -or $Security.OwnerSid -eq (Get-ModelOwner $State $Path)) { return $Security.OwnerSid }
  throw "model: setting owner $($Security.OwnerSid) not modelled"
}

# A protected DACL is kept whole; an unprotected one keeps its explicit rules only, and reads back
# with the inherited rules of its location before them (Windows orders explicit rules first; the
# scripts compare sorted rule sets, so the order is not modelled). The owner: Get-ModelOwnerWrite.
function Set-ModelAcl([string]$Path, $Security, [switch]$Privileged) {
  $protected = [bool]$Security.AreAccessRulesProtected
  $rules = @($Security.Rules | Where-Object { $protected -or -not $_.IsInherited })
  $doc = @{ Protected = $protected; Rules = @($rules | ForEach-Object { @{ Sid = $_.IdentityReference.Value; Rights = $_.Rights; Type = $_.AccessControlType } }) }
  Update-ModelState {
    param($state)
    $owner = Get-ModelOwnerWrite $state $Path $Security $Privileged
    if (Test-ModelRegistryPath $Path) {
      $key = Get-ModelKey $state $Path
      if ($null -eq $key) { throw "Cannot find path '$Path' because it does not exist." }
      $key.Acl = $doc
      if ($owner) { $key.Owner = $owner }
    } else {
      $state.fileAcls[(ConvertTo-ModelAclPath $Path)] = $doc
      if ($owner) { if ($null -eq $state.fileOwners) { $state.fileOwners = @{} }; $state.fileOwners[(ConvertTo-ModelAclPath $Path)] = $owner }
    }
  } | Out-Null
}

# A deleted item's DACL and owner go with it; a copy over an item keeps its owner (-KeepOwner: whether CopyFile
# does is not read from a source; keeping a planted owner is the case the steps must handle).
function Remove-ModelAcl([string]$Path, [switch]$Tree, [switch]$KeepOwner) {
  if (-not (Test-ModelDrivePath $Path)) { return }
  $lower = ConvertTo-ModelAclPath $Path
  Update-ModelState {
    param($state)
    foreach ($map in @($state.fileAcls, $(if (-not $KeepOwner) { $state.fileOwners })) | Where-Object { $null -ne $_ }) {
      foreach ($k in @($map.Keys)) { if ($k -eq $lower -or ($Tree -and $k.StartsWith($lower + '\'))) { $map.Remove($k) } }
    }
  } | Out-Null
}

function Move-ModelAcl([string]$From, [string]$To) {
  $f = ConvertTo-ModelAclPath $From; $t = ConvertTo-ModelAclPath $To
  Update-ModelState {
    param($state)
    foreach ($map in @($state.fileAcls, $state.fileOwners) | Where-Object { $null -ne $_ }) {
      if ($map.ContainsKey($f)) { $map[$t] = $map[$f]; $map.Remove($f) } elseif ($map.ContainsKey($t)) { $map.Remove($t) }
    }
  } | Out-Null
}

# The account name LookupAccountSid gives a SID on an English Server 2019 (well-known SIDs,
# https://learn.microsoft.com/windows/win32/secauthz/well-known-sids; a service SID is NT SERVICE\<name>
# of the service whose name hashes to it, sc showsid), or '' when it has none (Get-Acl then keeps the SID).
$script:ModelAccountNames = @{
  'S-1-1-0' = 'Everyone'; 'S-1-3-0' = 'CREATOR OWNER'; 'S-1-5-4' = 'NT AUTHORITY\INTERACTIVE'; 'S-1-5-11' = 'NT AUTHORITY\Authenticated Users'
  'S-1-5-18' = 'NT AUTHORITY\SYSTEM'; 'S-1-5-32-544' = 'BUILTIN\Administrators'; 'S-1-5-32-545' = 'BUILTIN\Users'
  'S-1-15-2-1' = 'APPLICATION PACKAGE AUTHORITY\ALL APPLICATION PACKAGES'; 'S-1-15-2-2' = 'APPLICATION PACKAGE AUTHORITY\ALL RESTRICTED APPLICATION PACKAGES'
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464' = 'NT SERVICE\TrustedInstaller'
  'S-1-5-21-1004336348-1177238915-682003330-1001' = 'NOVA-HOST\nova'
}
function Get-ModelServiceSid([string]$Name) {
  $hash = [System.Security.Cryptography.SHA1]::HashData([System.Text.Encoding]::Unicode.GetBytes($Name.ToUpperInvariant()))
  return 'S-1-5-80-' + ((0..4 | ForEach-Object { [BitConverter]::ToUInt32($hash, $_ * 4) }) -join '-')
}
function Get-ModelAccountName($State, [string]$Sid) {
  if ($script:ModelAccountNames.ContainsKey($Sid)) { return $script:ModelAccountNames[$Sid] }
  if ($Sid.StartsWith('S-1-5-80-')) { foreach ($svc in @($State.services.Values)) { if ((Get-ModelServiceSid $svc.Name) -eq $Sid) { return 'NT SERVICE\' + $svc.Name } } }
  return ''
}

function New-ModelAclObject($Doc, [string]$Kind, $Inherited = @(), $State = $null) {
  $sec = if ($Kind -eq 'registry') { [ModelRegistrySecurity]::new() } else { [ModelFileSecurity]::new() }
  $sec.AreAccessRulesProtected = [bool]$Doc.Protected
  $all = @(@($Inherited) | ForEach-Object { @{ Rule = $_; IsInherited = $true } }) + @(@($Doc.Rules) | ForEach-Object { @{ Rule = $_; IsInherited = (-not $Doc.Protected) -and ($Inherited.Count -eq 0) } })
  foreach ($entry in $all) {
    $r = $entry.Rule
    # The rule in the security object, so that changing and setting it back keeps it.
    $copy = [ModelAccessRule]::new(); $copy.IdentityReference = [ModelSid]::new($r.Sid); $copy.Rights = $r.Rights; $copy.AccessControlType = $r.Type; $copy.IsInherited = $entry.IsInherited; $copy.Kind = $Kind
    if ($null -ne $State) { $copy.Account = Get-ModelAccountName $State $r.Sid }
    $sec.Rules.Add($copy)
  }
  # ObjectSecurity.Access (PowerShell's Get-Acl adds it): GetAccessRules($true, $true, [NTAccount]).
  $sec | Add-Member -Force NoteProperty Access @($sec.GetAccessRules($true, $true, [ModelNTAccount]))
  return $sec
}

# Get-Acl -LiteralPath: the DACL and owner of a file, folder or registry key; .Owner is the owner's account
# name (PowerShell's Owner code property: GetOwner([NTAccount]); the model gives the SID where it has no name).
function Get-Acl {
  [CmdletBinding()]
  param([Parameter(Position = 0)][string[]]$Path, [Alias('PSPath')][string[]]$LiteralPath)
  foreach ($p in @($Path) + @($LiteralPath) | Where-Object { $_ }) {
    $state = Read-ModelState
    $sec = $null
    if (Test-ModelRegistryPath $p) {
      $key = Get-ModelKey $state $p
      if ($null -eq $key) { throw "Cannot find path '$p' because it does not exist." }
      $doc = $key.Acl
      if ($null -eq $doc) { $sec = New-ModelAclObject @{ Protected = $false; Rules = Get-ModelDefaultKeyRules } 'registry' @() $state }
      elseif (-not $doc.Protected) { $sec = New-ModelAclObject $doc 'registry' @(Get-ModelDefaultKeyRules) $state }
      else { $sec = New-ModelAclObject $doc 'registry' @() $state }
    } else {
      if (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath $p)) { throw "Cannot find path '$p' because it does not exist." }
      $doc = $state.fileAcls[(ConvertTo-ModelAclPath $p)]
      if ($null -eq $doc) { $sec = New-ModelAclObject @{ Protected = $false; Rules = @(Get-ModelInheritedRules $state $p) } 'file' @() $state }
      elseif (-not $doc.Protected) { $sec = New-ModelAclObject $doc 'file' @(Get-ModelInheritedRules $state $p) $state }
      else { $sec = New-ModelAclObject $doc 'file' @() $state }
    }
    $sec.OwnerSid = Get-ModelOwner $state $p
    $sec.OwnerAccount = Get-ModelAccountName $state $sec.OwnerSid
    $sec | Add-Member -Force NoteProperty Owner $(if ($sec.OwnerAccount) { $sec.OwnerAccount } else { $sec.OwnerSid })
    $sec
  }
}

# Set-Acl -LiteralPath -AclObject: replaces the DACL.
function Set-Acl {
  [CmdletBinding(SupportsShouldProcess)]
  param([Parameter(Position = 0)][string[]]$Path, [Alias('PSPath')][string[]]$LiteralPath, [Parameter(Mandatory)]$AclObject)
  Test-ModelKill 'Set-Acl'
  foreach ($p in @($Path) + @($LiteralPath) | Where-Object { $_ }) {
    $registry = Test-ModelRegistryPath $p
    if ($registry -and $AclObject.Kind -ne 'registry') { throw 'model: Set-Acl of a non-registry ACL on a key' }
    if (-not $registry) {
      if ($AclObject.Kind -ne 'file') { throw 'model: Set-Acl of a non-file ACL on a file' }
      if (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath $p)) { throw "Cannot find path '$p' because it does not exist." }
    }
    Set-ModelAcl -Path $p -Security $AclObject -Privileged:(-not $registry)
  }
}

# SDDL of the ACLs the model writes itself (cloudflared's token file).
function ConvertFrom-ModelSddl([string]$Sddl) {
  # O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY): protected; Administrators and SYSTEM FullControl (field notes).
  if ($Sddl -ne 'O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)') { throw "model: SDDL $Sddl not modelled" }
  return @{ Protected = $true; Rules = @(@{ Sid = 'S-1-5-32-544'; Rights = 'FullControl'; Type = 'Allow' }, @{ Sid = 'S-1-5-18'; Rights = 'FullControl'; Type = 'Allow' }) }
}
