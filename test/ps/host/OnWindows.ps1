# The host harness over the Windows machine the suites run on (NOVA_HOST_MODE=real: a GitHub Windows
# runner, Windows PowerShell 5.1, an administrator; .github/workflows/windows-host.yml). Nothing of the
# host model is loaded. Each step runs as a server runs it: powershell.exe with the program's bootstrap
# (components/host/bootstrap.ts, `bootstrap` in the manifest) and the script plus its secrets on stdin;
# the steps download the pinned NSSM and cloudflared from their pinned URLs and check their SHA-256
# themselves. The app is the NOVA stand-in (host/nova_standin.py: FastAPI served by uvicorn) in the venv
# the job creates (Initialize-NovaStandIn). Every scenario cleans up after itself (Remove-HostSandbox).
# 5.1 only: no -AsHashtable, no 7-only syntax (test/ps/hostMode.test.ts checks this file on the 5.1 profile).

# Fails loudly, naming them, when Windows commands the harness and the steps need are missing: real
# mode never skips, and never falls back to the model.
function Assert-HostWindows {
  $missing = @(@('Get-Service', 'Get-CimInstance', 'Get-NetFirewallRule', 'New-NetFirewallRule', 'Get-Acl', 'powershell.exe', 'sc.exe') | Where-Object { $null -eq (Get-Command -Name $_ -ErrorAction SilentlyContinue) })
  if ($missing.Count -gt 0) { throw "real mode (NOVA_HOST_MODE=real): the Windows command(s) $($missing -join ', ') are missing on this machine; real mode runs on Windows as an administrator" }
}
Assert-HostWindows

$script:HostCurrent = $null
$script:HostCsr = $null
$script:HostIssued = @{}
$script:HostUnrelatedRule = 'nova-infra-test-other-app'

# The venvs of the stacks' pythonExe, made from the runner's Python with the stand-in's pinned packages
# (host/requirements.txt); called by the job before the suites; present ones are kept.
function Initialize-NovaStandIn($Suite, [string]$Python = 'python') {
  $requirements = Join-Path $PSScriptRoot 'requirements.txt'
  foreach ($exe in @($Suite.variants.Values | ForEach-Object { $_.pythonExe } | Sort-Object -Unique)) {
    if (Test-Path -LiteralPath $exe -PathType Leaf) { continue }
    $venv = Split-Path -Parent (Split-Path -Parent $exe)
    & $Python -m venv $venv
    if ($LASTEXITCODE -ne 0) { throw "NOVA stand-in: python -m venv $venv failed" }
    & $exe -m pip install --disable-pip-version-check -r $requirements
    if ($LASTEXITCODE -ne 0) { throw "NOVA stand-in: pip install -r $requirements into $venv failed" }
  }
}

