# File ACL behaviours of Windows that an earlier, more lenient model did not have (docs/HOST-MODEL.md,
# "Behaviours matched to Windows", names the source of each): each scenario runs the generated steps
# against the model as it now behaves, and its first test fails against the lenient model.
BeforeAll {
  . (Join-Path $PSScriptRoot 'Host.ps1')
  $suite = Get-ModelSuite
  $prod = $suite.variants['prod']
  $staging = $suite.variants['staging']
  # Script text compiled now, as the generated scripts are (this file was parsed before the model loaded).
  function Invoke-Compiled([string]$Code) { & ([ScriptBlock]::Create($Code)) }
  # A path's DACL as SID:rights pairs (rights as a number), with its protection.
  function Get-SidRights([string]$Path) {
    $acl = Get-Acl -LiteralPath $Path
    $rules = @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) | ForEach-Object { '{0}:{1}' -f $_.IdentityReference.Value, [int]$_.FileSystemRights } | Sort-Object -Unique)
    return @{ Protected = $acl.AreAccessRulesProtected; Rules = $rules }
  }
  # Adds Everyone ReadAndExecute and Users Read to a file's DACL (a copy left by another install, or a hand-made file).
  function Add-BroadReaders([string]$Path) {
    Invoke-Compiled @"
`$acl = Get-Acl -LiteralPath '$Path'
foreach (`$p in @(@('S-1-1-0', 'ReadAndExecute'), @('S-1-5-32-545', 'Read'))) { `$acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule (New-Object System.Security.Principal.SecurityIdentifier `$p[0]), `$p[1], 'Allow')) }
Set-Acl -LiteralPath '$Path' -AclObject `$acl
"@
  }
  $tokenSddl = 'O:BAD:P(A;;FA;;;BA)(A;;FA;;;SY)'
  $full = [int][System.Security.AccessControl.FileSystemRights]'FullControl'
  $adminsOnly = @("S-1-5-18:$full", "S-1-5-32-544:$full")
  # Everyone, Authenticated Users, Users, Interactive (grants.ts BROAD_SIDS) and the rights that let them change
  # a folder's content: WriteData/CreateFiles, AppendData/CreateDirectories, the attributes, Delete,
  # DeleteSubdirectoriesAndFiles, ChangePermissions, TakeOwnership, and GENERIC_WRITE, GENERIC_ALL.
  $broad = @('S-1-1-0', 'S-1-5-11', 'S-1-5-32-545', 'S-1-5-4')
  $writeMask = [int][System.Security.AccessControl.FileSystemRights]'WriteData, AppendData, WriteExtendedAttributes, WriteAttributes, Delete, DeleteSubdirectoriesAndFiles, ChangePermissions, TakeOwnership' -bor 0x40000000 -bor 0x10000000
  function Get-BroadWriters([string]$Path) {
    return @((Get-Acl -LiteralPath $Path).GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) | Where-Object { ($broad -contains $_.IdentityReference.Value) -and (([int]$_.FileSystemRights -band $writeMask) -ne 0) } | ForEach-Object { $_.IdentityReference.Value } | Sort-Object -Unique)
  }
}

Describe 'File.Create with a FileSecurity keeps the DACL of a file that exists; the tunnel step narrows a token file left with broad readers' -Tag Model {
  It 'File.Create(path, bufferSize, options, FileSecurity): a new file gets the descriptor, an existing one keeps its own (CreateFileW)' {
    Invoke-ModelInSandbox $suite $prod {
      Set-ModelFile 'C:\ProgramData\t\old.txt' 'old'
      Add-BroadReaders 'C:\ProgramData\t\old.txt'
      $before = Get-SidRights 'C:\ProgramData\t\old.txt'
      foreach ($f in @('new.txt', 'old.txt')) {
        Invoke-Compiled "`$s = New-Object System.Security.AccessControl.FileSecurity; `$s.SetSecurityDescriptorSddlForm('$tokenSddl'); `$f = [System.IO.File]::Create('C:\ProgramData\t\$f', 4096, [System.IO.FileOptions]::None, `$s); `$f.Dispose()"
      }
      $new = Get-SidRights 'C:\ProgramData\t\new.txt'
      $new.Protected | Should -BeTrue
      $new.Rules | Should -Be $adminsOnly
      $old = Get-SidRights 'C:\ProgramData\t\old.txt'
      $old.Protected | Should -BeFalse
      $old.Rules | Should -Be $before.Rules
      @($old.Rules | Where-Object { $_ -like 'S-1-1-0:*' }) | Should -Not -BeNullOrEmpty
      Get-ModelFileText 'C:\ProgramData\t\old.txt' | Should -Be ''
    }
  }
  It 'a token file left with Everyone and Users readers: after up only SYSTEM and Administrators, protected; without the step''s Set-Acl it would keep them' {
    $token = 'C:\ProgramData\cloudflared\token'
    foreach ($case in @(@{ Variant = $prod; Clean = $true }, @{ Variant = (New-ModelMutant $prod 'cloudflared' 'create' 'if (Test-Path -LiteralPath $NovaTokenFile -PathType Leaf) { Set-Acl -LiteralPath $NovaTokenFile -AclObject $security }' ''); Clean = $false })) {
      Invoke-ModelInSandbox $suite $case.Variant {
        Set-ModelFile $token 'an-older-token'
        Add-BroadReaders $token
        Invoke-ModelConverge $suite $case.Variant
        Get-ModelFileText $token | Should -Be $suite.secrets.tunnelToken
        $after = Get-SidRights $token
        if ($case.Clean) {
          $after.Protected | Should -BeTrue
          $after.Rules | Should -Be $adminsOnly
          $audit = Invoke-ModelStep $suite $case.Variant 'cloudflared' 'audit'
          @($audit.Json.items | Where-Object { $_.item -eq 'token-acl' }).ok | Should -BeTrue
        } else {
          @($after.Rules | Where-Object { $_ -like 'S-1-1-0:*' -or $_ -like 'S-1-5-32-545:*' }) | Should -Not -BeNullOrEmpty -Because 'File.Create keeps the DACL of the file that was there'
        }
      }
    }
  }
}

