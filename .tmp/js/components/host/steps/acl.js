"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ACL_FUNCTIONS = exports.SYSTEM_AND_ADMINS = void 0;
exports.aclCheck = aclCheck;
/**
 * Access control shared by the steps: narrow a file or registry key to SYSTEM (the LocalSystem account
 * the services run as) and Administrators, with inheritance cut, only when it differs. Identities are
 * compared as SIDs, so localized account names (e.g. French Windows) compare equal.
 */
const powershell_1 = require("../../powershell");
/** The ACL text of a path narrowed to SYSTEM and Administrators. */
exports.SYSTEM_AND_ADMINS = "protected;S-1-5-18:FullControl:Allow;S-1-5-32-544:FullControl:Allow";
/** PowerShell functions (constant text) used by `aclCheck`. */
exports.ACL_FUNCTIONS = String.raw `function Get-NovaAclText([string]$Path) {
  if (-not (Test-Path -LiteralPath $Path)) { return 'missing' }
  $acl = Get-Acl -LiteralPath $Path
  $rules = @($acl.Access | ForEach-Object { $_.IdentityReference.Translate([System.Security.Principal.SecurityIdentifier]).Value + ':' + ([string]$_.FileSystemRights + [string]$_.RegistryRights) + ':' + $_.AccessControlType } | Sort-Object -Unique)
  $state = 'inherited'
  if ($acl.AreAccessRulesProtected) { $state = 'protected' }
  return ($state + ';' + ($rules -join ';'))
}
function Set-NovaAdminOnlyAcl([string]$Path, [switch]$Registry) {
  if ($Registry) { $acl = New-Object System.Security.AccessControl.RegistrySecurity } else { $acl = New-Object System.Security.AccessControl.FileSecurity }
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {
    $identity = New-Object System.Security.Principal.SecurityIdentifier $sid
    if ($Registry) { $rule = New-Object System.Security.AccessControl.RegistryAccessRule $identity, 'FullControl', 'ContainerInherit', 'None', 'Allow' }
    else { $rule = New-Object System.Security.AccessControl.FileSystemAccessRule $identity, 'FullControl', 'Allow' }
    $acl.AddAccessRule($rule)
  }
  if ($Registry) { Set-Acl -LiteralPath $Path -AclObject $acl } else { [System.IO.File]::SetAccessControl($Path, $acl) }
}`;
/** A check narrowing `pathExpr` (a PowerShell expression) to SYSTEM and Administrators. */
function aclCheck(item, pathExpr, kind) {
    return {
        item,
        desired: (0, powershell_1.psQuote)(exports.SYSTEM_AND_ADMINS),
        actual: `(Get-NovaAclText ${pathExpr})`,
        fix: `Set-NovaAdminOnlyAcl ${pathExpr}${kind === "registry" ? " -Registry" : ""}`,
    };
}