function Get-HostEntryPoint($Variant) {
  if ($Variant.entryPoint -match '^[A-Za-z]:\\') { return $Variant.entryPoint }
  return ($Variant.appDirectory.TrimEnd('\') + '\' + $Variant.entryPoint)
}

# The runner as a fresh host: whatever an aborted earlier scenario left of ours is deleted, the stand-in
# is checked out as the app (its entry point; the venv the job made).
function New-HostSandbox($Suite, $Variant) {
  if (-not (Test-Path -LiteralPath $Variant.pythonExe -PathType Leaf)) { throw "real mode: the NOVA stand-in's venv ($($Variant.pythonExe)) is missing: the job makes it (Initialize-NovaStandIn)" }
  $script:HostCurrent = @{ Suite = $Suite; Variant = $Variant; Kept = @(Get-ChildItem -LiteralPath $Variant.appDirectory -Force | ForEach-Object { $_.Name }); Unrelated = $false }
  $left = @(Remove-HostOurs $Suite $Variant)
  if ($left.Count -gt 0) { throw "real mode: an earlier run left ours behind and delete failed: $($left -join '; ')" }
  Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'nova_standin.py') -Destination (Get-HostEntryPoint $Variant) -Force
}

# Every step's delete, last step first (each is idempotent); failures are returned as text.
function Remove-HostOurs($Suite, $Variant) {
  $steps = @($Variant.steps); [array]::Reverse($steps)
  foreach ($s in $steps) {
    $r = Invoke-HostStepRun $Suite $Variant $s.step 'delete' @{}
    if ($null -ne $r -and $r.ExitCode -ne 0) { "delete $($s.step): $($r.Error)" }
  }
}

# After a scenario: ours deleted, what Add-HostUnrelated added removed, the app folder back to the venv.
function Remove-HostSandbox {
  if ($null -eq $script:HostCurrent) { return }
  $c = $script:HostCurrent
  $script:HostCurrent = $null
  $left = @(Remove-HostOurs $c.Suite $c.Variant)
  if ($c.Unrelated) {
    Remove-NetFirewallRule -Name $script:HostUnrelatedRule -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath 'C:\Program Files\OtherTool' -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath 'C:\ProgramData\cloudflared\config.yml' -Force -ErrorAction SilentlyContinue
    [Environment]::SetEnvironmentVariable('OTHER_TOOL_HOME', $null, 'Machine')
  }
  Get-ChildItem -LiteralPath $c.Variant.appDirectory -Force | Where-Object { $c.Kept -notcontains $_.Name } | Remove-Item -Recurse -Force
  $script:HostCsr = $null
  if ($left.Count -gt 0) { throw "real mode: cleanup left ours behind: $($left -join '; ')" }
}

# The secrets document of a step (exactly its keys, as components/host/commands.ts secretsDocument), and
# for the certificate step's create the certificate the test CA issued for the last CSR.
function Get-HostStepDocument($Suite, $StepInfo, [string]$Mode, [hashtable]$Override) {
  $doc = @{}
  if ($Mode -eq 'delete') { return $null }
  foreach ($k in @($StepInfo.secretKeys)) { if ($Override.ContainsKey($k)) { $doc[$k] = $Override[$k] } else { $doc[$k] = $Suite.secrets[$k] } }
  if ($Mode -eq 'create' -and @($StepInfo.documentKeys) -contains 'originCertificate') {
    $pem = Get-HostIssuedCertificate
    if ($null -ne $pem) { $doc.originCertificate = $pem }
  }
  if ($doc.Count -eq 0) { return $null }
  return $doc
}

function Invoke-HostStepRun($Suite, $Variant, [string]$Step, [string]$Mode, [hashtable]$Secrets) {
  $s = @($Variant.steps | Where-Object { $_.step -eq $Step })[0]
  if ($null -eq $s) { throw "real mode: step $Step not in $($Variant.stack)" }
  if (-not $s[$Mode]) { return $null }
  $stdin = [System.IO.File]::ReadAllText($s[$Mode]).Replace("`r`n", "`n")
  if (-not $stdin.EndsWith("`n")) { $stdin += "`n" }
  $doc = Get-HostStepDocument $Suite $s $Mode $Secrets
  if ($null -ne $doc) { $stdin += $Suite.bootstrap.separator + "`n" + (ConvertTo-Json -Compress -InputObject $doc) + "`n" }
  $r = Invoke-HostBootstrap $Suite.bootstrap.arguments (ConvertTo-HostPackedStdin $Suite.bootstrap.runner $stdin)
  if ($r.ExitCode -eq 0) {
    $lines = @($r.Stdout -split "`r?`n" | Where-Object { $_ -ne '' })
    if ($lines.Count -ne 1) { throw "real mode: $Step $Mode printed $($lines.Count) lines, expected one JSON line: $($r.Stdout)" }
    $r.Json = ConvertFrom-Json -InputObject $lines[0]
    if ($Mode -eq 'create' -and $r.Json.PSObject.Properties['csr']) { $script:HostCsr = [string]$r.Json.csr }
  }
  return $r
}

# The stdin the program registers for a document (components/host/bootstrap.ts packStdin): base64 of the
# raw deflate of the runner, NUL, the document (any deflate encoder: the loader only inflates).
function ConvertTo-HostPackedStdin([string]$Runner, [string]$Document) {
  $bytes = (New-Object System.Text.UTF8Encoding $false).GetBytes($Runner + [char]0 + $Document)
  $buffer = New-Object System.IO.MemoryStream
  $deflate = New-Object System.IO.Compression.DeflateStream($buffer, [System.IO.Compression.CompressionMode]::Compress)
  $deflate.Write($bytes, 0, $bytes.Length)
  $deflate.Dispose()
  return [Convert]::ToBase64String($buffer.ToArray())
}

# powershell.exe with the bootstrap's arguments, $Stdin written as UTF-8; the exit code, stdout and stderr.
function Invoke-HostBootstrap([string]$Arguments, [string]$Stdin) {
  $utf8 = New-Object System.Text.UTF8Encoding $false
  $psi = New-Object System.Diagnostics.ProcessStartInfo
  $psi.FileName = (Get-Command -Name 'powershell.exe').Source
  $psi.Arguments = $Arguments
  $psi.UseShellExecute = $false
  $psi.RedirectStandardInput = $true; $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
  $psi.StandardOutputEncoding = $utf8; $psi.StandardErrorEncoding = $utf8
  $p = [System.Diagnostics.Process]::Start($psi)
  $out = $p.StandardOutput.ReadToEndAsync()
  $err = $p.StandardError.ReadToEndAsync()
  $bytes = $utf8.GetBytes($Stdin)
  $p.StandardInput.BaseStream.Write($bytes, 0, $bytes.Length)
  $p.StandardInput.Close()
  $p.WaitForExit()
  $errText = $err.Result.Trim()
  if ($errText -eq '') { $errText = $null }
  return [pscustomobject]@{ ExitCode = $p.ExitCode; Stdout = $out.Result; Json = $null; Error = $errText }
}

# openssl for the test CA: on PATH, else Git for Windows' (both on the GitHub Windows images).
function Get-HostOpenSsl {
  $found = Get-Command -Name 'openssl' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
  if ($null -ne $found) { return $found.Source }
  $git = 'C:\Program Files\Git\usr\bin\openssl.exe'
  if (Test-Path -LiteralPath $git -PathType Leaf) { return $git }
  throw 'real mode: openssl is missing (the test origin CA signs the CSR of direct mode with it)'
}

# The program's side of direct mode (as test/ps/model/OriginCa.ps1 for the model): a test CA of the
# suite signs the CSR certificate-request printed, one certificate per CSR; $null before any CSR.
function Get-HostIssuedCertificate {
  if (-not $script:HostCsr) { return $null }
  if ($script:HostIssued.ContainsKey($script:HostCsr)) { return $script:HostIssued[$script:HostCsr] }
  $openssl = Get-HostOpenSsl
  $ca = Join-Path $env:NOVA_PS_SUITE 'origin-ca'
  if (-not (Test-Path -LiteralPath (Join-Path $ca 'ca.crt'))) {
    [System.IO.Directory]::CreateDirectory($ca) | Out-Null
    $make = @('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', (Join-Path $ca 'ca.key'), '-out', (Join-Path $ca 'ca.crt'), '-subj', '/CN=nova-infra test origin CA', '-days', '3650')
    & $openssl @make 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'real mode: openssl could not make the test origin CA' }
  }
  $id = [guid]::NewGuid().ToString('n')
  $in = Join-Path $ca "$id.csr"; $out = Join-Path $ca "$id.crt"
  [System.IO.File]::WriteAllText($in, $script:HostCsr)
  & $openssl x509 -req -in $in -CA (Join-Path $ca 'ca.crt') -CAkey (Join-Path $ca 'ca.key') -CAcreateserial -copy_extensions copy -days 365 -out $out 2>$null
  if ($LASTEXITCODE -ne 0) { throw 'real mode: the test origin CA could not sign the CSR' }
  $pem = [System.IO.File]::ReadAllText($out)
  $script:HostIssued[$script:HostCsr] = $pem
  return $pem
}

