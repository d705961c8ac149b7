/**
 * Access control shared by the steps: narrow a file or registry key to SYSTEM and Administrators (and
 * read access for the service's virtual account where the service reads it), with inheritance cut and
 * BUILTIN\Administrators as owner, only when it differs. The owner counts: "An object's owner implicitly has
 * WRITE_DAC access to the object" (learn.microsoft.com/windows/win32/secauthz/owner-of-a-new-object),
 * and a local user may create a folder or file under C:\ before the first `up` (Users CreateDirectories and
 * CreateFiles on Server's root): replacing the DACL alone would leave them able to grant themselves read.
 * The ACL text (Get-NovaAclText) starts with the owner's SID, so a foreign owner is drift the next `up` fixes.
 * Registry keys keep their owner and their text has none: the only key narrowed is the service's
 * Parameters key, under HKLM\SYSTEM\CurrentControlSet\Services, where Users have ReadKey only (field
 * notes) and so cannot plant a key, and Set-Acl writes a key's descriptor through a handle the registry
 * provider opens for writing, which is not known to carry WRITE_OWNER.
 * Rules are read with their identity as a SID (`GetAccessRules(..., [SecurityIdentifier])`), never through
 * account names: localized names (e.g. French Windows) compare equal, and the inherited
 * ALL APPLICATION PACKAGES entries of C:\Program Files, whose names do not translate back to a SID
 * (IdentityNotMappedException), are read like any other.
 */
import { psArray, psQuote } from "../../powershell";
import type { Check } from "../script";

/** The ACL text of a key narrowed to SYSTEM and Administrators (a key's text names no owner). */
const SYSTEM_AND_ADMINS_KEY = "protected;S-1-5-18:FullControl:Allow;S-1-5-32-544:FullControl:Allow";
/** The ACL text of a file or folder narrowed to SYSTEM and Administrators, owned by Administrators. */
export const SYSTEM_AND_ADMINS = `owner:S-1-5-32-544;${SYSTEM_AND_ADMINS_KEY}`;

/** Rights text of a reader's rule as Get-NovaAclText reads it (without the Synchronize .NET adds to file ACEs). */
const READER_RIGHTS = { file: "ReadAndExecute", registry: "ReadKey" } as const;

/** The ACL text of SYSTEM and Administrators plus read access for `readers` (SIDs). */
export function adminOnlyAclText(readers: readonly string[], kind: "file" | "registry"): string {
    return [kind === "file" ? SYSTEM_AND_ADMINS : SYSTEM_AND_ADMINS_KEY, ...[...readers].sort().map((sid) => `${sid}:${READER_RIGHTS[kind]}:Allow`)].join(";");
}

/** PowerShell functions (constant text) used by `aclCheck`. */
export const ACL_FUNCTIONS = String.raw`function Get-NovaAclText([string]$Path, [switch]$Registry) {
  if (-not (Test-Path -LiteralPath $Path)) { return 'missing' }
  $acl = Get-Acl -LiteralPath $Path
  $rules = @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) | ForEach-Object { $_.IdentityReference.Value + ':' + (([string]$_.FileSystemRights -replace ', Synchronize$', '') + [string]$_.RegistryRights) + ':' + $_.AccessControlType } | Sort-Object -Unique)
  $state = 'inherited'
  if ($acl.AreAccessRulesProtected) { $state = 'protected' }
  if ($Registry) { return ($state + ';' + ($rules -join ';')) }
  return ('owner:' + [string]$acl.GetOwner([System.Security.Principal.SecurityIdentifier]) + ';' + $state + ';' + ($rules -join ';'))
}
function Set-NovaAdminOnlyAcl([string]$Path, [switch]$Registry, [string[]]$Readers = @()) {
  if ($Registry) { $acl = New-Object System.Security.AccessControl.RegistrySecurity } else { $acl = New-Object System.Security.AccessControl.FileSecurity }
  $acl.SetAccessRuleProtection($true, $false)
  if (-not $Registry) { $acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544')) }
  foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {
    $identity = New-Object System.Security.Principal.SecurityIdentifier $sid
    if ($Registry) { $rule = New-Object System.Security.AccessControl.RegistryAccessRule $identity, 'FullControl', 'ContainerInherit', 'None', 'Allow' }
    else { $rule = New-Object System.Security.AccessControl.FileSystemAccessRule $identity, 'FullControl', 'Allow' }
    $acl.AddAccessRule($rule)
  }
  foreach ($sid in $Readers) {
    $identity = New-Object System.Security.Principal.SecurityIdentifier $sid
    if ($Registry) { $rule = New-Object System.Security.AccessControl.RegistryAccessRule $identity, 'ReadKey', 'ContainerInherit', 'None', 'Allow' }
    else { $rule = New-Object System.Security.AccessControl.FileSystemAccessRule $identity, 'ReadAndExecute', 'Allow' }
    $acl.AddAccessRule($rule)
  }
  if ($Registry) { Set-Acl -LiteralPath $Path -AclObject $acl } else { [System.IO.File]::SetAccessControl($Path, $acl) }
}`;

/** A check narrowing `pathExpr` (a PowerShell expression) to SYSTEM and Administrators, plus `readers`. */
export function aclCheck(item: string, pathExpr: string, kind: "file" | "registry", readers: readonly string[] = []): Check {
    const readersArg = readers.length > 0 ? ` -Readers ${psArray([...readers].sort())}` : "";
    return {
        item,
        desired: psQuote(adminOnlyAclText(readers, kind)),
        actual: `(Get-NovaAclText ${pathExpr}${kind === "registry" ? " -Registry" : ""})`,
        fix: `Set-NovaAdminOnlyAcl ${pathExpr}${kind === "registry" ? " -Registry" : ""}${readersArg}`,
    };
}
