# Stand-ins for the .NET Framework APIs the scripts call that .NET on Linux lacks or refuses
# ("ACL APIs ... are not supported on this platform", "Windows Principal functionality is not
# supported on this platform"), registered as type accelerators under the names the scripts write, so
# script text compiled after Import of the model binds to them. Each class has only the members the
# scripts (and the modules they call) use: any other member fails loudly ("does not contain a method").

# System.Security.Principal.SecurityIdentifier: the model knows the well-known SIDs the scripts use
# (https://learn.microsoft.com/windows/win32/secauthz/well-known-sids).
class ModelSid {
  [string]$Value
  ModelSid([string]$Sddl) {
    if ($Sddl -notmatch '^S-1-(\d+-)*\d+$') { throw "model: SecurityIdentifier '$Sddl' not modelled" }
    $this.Value = $Sddl
  }
  [object] Translate([type]$Target) {
    if ($Target.Name -ne 'ModelSid') { throw "model: SecurityIdentifier.Translate($Target) not modelled" }
    return $this
  }
  [string] ToString() { return $this.Value }
}

# System.Security.Principal.NTAccount, as Get-Acl's Access property gives each rule's identity
# (FileSystemSecurity.Access = GetAccessRules($true, $true, [NTAccount]); a SID without a name stays a
# SecurityIdentifier). Translating the name back to a SID is LookupAccountName, which fails for the
# APPLICATION PACKAGE AUTHORITY names of S-1-15-2-1 and S-1-15-2-2 ("Some or all identity references
# could not be translated.", IdentityNotMappedException), the entries every folder of C:\Program Files
# inherits (ansible/ansible#20555 "win_acl Can't set perms on C:\Program Files due to ALL APPLICATION
# PACKAGES"; PowerShell/Win32-OpenSSH#750; mcollera/AccessControlDsc#37, #58).
class ModelNTAccount {
  [string]$Value
  hidden [string]$Sid
  ModelNTAccount([string]$Name, [string]$Sid) { $this.Value = $Name; $this.Sid = $Sid }
  [object] Translate([type]$Target) {
    # (a script compiled before the model was loaded names the real types)
    if (@('ModelNTAccount', 'NTAccount') -contains $Target.Name) { return $this }
    if (@('ModelSid', 'SecurityIdentifier') -notcontains $Target.Name) { throw "model: NTAccount.Translate($Target) not modelled" }
    if ($this.Value.StartsWith('APPLICATION PACKAGE AUTHORITY\')) { throw [ModelIdentityNotMappedException]::new() }
    return [ModelSid]::new($this.Sid)
  }
  [string] ToString() { return $this.Value }
}
# IdentityNotMappedException (.NET on Linux refuses to construct it: "Windows Principal functionality
# is not supported on this platform"): the same message.
class ModelIdentityNotMappedException : System.SystemException {
  ModelIdentityNotMappedException() : base('Some or all identity references could not be translated.') { }
}

# An access rule (FileSystemAccessRule / RegistryAccessRule): identity, rights, type, inheritance.
class ModelAccessRule {
  [object]$IdentityReference
  [string]$Rights
  [string]$AccessControlType
  [string]$InheritanceFlags = 'None'
  [string]$PropagationFlags = 'None'
  [bool]$IsInherited = $false
  [string]$Kind
  # The account name Get-Acl resolved the SID to (empty: no name, or a rule the script built itself).
  hidden [string]$Account = ''
  # The rule as .NET returns it: FileSystemRights or RegistryRights as the real enum (a generic right
  # of an inherit-only entry, e.g. GENERIC_READ|GENERIC_EXECUTE, has no name: [string] gives the number,
  # as on Windows), the identity as a SID or, for [NTAccount], its name when it has one.
  [object] ToRule([string]$Identity) {
    $rightsType = [System.Security.AccessControl.FileSystemRights]
    if ($this.Kind -eq 'registry') { $rightsType = [System.Security.AccessControl.RegistryRights] }
    $value = 0
    if ($this.Rights -match '^-?\d+$') { $value = [int]$this.Rights } else { $value = [int]($this.Rights -as $rightsType) }
    $id = [ModelSid]::new($this.IdentityReference.Value)
    if ($Identity -eq 'account' -and $this.Account) { $id = [ModelNTAccount]::new($this.Account, $this.IdentityReference.Value) }
    $rule = [ordered]@{ IdentityReference = $id; AccessControlType = $this.AccessControlType; IsInherited = $this.IsInherited; InheritanceFlags = $this.InheritanceFlags; PropagationFlags = $this.PropagationFlags }
    $rule[$rightsType.Name] = [Enum]::ToObject($rightsType, $value)
    return [pscustomobject]$rule
  }
}

class ModelFileSystemAccessRule : ModelAccessRule {
  # FileSystemAccessRule(IdentityReference, FileSystemRights, AccessControlType)
  ModelFileSystemAccessRule([object]$Identity, [string]$Rights, [string]$Type) {
    $this.IdentityReference = $Identity; $this.Rights = $Rights; $this.AccessControlType = $Type; $this.Kind = 'file'
  }
  ModelFileSystemAccessRule([object]$Identity, [string]$Rights, [string]$Inherit, [string]$Propagate, [string]$Type) {
    $this.IdentityReference = $Identity; $this.Rights = $Rights; $this.AccessControlType = $Type; $this.Kind = 'file'
    $this.InheritanceFlags = $Inherit; $this.PropagationFlags = $Propagate
  }
}

class ModelRegistryAccessRule : ModelAccessRule {
  # RegistryAccessRule(IdentityReference, RegistryRights, InheritanceFlags, PropagationFlags, AccessControlType)
  ModelRegistryAccessRule([object]$Identity, [string]$Rights, [string]$Inherit, [string]$Propagate, [string]$Type) {
    $this.IdentityReference = $Identity; $this.Rights = $Rights; $this.AccessControlType = $Type; $this.Kind = 'registry'
    $this.InheritanceFlags = $Inherit; $this.PropagationFlags = $Propagate
  }
}

# FileSecurity / RegistrySecurity: a DACL (rules) and its protection flag, and the owner (a SID; '' in a
# new security object, which has none) with whether SetOwner (or an SDDL with O:) changed it: .NET writes
# only the changed sections (FileSystemSecurity.Persist: GetAccessControlSectionsFromChanges, referencesource
# mscorlib/system/security/accesscontrol/filesecurity.cs). Applying the owner: Acl.ps1 Set-ModelAcl.
class ModelSecurity {
  [bool]$AreAccessRulesProtected = $false
  [System.Collections.Generic.List[object]]$Rules = (New-Object System.Collections.Generic.List[object])
  [string]$Kind
  [string]$OwnerSid = ''
  [bool]$OwnerModified = $false
  hidden [string]$OwnerAccount = ''
  # ObjectSecurity.SetOwner(IdentityReference) / GetOwner(Type): the identity as a SecurityIdentifier, or an
  # NTAccount (IdentityNotMappedException for a SID without a name); $null when there is no owner.
  [void] SetOwner([object]$Identity) { $this.OwnerSid = $Identity.Translate([ModelSid]).Value; $this.OwnerAccount = ''; $this.OwnerModified = $true }
  [object] GetOwner([type]$TargetType) {
    if (-not $this.OwnerSid) { return $null }
    if (@('ModelSid', 'SecurityIdentifier') -contains $TargetType.Name) { return [ModelSid]::new($this.OwnerSid) }
    if (@('ModelNTAccount', 'NTAccount') -notcontains $TargetType.Name) { throw "model: GetOwner for $TargetType not modelled" }
    if (-not $this.OwnerAccount) { throw [ModelIdentityNotMappedException]::new() }
    return [ModelNTAccount]::new($this.OwnerAccount, $this.OwnerSid)
  }
  [void] SetAccessRuleProtection([bool]$IsProtected, [bool]$PreserveInheritance) {
    # ObjectSecurity.SetAccessRuleProtection: preserveInheritance=$false drops the inherited rules.
    $this.AreAccessRulesProtected = $IsProtected
    if ($IsProtected -and -not $PreserveInheritance) { $this.Rules.RemoveAll({ param($r) $r.IsInherited }) | Out-Null }
    if ($IsProtected -and $PreserveInheritance) { foreach ($r in $this.Rules) { $r.IsInherited = $false } }
  }
  # ObjectSecurity.SetSecurityDescriptorSddlForm, for the one descriptor the scripts write (cloudflared's
  # token file): O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY), owner Administrators, protected, Administrators and SYSTEM FullControl.
  [void] SetSecurityDescriptorSddlForm([string]$Sddl) {
    if ($Sddl -ne 'O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)') { throw "model: SDDL $Sddl not modelled" }
    $this.AreAccessRulesProtected = $true
    $this.OwnerSid = 'S-1-5-32-544'; $this.OwnerAccount = 'BUILTIN\Administrators'; $this.OwnerModified = $true
    $this.Rules.Clear()
    foreach ($sid in @('S-1-5-32-544', 'S-1-5-18')) {
      $rule = [ModelAccessRule]::new(); $rule.IdentityReference = [ModelSid]::new($sid); $rule.Rights = 'FullControl'; $rule.AccessControlType = 'Allow'; $rule.Kind = $this.Kind
      $this.Rules.Add($rule)
    }
  }
  # ObjectSecurity.PurgeAccessRules: removes every rule of the identity.
  [void] PurgeAccessRules([object]$Identity) {
    $sid = $Identity.Value
    $this.Rules.RemoveAll({ param($r) $r.IdentityReference.Value -eq $sid }) | Out-Null
  }
  # CommonObjectSecurity.GetAccessRules(includeExplicit, includeInherited, targetType): the rules with
  # their identity as a SecurityIdentifier (no name lookup) or as an NTAccount (a name where there is one).
  [object[]] GetAccessRules([bool]$IncludeExplicit, [bool]$IncludeInherited, [type]$TargetType) {
    $identity = 'sid'
    if (@('ModelNTAccount', 'NTAccount') -contains $TargetType.Name) { $identity = 'account' }
    elseif (@('ModelSid', 'SecurityIdentifier') -notcontains $TargetType.Name) { throw "model: GetAccessRules for $TargetType not modelled" }
    $out = New-Object System.Collections.Generic.List[object]
    foreach ($r in $this.Rules) { if (($r.IsInherited -and $IncludeInherited) -or (-not $r.IsInherited -and $IncludeExplicit)) { $out.Add($r.ToRule($identity)) } }
    return $out.ToArray()
  }
  [void] AddAccessRule([object]$Rule) {
    if ($Rule.Kind -ne $this.Kind) { throw "model: a $($Rule.Kind) rule added to a $($this.Kind) security object" }
    $this.Rules.Add($Rule)
  }
}
class ModelFileSecurity : ModelSecurity { ModelFileSecurity() { $this.Kind = 'file' } }
class ModelRegistrySecurity : ModelSecurity { ModelRegistrySecurity() { $this.Kind = 'registry' } }
# DirectorySecurity: a FileSystemSecurity like FileSecurity (same FileSystemAccessRule, same Get-Acl
# reading), https://learn.microsoft.com/dotnet/api/system.security.accesscontrol.directorysecurity?view=netframework-4.7.2
class ModelDirectorySecurity : ModelSecurity { ModelDirectorySecurity() { $this.Kind = 'file' } }

# System.IO.File: drive-qualified Windows paths map into the sandbox (a .NET API resolves `C:\...`
# on Windows itself, not through PowerShell's location); Unix paths (used by the Archive module) pass
# through; relative paths fail loudly.
class ModelFile {
  # (the members reach the real file through FileStream/StreamReader/StreamWriter: [System.IO.File]
  # itself names this class once the model is loaded)
  static [bool] Exists([string]$Path) {
    if ([string]::IsNullOrEmpty($Path)) { return $false }
    return [System.IO.FileInfo]::new((ConvertTo-ModelUnixPath $Path)).Exists
  }
  static [object] Open([string]$Path, [System.IO.FileMode]$Mode, [System.IO.FileAccess]$Access, [System.IO.FileShare]$Share) {
    return [System.IO.FileStream]::new((ConvertTo-ModelUnixPath $Path), $Mode, $Access, $Share)
  }
  static [object] Create([string]$Path) { return [System.IO.FileStream]::new((ConvertTo-ModelUnixPath $Path), [System.IO.FileMode]::Create) }
  # File.Create(path, bufferSize, options, FileSecurity) (.NET Framework: FileMode.Create, CreateFileW CREATE_ALWAYS,
  # referencesource file.cs): a new file gets that DACL, an existing one keeps its own ("CreateFile ignores the
  # lpSecurityDescriptor member when opening an existing file or device", CreateFileW docs).
  static [object] Create([string]$Path, [int]$BufferSize, [System.IO.FileOptions]$Options, [object]$Security) {
    $existed = [ModelFile]::Exists($Path)
    $stream = [System.IO.FileStream]::new((ConvertTo-ModelUnixPath $Path), [System.IO.FileMode]::Create, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None, $BufferSize, $Options)
    if (-not $existed) { Set-ModelAcl -Path $Path -Security $Security }
    return $stream
  }
  static [byte[]] ReadAllBytes([string]$Path) {
    $fs = [System.IO.FileStream]::new((ConvertTo-ModelUnixPath $Path), [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, [System.IO.FileShare]::ReadWrite)
    try { $ms = [System.IO.MemoryStream]::new(); $fs.CopyTo($ms); return $ms.ToArray() } finally { $fs.Dispose() }
  }
  # File.ReadAllText: UTF-8 unless a byte order mark says otherwise.
  static [string] ReadAllText([string]$Path) {
    $r = [System.IO.StreamReader]::new((ConvertTo-ModelUnixPath $Path), [System.Text.UTF8Encoding]::new($false), $true)
    try { return $r.ReadToEnd() } finally { $r.Dispose() }
  }
  # File.ReadAllLines: the lines of ReadAllText, split at CR LF, LF or CR, without a last empty line.
  static [string[]] ReadAllLines([string]$Path) {
    $lines = New-Object System.Collections.Generic.List[string]
    $r = [System.IO.StreamReader]::new((ConvertTo-ModelUnixPath $Path), [System.Text.UTF8Encoding]::new($false), $true)
    try { while ($null -ne ($line = $r.ReadLine())) { $lines.Add($line) } } finally { $r.Dispose() }
    return $lines.ToArray()
  }
  # File.WriteAllText(string, string): UTF-8 without a byte order mark.
  static [void] WriteAllText([string]$Path, [string]$Text) { [ModelFile]::WriteAllText($Path, $Text, [System.Text.UTF8Encoding]::new($false)) }
  static [void] WriteAllText([string]$Path, [string]$Text, [System.Text.Encoding]$Encoding) {
    $w = [System.IO.StreamWriter]::new((ConvertTo-ModelUnixPath $Path), $false, $Encoding)
    try { $w.Write($Text) } finally { $w.Dispose() }
  }
  # File.SetAccessControl(string, FileSecurity) (.NET Framework 4.x; absent from .NET Core): sets the DACL.
  static [void] SetAccessControl([string]$Path, [object]$Security) {
    if ($Security.Kind -ne 'file') { throw 'model: File.SetAccessControl needs a FileSecurity' }
    if (-not [System.IO.FileInfo]::new((ConvertTo-ModelUnixPath $Path)).Exists) { throw [System.IO.FileNotFoundException]::new("Could not find file '$Path'.") }
    Set-ModelAcl -Path $Path -Security $Security
  }
}

# System.IO.Directory, mapped like System.IO.File; only the members the scripts, the model and the
# Archive module (Directory.Exists) call.
class ModelDirectory {
  static [bool] Exists([string]$Path) {
    if ([string]::IsNullOrEmpty($Path)) { return $false }
    return [System.IO.DirectoryInfo]::new((ConvertTo-ModelUnixPath $Path)).Exists
  }
  static [object] CreateDirectory([string]$Path) {
    $info = [System.IO.DirectoryInfo]::new((ConvertTo-ModelUnixPath $Path))
    $info.Create()
    return $info
  }
  # Directory.SetAccessControl(string, DirectorySecurity) (.NET Framework 4.x; absent from .NET Core):
  # sets the folder's DACL, https://learn.microsoft.com/dotnet/api/system.io.directory.setaccesscontrol?view=netframework-4.7.2
  static [void] SetAccessControl([string]$Path, [object]$Security) {
    if ($Security -isnot [ModelDirectorySecurity]) { throw 'model: Directory.SetAccessControl needs a DirectorySecurity' }
    if (-not [System.IO.DirectoryInfo]::new((ConvertTo-ModelUnixPath $Path)).Exists) { throw [System.IO.DirectoryNotFoundException]::new("Could not find a part of the path '$Path'.") }
    Set-ModelAcl -Path $Path -Security $Security
  }
}

# [Environment] (the name the scripts write; [System.Environment] stays the real type, for the model):
# the Machine scope is the registry key Windows keeps it in, HKLM\SYSTEM\CurrentControlSet\Control\
# Session Manager\Environment (Environment.SetEnvironmentVariable(String, String, EnvironmentVariableTarget)
# docs: "stored in the Windows operating system registry" under that key), which .NET on Linux does not
# read; the Process scope and everything else is the real one. The User scope is not modelled.
class ModelEnvironment {
  # [object], not [string]: a PowerShell class method typed [string] turns $null into an empty string.
  static [object] $OSVersion = [System.Environment]::OSVersion
  static [string] ExpandEnvironmentVariables([string]$Text) { return [System.Environment]::ExpandEnvironmentVariables($Text) }
  static [object] GetEnvironmentVariable([string]$Name) { return [System.Environment]::GetEnvironmentVariable($Name) }
  static [object] GetEnvironmentVariable([string]$Name, [System.EnvironmentVariableTarget]$Target) {
    if ($Target -eq 'Process') { return [System.Environment]::GetEnvironmentVariable($Name) }
    if ($Target -ne 'Machine') { throw "model: environment variables of scope $Target not modelled" }
    return (Get-ModelMachineVariable $Name)
  }
  static [void] SetEnvironmentVariable([string]$Name, [string]$Value) { [System.Environment]::SetEnvironmentVariable($Name, $Value) }
  static [void] SetEnvironmentVariable([string]$Name, [string]$Value, [System.EnvironmentVariableTarget]$Target) {
    if ($Target -eq 'Process') { [System.Environment]::SetEnvironmentVariable($Name, $Value); return }
    if ($Target -ne 'Machine') { throw "model: environment variables of scope $Target not modelled" }
    Set-ModelMachineVariable $Name $Value
  }
}

# The Windows-only CNG branch of the certificate request (keyRequest.ts New-NovaEcdsaKey): on Linux .NET
# CngKey throws PlatformNotSupportedException, and the branch runs only when [Environment]::OSVersion
# says Win32NT. Set-ModelWindowsPlatform makes OSVersion Windows Server 2019's (10.0.17763, the 5.1
# profile) and these stand in for CNG: CngKey.Create(CngAlgorithm, string, CngKeyCreationParameters)
# makes an ephemeral key only for a null name (https://learn.microsoft.com/dotnet/api/system.security.cryptography.cngkey.create:
# "keyName ... null for an ephemeral key"); a PowerShell $null reaches a string parameter as '' (about_Null),
# a persisted key with an empty name, not modelled. Exporting the private parameters needs the
# AllowPlaintextExport policy (CngExportPolicies docs; otherwise CryptographicException "The requested
# operation is not supported."). ECDsaCng(CngKey) signs with the key (an ECDsa, as CertificateRequest takes).
class ModelCngKey {
  hidden [System.Security.Cryptography.ECDsa]$Inner
  hidden [bool]$PlaintextExport
  static [System.Collections.Generic.List[object]] $Created = [System.Collections.Generic.List[object]]::new()
  static [object] Create([object]$Algorithm, [object]$Name, [object]$Parameters) {
    if (-not [ModelEnvironment]::OSVersion.Platform.Equals([PlatformID]::Win32NT)) { throw [System.PlatformNotSupportedException]::new('Windows Cryptography Next Generation (CNG) is not supported on this platform.') }
    if ($Name -isnot [System.Management.Automation.Language.NullString]) { throw "model: CngKey.Create with the name '$Name' (a persisted key) not modelled" }
    if ([string]$Algorithm.Algorithm -ne 'ECDSA_P256') { throw "model: CngKey.Create of $($Algorithm.Algorithm) not modelled" }
    $k = [ModelCngKey]::new()
    $k.Inner = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve]::CreateFromFriendlyName('nistP256'))
    $k.PlaintextExport = ($null -ne $Parameters) -and ((([int]$Parameters.ExportPolicy) -band [int][System.Security.Cryptography.CngExportPolicies]::AllowPlaintextExport) -ne 0)
    [ModelCngKey]::Created.Add($k)
    return $k
  }
}
class ModelECDsaCng : System.Security.Cryptography.ECDsa {
  hidden [object]$Key
  ModelECDsaCng([object]$Key) {
    if ($Key -isnot [ModelCngKey]) { throw 'model: ECDsaCng of something other than a CngKey not modelled' }
    $this.Key = $Key
    $this.KeySizeValue = 256
    $this.LegalKeySizesValue = [System.Security.Cryptography.KeySizes[]]@([System.Security.Cryptography.KeySizes]::new(256, 521, 1))
  }
  [byte[]] SignHash([byte[]]$Hash) { return $this.Key.Inner.SignHash($Hash) }
  [bool] VerifyHash([byte[]]$Hash, [byte[]]$Signature) { return $this.Key.Inner.VerifyHash($Hash, $Signature) }
  [System.Security.Cryptography.ECParameters] ExportParameters([bool]$IncludePrivate) {
    if ($IncludePrivate -and -not $this.Key.PlaintextExport) { throw [System.Security.Cryptography.CryptographicException]::new('The requested operation is not supported.') }
    return $this.Key.Inner.ExportParameters($IncludePrivate)
  }
}