function Get-HostFileText([string]$Path) {
  if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return $null }
  return [System.IO.File]::ReadAllText($Path)
}

# Things on the runner that are not ours, added next to ours (a rule of another app on our port, another
# program's files and Machine variable, another tunnel's config.yml); W32Time is the runner's own.
function Add-HostUnrelated([int]$Port) {
  $script:HostCurrent.Unrelated = $true
  New-NetFirewallRule -Name $script:HostUnrelatedRule -DisplayName 'Other app' -Group 'Other' -Direction Inbound -Action Block -Protocol TCP -LocalPort $Port -RemoteAddress '10.1.0.0/16' | Out-Null
  New-Item -ItemType Directory -Force -Path 'C:\Program Files\OtherTool', 'C:\ProgramData\cloudflared' | Out-Null
  [System.IO.File]::WriteAllText('C:\Program Files\OtherTool\tool.ini', "keep=1`n")
  [System.IO.File]::WriteAllText('C:\ProgramData\cloudflared\config.yml', "# another tunnel's config`n")
  [Environment]::SetEnvironmentVariable('OTHER_TOOL_HOME', 'C:\OtherTool', 'Machine')
}

# The unrelated things as a comparable text.
function Get-HostUnrelated {
  $rule = Get-NetFirewallRule -Name $script:HostUnrelatedRule -ErrorAction SilentlyContinue
  $w32 = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Services\W32Time' -ErrorAction SilentlyContinue
  return (ConvertTo-Json -Depth 5 -Compress -InputObject ([ordered]@{
    # W32Time's registration, not its status (a trigger-start service: Windows starts and stops it itself)
    service = [ordered]@{ imagePath = [string]$w32.ImagePath; start = [string]$w32.Start; objectName = [string]$w32.ObjectName }
    rule = @($rule | ForEach-Object { [ordered]@{ enabled = [string]$_.Enabled; action = [string]$_.Action; ports = @(($_ | Get-NetFirewallPortFilter).LocalPort); addresses = @(($_ | Get-NetFirewallAddressFilter).RemoteAddress) } })
    machine = [Environment]::GetEnvironmentVariable('OTHER_TOOL_HOME', 'Machine')
    files = @(@('C:\Program Files\OtherTool\tool.ini', 'C:\ProgramData\cloudflared\config.yml') | ForEach-Object { Get-HostFileText $_ })
  }))
}
