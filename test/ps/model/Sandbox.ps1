# A fresh Windows Server 2019 host per test: the sandbox folder (C: drive), the state document, the
# process environment a script sees on the host, and the native programs on PATH.

$script:ModelSavedEnv = $null
$script:ModelKill = $null
$script:ModelUser = 'PPZ'

function New-ModelSandbox {
  param([ValidateSet('ssh', 'winrm')][string]$Transport = 'ssh', [string]$User = 'PPZ', [string]$Root)
  if ($script:ModelRoot) { Remove-ModelSandbox }
  Set-ModelWindowsPlatform $false   # each host starts as the process is (Linux): the Windows switch is per test
  if (-not $Root) { $Root = Join-Path ([System.IO.Path]::GetTempPath()) ('nova-host-' + [guid]::NewGuid().ToString('n').Substring(0, 12)) }
  foreach ($d in @('C/Windows/System32', "C/Users/$User/AppData/Local/Temp", 'C/Program Files', 'C/ProgramData', 'bin')) { [System.IO.Directory]::CreateDirectory((Join-Path $Root $d)) | Out-Null }
  $script:ModelRoot = $Root
  Write-ModelState (New-ModelStateDocument)
  Update-ModelState {
    param($state)
    $state.host = @{ Transport = $Transport; User = $User }
    # Windows Server 2019 (build 17763), https://learn.microsoft.com/windows/release-health/windows-server-release-info
    $cv = New-ModelKey $state 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    Set-ModelValue $state $cv.Path 'CurrentBuildNumber' 'String' '17763'
    Set-ModelValue $state $cv.Path 'ProductName' 'String' 'Windows Server 2019 Standard'
    New-ModelKey $state 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Application' | Out-Null
    # Machine-scope environment variables live in this key (Environment.SetEnvironmentVariable(..., Machine) docs).
    $envKey = New-ModelKey $state 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
    Set-ModelValue $state $envKey.Path 'Path' 'ExpandString' '%SystemRoot%\system32;%SystemRoot%;%SystemRoot%\System32\Wbem;%SYSTEMROOT%\System32\WindowsPowerShell\v1.0\;%SYSTEMROOT%\System32\OpenSSH\'
    Set-ModelValue $state $envKey.Path 'TEMP' 'ExpandString' '%SystemRoot%\TEMP'
  } | Out-Null
  # sc.exe on PATH (C:\Windows\System32 on Windows)
  $sc = Join-Path $Root 'bin/sc.exe'
  [System.IO.File]::WriteAllText($sc, "#!/usr/bin/python3 -S`nimport os, sys`nsys.path.insert(0, os.environ['NOVA_MODEL_LIB'])`nimport sc_model`nsc_model.main()`n")
  & chmod +x $sc
  Enter-ModelSandbox -Root $Root
  return $Root
}

# Attaches this PowerShell process to an existing sandbox (another process made it): the C: drive and
# the process environment a script sees on the host.
function Enter-ModelSandbox([Parameter(Mandatory)][string]$Root) {
  $script:ModelRoot = $Root
  $hostInfo = (Read-ModelState).host
  $User = $hostInfo.User
  $script:ModelUser = $User
  New-PSDrive -Name C -PSProvider FileSystem -Root (Join-Path $Root 'C') -Scope Global | Out-Null
  $script:ModelSavedEnv = @{}
  $envs = @{
    ProgramFiles = 'C:\Program Files'; 'ProgramFiles(x86)' = 'C:\Program Files (x86)'; ProgramData = 'C:\ProgramData'; SystemRoot = 'C:\Windows'; SystemDrive = 'C:'; windir = 'C:\Windows'
    TEMP = "C:\Users\$User\AppData\Local\Temp"; TMP = "C:\Users\$User\AppData\Local\Temp"; USERPROFILE = "C:\Users\$User"; USERNAME = $User
    NOVA_MODEL_ROOT = $Root; NOVA_MODEL_LIB = (Join-Path $script:ModelLib 'natives'); NOVA_MODEL_CONSOLE = $(if ($hostInfo.Transport -eq 'ssh') { '1' } else { '0' })
    PATH = (Join-Path $Root 'bin') + [System.IO.Path]::PathSeparator + $env:PATH
  }
  foreach ($k in $envs.Keys) { $script:ModelSavedEnv[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $envs[$k]) }
}

# Detaches without deleting (the sandbox stays for another process).
function Exit-ModelSandbox {
  Remove-PSDrive -Name C -Force -ErrorAction SilentlyContinue
  if ($script:ModelSavedEnv) { foreach ($k in $script:ModelSavedEnv.Keys) { [Environment]::SetEnvironmentVariable($k, $script:ModelSavedEnv[$k]) } }
  $script:ModelRoot = $null
}

