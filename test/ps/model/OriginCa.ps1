# The program's side of direct mode's certificate (components/windowsHostService.ts): Pulumi hands the
# CSR that certificate-request printed to cloudflare.OriginCaCertificate, and the certificate it issues
# to the certificate step's stdin document (key originCertificate). The Origin CA cannot be reached
# from a test: a test CA of the suite (openssl, made once per suite folder) signs the CSR instead,
# copying its subject alternative names as the Origin CA puts the requested hostnames in the
# certificate. One certificate per CSR: the resource is replaced only when the CSR changes.

function Get-ModelTestCaDirectory {
  $dir = Join-Path $env:NOVA_PS_SUITE 'origin-ca'
  if (-not (Microsoft.PowerShell.Management\Test-Path -LiteralPath (Join-Path $dir 'ca.crt'))) {
    [System.IO.Directory]::CreateDirectory($dir) | Out-Null
    & openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout (Join-Path $dir 'ca.key') -out (Join-Path $dir 'ca.crt') -subj '/CN=nova-infra test origin CA' -days 3650 2>$null
    if ($LASTEXITCODE -ne 0) { throw 'model: openssl could not make the test origin CA' }
  }
  return $dir
}

# Records the CSR a certificate-request create printed (what Pulumi reads from its stdout).
function Save-ModelCertificateRequest([string]$Csr) {
  Update-ModelState { param($state) if (-not $state.Contains('originCa')) { $state.originCa = @{ csr = $null; issued = @{} } }; $state.originCa.csr = $Csr } | Out-Null
}

# The certificate the test CA issued for the last CSR printed; $null before any (Pulumi would not
# have a certificate either).
function Get-ModelIssuedCertificate {
  $state = Read-ModelState
  if (-not $state.Contains('originCa') -or -not $state.originCa.csr) { return $null }
  $csr = [string]$state.originCa.csr
  $sha = [System.Security.Cryptography.SHA256]::Create()
  try { $id = [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($csr))).Replace('-', '') } finally { $sha.Dispose() }
  $issued = $state.originCa.issued[$id]
  if ($issued) { return [string]$issued }
  $ca = Get-ModelTestCaDirectory
  $in = Join-Path $ca "$id.csr"; $out = Join-Path $ca "$id.crt"
  [System.IO.File]::WriteAllText($in, $csr)
  & openssl x509 -req -in $in -CA (Join-Path $ca 'ca.crt') -CAkey (Join-Path $ca 'ca.key') -CAcreateserial -copy_extensions copy -days 365 -out $out 2>$null
  if ($LASTEXITCODE -ne 0) { throw 'model: the test origin CA could not sign the CSR' }
  $pem = [System.IO.File]::ReadAllText($out)
  Update-ModelState { param($state) $state.originCa.issued[$id] = $pem } | Out-Null
  return $pem
}
