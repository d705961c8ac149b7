/**
 * What a step's delete puts back: records taken by the create before its first change of something
 * that was there before us, kept in `%ProgramData%\nova-infra\restore` (each file narrowed to SYSTEM and
 * Administrators before anything is written to it), read and removed by the delete.
 * - `acl-<hash>.txt`: a folder's DACL before the first change of any step (the service step's grants,
 *   preflight's `fixFolderAcls` narrowing): the step that recorded it, the path, whether inheritance was
 *   cut, and its explicit rules (SID, rights, inheritance and propagation flags, type). The delete of that
 *   step removes the explicit rules now there, sets the protection back and adds the recorded rules: the
 *   inherited ones come back from the parent.
 * Owners are neither recorded nor put back: the steps that record a folder's DACL keep its owner (Get-Acl,
 * then Set-Acl of the same owner), and what was narrowed to SYSTEM and Administrators keeps Administrators
 * as owner (acl.ts): giving a local user back the ownership of something that held secrets would reopen it.
 */
export const RESTORE_FUNCTIONS = String.raw`function Get-NovaRestoreDir { return (Join-Path $env:ProgramData 'nova-infra\restore') }
function New-NovaRecordFile([string]$Path, [string]$RecordText) {
  $dir = Split-Path -Parent $Path
  if (-not (Test-Path -LiteralPath $dir -PathType Container)) { New-Item -ItemType Directory -Force -Path $dir | Out-Null }
  $utf8 = New-Object System.Text.UTF8Encoding $false
  [System.IO.File]::WriteAllText($Path, '', $utf8)
  Set-NovaAdminOnlyAcl $Path
  [System.IO.File]::WriteAllText($Path, $RecordText, $utf8)
}
function Get-NovaExplicitRules($Acl) { return @($Acl.GetAccessRules($true, $false, [System.Security.Principal.SecurityIdentifier]) | Where-Object { -not $_.IsInherited }) }
function Save-NovaFolderAcl([string]$Step, [string]$Path) {
  $key = $Path.TrimEnd('\').ToLowerInvariant()
  $file = Join-Path (Get-NovaRestoreDir) ('acl-' + (Get-NovaStringHash $key).Substring(0, 16) + '.txt')
  if (Test-Path -LiteralPath $file) { return }
  $acl = Get-Acl -LiteralPath $Path
  $state = 'inherited'
  if ($acl.AreAccessRulesProtected) { $state = 'protected' }
  $rules = @(Get-NovaExplicitRules $acl | ForEach-Object { '{0}|{1}|{2}|{3}|{4}' -f $_.IdentityReference.Value, [int]$_.FileSystemRights, [int][System.Security.AccessControl.InheritanceFlags]$_.InheritanceFlags, [int][System.Security.AccessControl.PropagationFlags]$_.PropagationFlags, $_.AccessControlType })
  New-NovaRecordFile $file ((@($Step, $Path, $state) + $rules) -join [string][char]10)
}
function Remove-NovaRestoreDir {
  foreach ($dir in @((Get-NovaRestoreDir), (Join-Path $env:ProgramData 'nova-infra'))) {
    if ((Test-Path -LiteralPath $dir -PathType Container) -and -not (Get-ChildItem -LiteralPath $dir -Force | Select-Object -First 1)) { Remove-Item -LiteralPath $dir -Force }
  }
}
function Restore-NovaFolderAcls([string]$Step) {
  foreach ($file in @(Get-ChildItem -LiteralPath (Get-NovaRestoreDir) -Filter 'acl-*.txt' -File -Force -ErrorAction SilentlyContinue)) {
    $lines = @([System.IO.File]::ReadAllText($file.FullName).Split([char]10))
    if ($lines[0] -cne $Step) { continue }
    if (Test-Path -LiteralPath $lines[1]) {
      $acl = Get-Acl -LiteralPath $lines[1]
      foreach ($sid in @(Get-NovaExplicitRules $acl | ForEach-Object { $_.IdentityReference.Value } | Sort-Object -Unique)) { $acl.PurgeAccessRules((New-Object System.Security.Principal.SecurityIdentifier $sid)) }
      $acl.SetAccessRuleProtection(($lines[2] -eq 'protected'), $false)
      foreach ($rule in @($lines | Select-Object -Skip 3 | Where-Object { $_ })) {
        $f = $rule.Split('|')
        $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule (New-Object System.Security.Principal.SecurityIdentifier $f[0]), ([System.Security.AccessControl.FileSystemRights][int]$f[1]), ([System.Security.AccessControl.InheritanceFlags][int]$f[2]), ([System.Security.AccessControl.PropagationFlags][int]$f[3]), $f[4]))
      }
      Set-Acl -LiteralPath $lines[1] -AclObject $acl
      Add-NovaChange ('acl restored: ' + $lines[1])
    }
    Remove-Item -LiteralPath $file.FullName -Force
  }
  Remove-NovaRestoreDir
}`;
