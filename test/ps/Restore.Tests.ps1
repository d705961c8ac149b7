# Destroy gives the host back: from the guide's hand-made installation (New-NovaGuideInstallation, with
# a .env holding the user's own values of keys we manage, an `export ` prefix, a multi-line quoted PEM
# and a multi-line quoted secret of nova:appSecretEnvKeys), `up` (every create) then `destroy` (every
# delete, in reverse) leave the host as the guide left it, minus what the user asked us to take over
# (the secret keys, which live in the stack's config: not put back in .env nor in Machine variables,
# both readable by other local users): .env entry for entry, as python-dotenv reads it; the folder
# DACLs the grants and fixFolderAcls changed; the guide's Cloudflared service, config and credentials.
BeforeDiscovery {
  . (Join-Path $PSScriptRoot 'Suite.ps1')
  $suite = Read-NovaSuite
  $stacks = foreach ($name in @('prod', 'staging')) {
    @{ Stack = $name; Tunnel = @($suite.variants[$name] | Where-Object { $_.ingressMode -eq 'tunnel' } | ForEach-Object { @{} }) }
  }
}

BeforeAll {
  . (Join-Path $PSScriptRoot 'Host.ps1')
  $suite = Get-ModelSuite
  # python-dotenv's own reading of a file (Debian's python3-dotenv), as JSON.
  function Read-ModelPythonDotenv([string]$Path) {
    $json = & /usr/bin/python3 -c 'import json,sys; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1]), sort_keys=True))' (ConvertTo-ModelUnixPath $Path)
    if ($LASTEXITCODE -ne 0) { throw "python-dotenv could not read $Path" }
    return $json
  }
  # A folder's DACL as Get-Acl reads it: protection and every rule with its inheritance.
  function Get-ModelAclReading([string]$Path) {
    $acl = Get-Acl -LiteralPath $Path
    $rules = @($acl.GetAccessRules($true, $true, [System.Security.Principal.SecurityIdentifier]) | ForEach-Object { '{0}:{1}:{2}:{3}' -f $_.IdentityReference.Value, [int]$_.FileSystemRights, $_.AccessControlType, $_.IsInherited } | Sort-Object)
    return ('{0};{1}' -f $acl.AreAccessRulesProtected, ($rules -join ';'))
  }
  function Get-ModelFolders($Variant) {
    $app = $Variant.appDirectory.TrimEnd('\')
    return @($app, "$app\.venv", "$app\logs") | Where-Object { Test-Path -LiteralPath $_ }
  }
  $pem = "`"-----BEGIN PRIVATE KEY-----`nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA`n-----END PRIVATE KEY-----`""
}

Describe 'destroy after the guide''s installation, <Stack>' -ForEach $stacks -Tag Model {
  BeforeAll {
    $v = $suite.variants[$Stack]
    New-ModelSandbox -Transport $v.transport | Out-Null
    New-NovaGuideInstallation $suite $v
    $app = $v.appDirectory.TrimEnd('\')
    $envPath = "$app\.env"
    $guideEnv = "# NOVA`nexport NOVA_MODE=development`nAPP_HOST=0.0.0.0`nAPP_PORT=$($v.appPort)`nLOG_LEVEL=warning`nPRIVATE_PEM=$pem`nOPENAI_API_KEY=`"sk-guide-multi`nsecond-line-of-the-secret`"`nTRAILER=1`n"
    Set-ModelFile $envPath $guideEnv
    # what the guide left, as python-dotenv and Get-Acl read it
    $guideValues = Read-ModelPythonDotenv $envPath
    $guideAcls = @{}
    foreach ($f in (Get-ModelFolders $v)) { $guideAcls[$f] = Get-ModelAclReading $f }
    if ($v.ingressMode -eq 'tunnel') {
      $profileDir = "C:\Users\PPZ\.cloudflared"
      $guideTunnel = @{
        image = (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Cloudflared'").PathName
        config = Get-ModelFileText "$profileDir\config.yml"
        credentials = Get-ModelFileText "$profileDir\6ff42ae2-765d-4adf-8112-31c55c1551ef.json"
        acl = Get-ModelAclReading "$profileDir\6ff42ae2-765d-4adf-8112-31c55c1551ef.json"
      }
    }
    Invoke-ModelConverge $suite $v
  }
  AfterAll { Remove-ModelSandbox }

  It 'up: .env has our values, the PEM whole, no line of the multi-line secret (in .env or a backup)' {
    $after = Read-ModelPythonDotenv $envPath | ConvertFrom-Json -AsHashtable
    $after.NOVA_MODE | Should -Be 'production'
    $after.PRIVATE_PEM | Should -Be ($pem.Trim('"'))
    $after.Keys | Should -Not -Contain 'OPENAI_API_KEY'
    @($after.Keys | Where-Object { $_ -like '*second-line*' }) | Should -BeNullOrEmpty
    foreach ($file in @(Get-ChildItem -LiteralPath $app -Filter '.env*' -File -Force)) { Get-ModelFileText $file.FullName | Should -Not -Match 'second-line|sk-guide-multi' -Because $file.Name }
  }

  It 'up: the user''s own values of our keys are kept in a file only SYSTEM and Administrators can read' {
    $original = "$envPath.nova-original"
    Get-ModelFileText $original | Should -Be "export NOVA_MODE=development`nAPP_HOST=0.0.0.0`nAPP_PORT=$($v.appPort)`n$(if ($v.stack -eq 'staging') { "LOG_LEVEL=warning`n" })"
    Get-ModelAclReading $original | Should -Be ('True;S-1-5-18:{0}:Allow:False;S-1-5-32-544:{0}:Allow:False' -f [int][System.Security.AccessControl.FileSystemRights]'FullControl')
  }

  It 'up changed the folder ACLs (the grants; staging: fixFolderAcls), and recorded them' {
    @((Get-ModelFolders $v) | Where-Object { (Get-ModelAclReading $_) -ne $guideAcls[$_] }) | Should -Not -BeNullOrEmpty
    @(Get-ChildItem -LiteralPath 'C:\ProgramData\nova-infra\restore' -Filter 'acl-*.txt' -File).Count | Should -BeGreaterThan 0
  }

  It 'up moved the guide tunnel''s config and credentials out of cloudflared''s search paths' -ForEach $Tunnel {
    Test-Path -LiteralPath "$profileDir\config.yml" | Should -BeFalse
    Test-Path -LiteralPath 'C:\ProgramData\nova-infra\restore\guide-tunnel\files.txt' | Should -BeTrue
  }

  It 'destroy: every delete succeeds, in reverse order' {
    $steps = @($v.steps); [array]::Reverse($steps)
    foreach ($s in $steps) { $r = Invoke-ModelStep $suite $v $s.step 'delete'; if ($r) { $r.Error | Should -BeNullOrEmpty -Because "delete of $($s.step)" } }
  }

  It 'destroy: .env is the guide''s, entry for entry, but the secret key (python-dotenv reads the same values)' {
    Get-ModelFileText $envPath | Should -BeExactly ($guideEnv.Replace("OPENAI_API_KEY=`"sk-guide-multi`nsecond-line-of-the-secret`"`n", ''))
    $expected = & /usr/bin/python3 -c 'import json,sys; d = json.loads(sys.argv[1]); d.pop("OPENAI_API_KEY"); print(json.dumps(d, sort_keys=True))' $guideValues
    Read-ModelPythonDotenv $envPath | Should -Be $expected
    @(Get-ChildItem -LiteralPath $app -Filter '.env*' -File -Force | Where-Object Name -ne '.env') | Should -BeNullOrEmpty
  }

  It 'destroy: the folder ACLs are as the guide left them' {
    foreach ($f in $guideAcls.Keys) { Get-ModelAclReading $f | Should -Be $guideAcls[$f] -Because $f }
    Test-Path -LiteralPath 'C:\ProgramData\nova-infra' | Should -BeFalse
  }

  It 'destroy: the guide''s Cloudflared service runs again from its config and credentials, as they were' -ForEach $Tunnel {
    (Get-CimInstance -ClassName Win32_Service -Filter "Name = 'Cloudflared'").PathName | Should -Be $guideTunnel.image
    (Get-Service -Name 'Cloudflared').Status | Should -Be 'Running'
    Get-ModelFileText "$profileDir\config.yml" | Should -BeExactly $guideTunnel.config
    Get-ModelFileText "$profileDir\6ff42ae2-765d-4adf-8112-31c55c1551ef.json" | Should -BeExactly $guideTunnel.credentials
    Get-ModelAclReading "$profileDir\6ff42ae2-765d-4adf-8112-31c55c1551ef.json" | Should -Be $guideTunnel.acl
  }

  It 'destroy: the Machine-scope secrets the guide set stay removed (readable by every local user)' {
    $names = @((Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment').PSObject.Properties.Name)
    $names | Should -Not -Contain 'ANTHROPIC_API_KEY'
    $names | Should -Not -Contain 'OPENAI_API_KEY'
  }
}
