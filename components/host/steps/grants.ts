/**
 * Folder access of the backend's service:
 * - `grant:*` (service step, virtual account only): the account reads and runs the app directory, the
 *   venv and the base interpreter the venv points at (`home` of pyvenv.cfg), and writes the log
 *   directory (NSSM opens the logs as the service's account). Rules are added, inherited by the folder's
 *   contents; nothing else is taken away. The folder's DACL is recorded first and put back by the
 *   service step's delete (restore.ts).
 * - `writable:*` (preflight): the app, venv and log directories must not be writable by the broad
 *   groups (Everyone, Authenticated Users, Users, Interactive): a folder created at the root of C:
 *   inherits Users' "create files / create folders" (Windows Server's root ACL) or "Authenticated Users:
 *   Modify" (a client-style root), and anyone could then replace main.py or python.exe, or add a module
 *   the app imports, and run code as the service. A write right counts in an inherit-only entry too
 *   (generic GENERIC_WRITE or GENERIC_ALL included): every child gets it mapped (ACE inheritance rules).
 *   Refused, naming the folder and the groups; with `nova:fixFolderAcls` the folder's inherited rules
 *   are made explicit and those groups keep read access only; the DACL before is recorded first and put
 *   back by preflight's delete (restore.ts).
 */
import { psQuote } from "../../powershell";
import type { NovaConfig } from "../../types";
import { serviceSid } from "../serviceAccount";
import type { Check } from "../script";

/** Everyone, Authenticated Users, Users, Interactive. */
export const BROAD_SIDS = ["S-1-1-0", "S-1-5-11", "S-1-5-32-545", "S-1-5-4"] as const;

export const FOLDER_FUNCTIONS = String.raw`function Get-NovaSidRules([string]$Path) {
  # SIDs as stored (no name lookup: C:\Program Files' ALL APPLICATION PACKAGES names do not translate back);
  # rights as a number (an inherit-only entry's generic rights have no FileSystemRights name).
  return @((Get-Acl -LiteralPath $Path).GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) | Where-Object { [string]$_.AccessControlType -eq 'Allow' } | ForEach-Object {
    [pscustomobject]@{ Sid = $_.IdentityReference.Value; Rights = [int]$_.FileSystemRights }
  })
}
function Get-NovaGrant([string]$Path, [string]$Sid, [string]$Rights) {
  if (-not (Test-Path -LiteralPath $Path)) { return 'missing' }
  $need = [int][System.Security.AccessControl.FileSystemRights]$Rights
  foreach ($rule in (Get-NovaSidRules $Path)) {
    if (($rule.Sid -eq $Sid) -and (($rule.Rights -band $need) -eq $need)) { return 'granted' }
  }
  return 'not granted'
}
function Grant-NovaAccess([string]$Path, [string]$Sid, [string]$Rights) {
  $acl = Get-Acl -LiteralPath $Path
  $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule (New-Object System.Security.Principal.SecurityIdentifier $Sid), $Rights, 'ContainerInherit, ObjectInherit', 'None', 'Allow'))
  Set-Acl -LiteralPath $Path -AclObject $acl
}
function Get-NovaPythonHome([string]$Venv) {
  $cfg = Join-Path $Venv 'pyvenv.cfg'
  if (-not (Test-Path -LiteralPath $cfg -PathType Leaf)) { return '' }
  foreach ($line in (Get-Content -LiteralPath $cfg)) {
    $m = [regex]::Match($line, '^\s*home\s*=\s*(.+?)\s*$')
    if ($m.Success) { return $m.Groups[1].Value }
  }
  return ''
}
function Get-NovaFolderWriters([string]$Path) {
  if (-not (Test-Path -LiteralPath $Path -PathType Container)) { return '' }
  $write = [int][System.Security.AccessControl.FileSystemRights]'WriteData, AppendData, WriteExtendedAttributes, WriteAttributes, Delete, DeleteSubdirectoriesAndFiles, ChangePermissions, TakeOwnership' -bor 0x50000000
  $found = foreach ($rule in (Get-NovaSidRules $Path)) {
    if ((@(${BROAD_SIDS.map((s) => `'${s}'`).join(", ")}) -contains $rule.Sid) -and (($rule.Rights -band $write) -ne 0)) { $rule.Sid }
  }
  return ((@($found) | Sort-Object -Unique) -join ',')
}
function Remove-NovaFolderWriters([string]$Path) {
  $writers = @((Get-NovaFolderWriters $Path).Split(',') | Where-Object { $_ })
  $acl = Get-Acl -LiteralPath $Path
  $acl.SetAccessRuleProtection($true, $true)
  Set-Acl -LiteralPath $Path -AclObject $acl
  $acl = Get-Acl -LiteralPath $Path
  foreach ($sid in $writers) {
    $identity = New-Object System.Security.Principal.SecurityIdentifier $sid
    $acl.PurgeAccessRules($identity)
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule $identity, 'ReadAndExecute', 'ContainerInherit, ObjectInherit', 'None', 'Allow'))
  }
  Set-Acl -LiteralPath $Path -AclObject $acl
}`;