function Remove-ModelSandbox {
  if (-not $script:ModelRoot) { return }
  try {
    $state = Read-ModelState
    foreach ($p in @($state.processes.Values)) { if ($p.RealPid) { Stop-ModelRealProcess ([int]$p.RealPid) } }
    foreach ($id in @($state.app.processes)) { Stop-ModelRealProcess ([int]$id) }
  } catch { }
  Remove-PSDrive -Name C -Force -ErrorAction SilentlyContinue
  if ($script:ModelSavedEnv) { foreach ($k in $script:ModelSavedEnv.Keys) { [Environment]::SetEnvironmentVariable($k, $script:ModelSavedEnv[$k]) } }
  Microsoft.PowerShell.Management\Remove-Item -LiteralPath $script:ModelRoot -Recurse -Force -ErrorAction SilentlyContinue
  $script:ModelRoot = $null
  $script:ModelKill = $null
  $script:ModelSleeps.Clear()
}

# Files the test puts on the host: python.exe of the venv, the app (main.py), anything else.
function Set-ModelFile([string]$Path, [string]$Content = '', [switch]$Executable) {
  $unix = ConvertTo-ModelUnixPath $Path
  [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($unix)) | Out-Null
  $w = [System.IO.StreamWriter]::new($unix, $false, [System.Text.UTF8Encoding]::new($false))
  try { $w.Write($Content) } finally { $w.Dispose() }
  if ($Executable) { & chmod +x $unix }
}

function Get-ModelFileText([string]$Path) {
  $unix = ConvertTo-ModelUnixPath $Path
  if (-not [System.IO.FileInfo]::new($unix).Exists) { return $null }
  $r = [System.IO.StreamReader]::new($unix); try { return $r.ReadToEnd() } finally { $r.Dispose() }
}

# "Kill" the script when it reaches the N-th call (0-based) of a model command: the command does not
# run and the script stops there as a killed process would. (PowerShell's own PipelineStoppedException
# would stop the test runner too, so the model throws its own exception type; a catch block of the
# script around a kill point would see it: today's scripts have none there.)
function Set-ModelKillPoint([string]$Command, [int]$Skip = 0) { $script:ModelKill = @{ Command = $Command; Skip = $Skip } }
function Test-ModelKill([string]$Command) {
  if ($null -ne $script:ModelKill -and $script:ModelKill.Command -eq $Command) {
    if ($script:ModelKill.Skip -le 0) { $script:ModelKill = $null; throw ([ModelKilledException]::new("model: killed at $Command")) }
    $script:ModelKill.Skip--
  }
}

# Runs a generated script as the bootstrap does (components/host/bootstrap.ts: the text as a
# ScriptBlock, the secrets object as its argument; exit 1 with the exception message on error).
# Returns ExitCode, the stdout text ([Console]::Out plus any pipeline output), the JSON line parsed,
# and Error (the bootstrap's stderr text).
function Invoke-ModelScript([string]$Path, [hashtable]$Secrets) {
  $text = Use-ModelStopwatch ([System.IO.File]::ReadAllText($Path)) $Path
  $block = [ScriptBlock]::Create($text)
  $arg = New-Object PSObject
  if ($Secrets) { $arg = [pscustomobject]$Secrets }
  $writer = New-Object System.IO.StringWriter
  $old = [Console]::Out
  [Console]::SetOut($writer)
  $code = 0; $err = $null; $pipeline = @()
  try { $pipeline = @(& $block $arg) }
  catch [ModelKilledException] { $code = -1; $err = 'killed' }
  catch { $code = 1; $err = [string]$_.Exception.Message; $script:ModelLastError = $_ }
  finally { [Console]::SetOut($old) }
  $stdout = $writer.ToString() + (($pipeline | Out-String))
  $lines = @($stdout -split "`r?`n" | Where-Object { $_ -ne '' })
  $json = $null
  if ($code -eq 0) {
    if ($lines.Count -ne 1) { throw "model: $Path printed $($lines.Count) lines, expected one JSON line: $stdout" }
    $json = ConvertFrom-Json -InputObject $lines[0]
  }
  return [pscustomobject]@{ ExitCode = $code; Stdout = $stdout; Json = $json; Error = $err }
}

# The suite's manifest (test/ps/prepare.ts), read once per Pester file.
function Get-ModelSuite {
  if (-not $env:NOVA_PS_SUITE) { throw 'NOVA_PS_SUITE is not set: run the suites through test/ps/psSuites.test.ts (npm test)' }
  return (ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText((Join-Path $env:NOVA_PS_SUITE 'manifest.json'))) -AsHashtable)
}