Describe 'a folder under the root of C: inherits Windows Server''s root ACL: Users may create files and folders in it' -Tag Model {
  It 'Get-Acl: a folder at the root and one under it give Users CreateDirectories and CreateFiles, Authenticated Users Modify; a file gets neither Users entry' {
    Invoke-ModelInSandbox $suite $staging {
      $users = @(('S-1-5-32-545:{0}' -f [int][System.Security.AccessControl.FileSystemRights]'AppendData'), ('S-1-5-32-545:{0}' -f [int][System.Security.AccessControl.FileSystemRights]'CreateFiles'))
      foreach ($folder in @('C:\NOVA-SERVER', 'C:\NOVA-SERVER\.venv')) {
        $r = Get-SidRights $folder
        foreach ($u in $users) { $r.Rules | Should -Contain $u -Because $folder }
        $r.Rules | Should -Contain ('S-1-5-11:{0}' -f [int][System.Security.AccessControl.FileSystemRights]'Modify, Synchronize')
        Get-BroadWriters $folder | Should -Be @('S-1-5-11', 'S-1-5-32-545')
      }
      $file = Get-SidRights 'C:\NOVA-SERVER\main.py'
      foreach ($u in $users) { $file.Rules | Should -Not -Contain $u }
      # preflight's audit names both groups before up
      $audit = Invoke-ModelStep $suite $staging 'preflight' 'audit'
      @($audit.Json.items | Where-Object { $_.item -eq 'writable:app-directory' }).actual | Should -Be 'S-1-5-11,S-1-5-32-545'
    }
  }
  It 'staging (fixFolderAcls): after up no broad group keeps a write-type right on the app folder, the venv or the logs; a second up changes nothing' {
    Invoke-ModelInSandbox $suite $staging {
      Invoke-ModelConverge $suite $staging
      foreach ($folder in @('C:\NOVA-SERVER', 'C:\NOVA-SERVER\.venv', $staging.logDirectory, 'C:\NOVA-SERVER\tls')) { Get-BroadWriters $folder | Should -BeNullOrEmpty -Because $folder }
      @(Get-ModelDrift $suite $staging) | Should -BeNullOrEmpty
      foreach ($s in $staging.steps) { @((Invoke-ModelStep $suite $staging $s.step).Json.changed) | Should -BeNullOrEmpty -Because $s.step }
    }
  }
}