function parent(path: string): string {
    const i = path.replace(/\\+$/, "").lastIndexOf("\\");
    return i > 2 ? path.slice(0, i) : path;
}

/** The venv directory of the configured interpreter (`<venv>\Scripts\python.exe`), else its folder. */
export function venvDirectory(cfg: NovaConfig): string {
    const dir = parent(cfg.service.pythonExe);
    return /\\Scripts$/i.test(dir) ? parent(dir) : dir;
}

/** The folders whose write access is checked, by item suffix. */
export function guardedFolders(cfg: NovaConfig): [string, string][] {
    const folders: [string, string][] = [
        ["app-directory", cfg.service.appDirectory],
        ["venv", venvDirectory(cfg)],
        ["log-directory", cfg.service.logDirectory],
    ];
    return folders.filter(([, p], i) => folders.findIndex(([, q]) => q.toLowerCase() === p.toLowerCase()) === i);
}

export function writableChecks(cfg: NovaConfig): Check[] {
    return guardedFolders(cfg).map(([name, path]) => {
        const quoted = psQuote(path);
        const check: Check = { item: `writable:${name}`, desired: "''", actual: `(Get-NovaFolderWriters ${quoted})` };
        return cfg.service.fixFolderAcls ? { ...check, fix: `Save-NovaFolderAcl 'preflight' ${quoted}\nRemove-NovaFolderWriters ${quoted}` } : check;
    });
}

export function grantChecks(cfg: NovaConfig): Check[] {
    if (cfg.service.account !== "virtual") return [];
    const sid = psQuote(serviceSid(cfg.service.name));
    const grant = (item: string, pathExpr: string, rights: string): Check => ({
        item,
        desired: "'granted'",
        actual: `(Get-NovaGrant ${pathExpr} ${sid} '${rights}')`,
        fix: `Save-NovaFolderAcl 'service' ${pathExpr}\nGrant-NovaAccess ${pathExpr} ${sid} '${rights}'`,
    });
    const venv = psQuote(venvDirectory(cfg));
    return [
        grant("grant:app-directory", psQuote(cfg.service.appDirectory), "ReadAndExecute"),
        grant("grant:venv", venv, "ReadAndExecute"),
        {
            item: "grant:python-home",
            desired: "'granted'",
            actual: `& { $h = Get-NovaPythonHome ${venv}; if ($h -eq '') { 'granted' } else { Get-NovaGrant $h ${sid} 'ReadAndExecute' } }`,
            fix: `$h = Get-NovaPythonHome ${venv}\nSave-NovaFolderAcl 'service' $h\nGrant-NovaAccess $h ${sid} 'ReadAndExecute'`,
        },
        grant("grant:log-directory", psQuote(cfg.service.logDirectory), "Modify"),
    ];
}