# What a host has before the first step: the app checked out with its venv (the guide's steps 1-2),
# and the pinned downloads reachable.
function Initialize-ModelHost($Suite, $Variant, [string[]]$NssmFaults = @(), [string[]]$CloudflaredFaults = @()) {
  Set-ModelFile $Variant.pythonExe '' -Executable
  $entry = $Variant.entryPoint
  if ($entry -notmatch '^[A-Za-z]:\\') { $entry = $Variant.appDirectory.TrimEnd('\') + '\' + $entry }
  Set-ModelFile $entry "from fastapi import FastAPI`n"
  Register-ModelDownload $Suite.urls.nssm $Suite.fixtures.nssmZip $NssmFaults
  Register-ModelDownload $Suite.urls.cloudflared $Suite.fixtures.cloudflaredExe $CloudflaredFaults
}

# The secrets document a step gets (exactly its keys, as components/host/commands.ts secretsDocument).
function Get-ModelStepSecrets($Suite, $Step, [hashtable]$Override = @{}) {
  $doc = @{}
  foreach ($k in @($Step.secretKeys)) { if ($Override.ContainsKey($k)) { $doc[$k] = $Override[$k] } else { $doc[$k] = $Suite.secrets[$k] } }
  if ($doc.Count -eq 0) { return $null }
  return $doc
}

# Things on the host that are not ours; a scenario checks that delete leaves them as they were.
function Add-ModelUnrelated([int]$Port) {
  Update-ModelState {
    param($state)
    $svcKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\W32Time'
    $state.services['w32time'] = @{ Name = 'W32Time'; Status = 'Running'; Pid = 0; MarkedForDeletion = $false; Handles = 0; CrashPending = $false }
    New-ModelKey $state $svcKey | Out-Null
    Set-ModelValue $state $svcKey 'ImagePath' 'ExpandString' '%SystemRoot%\system32\svchost.exe -k LocalService'
    Set-ModelValue $state $svcKey 'Start' 'DWord' 3
    Set-ModelValue $state $svcKey 'ObjectName' 'String' 'NT AUTHORITY\LocalService'
    New-ModelKey $state "$svcKey\Parameters" | Out-Null
    Set-ModelValue $state "$svcKey\Parameters" 'NtpServer' 'String' 'time.windows.com,0x9'
    Set-ModelValue $state 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager\Environment' 'OTHER_TOOL_HOME' 'String' 'C:\OtherTool'
  } | Out-Null
  New-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -DisplayName 'Remote Desktop - User Mode (TCP-In)' -Group '@FirewallAPI.dll,-28752' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 3389 | Out-Null
  New-NetFirewallRule -Name 'other-app-on-our-port' -DisplayName 'Other app' -Group 'Other' -Direction Inbound -Action Block -Protocol TCP -LocalPort $Port -RemoteAddress '10.1.0.0/16' | Out-Null
  Set-ModelFile 'C:\Program Files\OtherTool\tool.ini' "keep=1`n"
  Set-ModelFile 'C:\ProgramData\cloudflared\config.yml' "# another tunnel's config`n"
}

# The unrelated things as a comparable text.
function Get-ModelUnrelated {
  $state = Read-ModelState
  $keys = @($state.registry.Keys | Where-Object { $_ -like 'hklm:\system\currentcontrolset\services\w32time*' -or $_ -like '*session manager\environment' } | Sort-Object)
  return (ConvertTo-Json -Depth 10 -Compress -InputObject ([ordered]@{
    service = $state.services['w32time']
    registry = @($keys | ForEach-Object { $k = $state.registry[$_]; [ordered]@{ path = $k.Path; values = @($k.Values.Keys | Sort-Object | ForEach-Object { $k.Values[$_] }) } })
    rules = @($state.firewall | Where-Object { $_.Name -in @('RemoteDesktop-UserMode-In-TCP', 'other-app-on-our-port') })
    files = @('C:\Program Files\OtherTool\tool.ini', 'C:\ProgramData\cloudflared\config.yml' | ForEach-Object { Get-ModelFileText $_ })
  }))
}

# The steps of a variant by name, and running one of its scripts with its secrets.
function Invoke-ModelStep($Suite, $Variant, [string]$Step, [ValidateSet('create', 'audit', 'delete')][string]$Mode = 'create', [hashtable]$Secrets = @{}) {
  $s = @($Variant.steps | Where-Object { $_.step -eq $Step })[0]
  if ($null -eq $s) { throw "model: step $Step not in $($Variant.stack)" }
  if (-not $s[$Mode]) { return $null }
  $secretDoc = $null
  if ($Mode -ne 'delete') { $secretDoc = Get-ModelStepSecrets $Suite $s $Secrets }
  # The program fills the certificate step's create document with the certificate issued for the CSR
  # (OriginCa.ps1); an audit runs without it, as one run by hand does.
  if ($Mode -eq 'create' -and @($s.documentKeys) -contains 'originCertificate') {
    if ($null -eq $secretDoc) { $secretDoc = @{} }
    if ($Secrets.ContainsKey('originCertificate')) { $secretDoc.originCertificate = $Secrets.originCertificate }
    else { $pem = Get-ModelIssuedCertificate; if ($null -ne $pem) { $secretDoc.originCertificate = $pem } }
  }
  $r = Invoke-ModelScript $s[$Mode] $secretDoc
  if ($Mode -eq 'create' -and $r.ExitCode -eq 0 -and $null -ne $r.Json -and $r.Json.PSObject.Properties['csr']) { Save-ModelCertificateRequest ([string]$r.Json.csr) }
  return $r
}