Describe 'an inherit-only GENERIC_WRITE of Users on the app folder counts as write access: preflight refuses it' -Tag Model {
  It 'Users (OI)(CI)(IO) GENERIC_WRITE on the app folder: every file under it gets write access, preflight fails naming Users; the check without the generic rights would pass' {
    foreach ($refused in @($true, $false)) {
      $variant = $prod
      if (-not $refused) { $variant = New-ModelMutant $prod 'preflight' 'create' ' -bor 0x50000000' '' }
      Invoke-ModelInSandbox $suite $variant {
        $app = $prod.appDirectory.TrimEnd('\')
        # as `icacls <app> /grant *S-1-5-32-545:(OI)(CI)(IO)(GW)` leaves it
        Invoke-Compiled @"
`$acl = Get-Acl -LiteralPath '$app'
`$acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule (New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-545'), 1073741824, 'ContainerInherit, ObjectInherit', 'InheritOnly', 'Allow'))
Set-Acl -LiteralPath '$app' -AclObject `$acl
"@
        Get-BroadWriters "$app\main.py" | Should -Be @('S-1-5-32-545')
        $r = Invoke-ModelStep $suite $variant 'preflight'
        if ($refused) {
          $r.ExitCode | Should -Be 1
          $r.Error | Should -BeLike "*writable:app-directory*S-1-5-32-545*"
        } else { $r.ExitCode | Should -Be 0 -Because 'the mask without GENERIC_WRITE misses the entry' }
      }
    }
  }
}

Describe 'a folder or file a local user made before the first up is theirs: up makes Administrators its owner' -Tag Model {
  BeforeAll {
    # A local user's SID (the model's profile account NOVA-HOST\nova); Users may create folders and files under C:\ on Server.
    $user = 'S-1-5-21-1004336348-1177238915-682003330-1001'
    $app = $staging.appDirectory.TrimEnd('\')
    $setOwner = "`$acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544'))"
    function Get-OwnerSid([string]$Path) { return (Invoke-Compiled "(Get-Acl -LiteralPath '$Path').GetOwner([System.Security.Principal.SecurityIdentifier]).Value") }
    # The folder and file made by the user before up: Set-ModelOwner stands in for their CreateDirectory and CreateFile.
    function New-UserItems {
      Microsoft.PowerShell.Management\New-Item -ItemType Directory -Force -Path (ConvertTo-ModelUnixPath "$app\tls") | Out-Null
      Set-ModelFile "$app\.env" "LOG_LEVEL=info`n"
      foreach ($p in @("$app\tls", "$app\.env")) { Set-ModelOwner $p $user }
    }
  }
  It 'the model: Get-Acl reads the owner (Owner, GetOwner); Set-Acl writes any owner (SeRestorePrivilege), SetAccessControl Administrators only; an owner-less FileSecurity keeps it' {
    Invoke-ModelInSandbox $suite $staging {
      New-UserItems
      (Get-Acl -LiteralPath "$app\tls").Owner | Should -Be 'NOVA-HOST\nova'
      (Get-Acl -LiteralPath "$app\main.py").Owner | Should -Be 'BUILTIN\Administrators'
      Invoke-Compiled "[System.IO.File]::SetAccessControl('$app\.env', (New-Object System.Security.AccessControl.FileSecurity))"
      Get-OwnerSid "$app\.env" | Should -Be $user
      { Invoke-Compiled "`$s = New-Object System.Security.AccessControl.FileSecurity; `$s.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-18')); [System.IO.File]::SetAccessControl('$app\.env', `$s)" } | Should -Throw '*setting owner S-1-5-18 not modelled*'
      Invoke-Compiled "`$s = New-Object System.Security.AccessControl.DirectorySecurity; `$s.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544')); [System.IO.Directory]::SetAccessControl('$app\tls', `$s)"
      Get-OwnerSid "$app\tls" | Should -Be 'S-1-5-32-544'
      Invoke-Compiled "`$s = Get-Acl -LiteralPath '$app\main.py'; `$s.SetOwner((New-Object System.Security.Principal.SecurityIdentifier '$user')); Set-Acl -LiteralPath '$app\main.py' -AclObject `$s"
      Get-OwnerSid "$app\main.py" | Should -Be $user
    }
  }
  It 'a tls folder and a .env a local user made: after up owned by Administrators, only SYSTEM and Administrators (and the service''s reader); a foreign owner is drift the next up fixes; without the steps'' SetOwner the user stays owner' {
    $broken = New-ModelMutant (New-ModelMutant $staging 'certificate-request' 'create' $setOwner '') 'dotenv' 'create' $setOwner ''
    foreach ($case in @(@{ Variant = $staging; Clean = $true }, @{ Variant = $broken; Clean = $false })) {
      Invoke-ModelInSandbox $suite $case.Variant {
        New-UserItems
        Invoke-ModelConverge $suite $case.Variant
        $tls = Get-SidRights "$app\tls"
        $tls.Protected | Should -BeTrue
        $tls.Rules | Should -Be $adminsOnly
        @((Get-SidRights "$app\.env").Rules | Where-Object { $_ -like "${user}:*" -or $_ -like 'S-1-5-32-545:*' -or $_ -like 'S-1-5-11:*' }) | Should -BeNullOrEmpty
        if (-not $case.Clean) {
          Get-OwnerSid "$app\tls" | Should -Be $user -Because 'replacing the DACL keeps the owner'
          Get-OwnerSid "$app\.env" | Should -Be $user
          return
        }
        foreach ($p in @("$app\tls", "$app\.env", "$app\tls\origin.key")) { Get-OwnerSid $p | Should -Be 'S-1-5-32-544' -Because $p }
        @(Get-ModelDrift $suite $staging) | Should -BeNullOrEmpty
        Set-ModelOwner "$app\tls" $user
        $audit = Invoke-ModelStep $suite $staging 'certificate-request' 'audit'
        $item = @($audit.Json.items | Where-Object { $_.item -eq 'tls-directory-acl' })[0]
        $item.ok | Should -BeFalse
        $item.actual | Should -BeLike "owner:${user};protected;*"
        @((Invoke-ModelStep $suite $staging 'certificate-request').Json.changed) | Should -Contain 'tls-directory-acl'
        Get-OwnerSid "$app\tls" | Should -Be 'S-1-5-32-544'
      }
    }
  }
}
