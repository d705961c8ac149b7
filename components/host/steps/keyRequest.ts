/**
 * PowerShell (constant text) that makes the origin's private key and its certificate signing request
 * on the host, so the key never leaves it. Runs on Windows PowerShell 5.1 (.NET Framework 4.7.2:
 * `ECDsa.Create(ECCurve)`, `ExportParameters`, `CertificateRequest`, `SubjectAlternativeNameBuilder`)
 * and on pwsh 7 alike (on Windows the key is a CNG key created with a plain-text export policy, which
 * `ExportParameters(true)` needs; elsewhere `ECDsa.Create`). .NET Framework cannot export a PEM or PKCS#8 key, so the key file is the SEC1
 * `EC PRIVATE KEY` (RFC 5915) written from the exported parameters with the fixed DER layout of P-256;
 * Python's ssl module (uvicorn) reads it as is.
 */

export const KEY_REQUEST_FUNCTIONS = String.raw`function ConvertTo-NovaPem([string]$Label, [byte[]]$Der) {
  $b64 = [Convert]::ToBase64String($Der)
  $lines = New-Object System.Collections.Generic.List[string]
  for ($i = 0; $i -lt $b64.Length; $i += 64) { $lines.Add($b64.Substring($i, [Math]::Min(64, $b64.Length - $i))) }
  return ('-----BEGIN ' + $Label + '-----' + [char]10 + ($lines -join [string][char]10) + [char]10 + '-----END ' + $Label + '-----' + [char]10)
}
function Get-NovaFixedBytes([byte[]]$Value, [int]$Length) {
  if ($Value.Length -gt $Length) { throw 'EC parameter longer than the curve size' }
  $out = New-Object byte[] $Length
  [Array]::Copy($Value, 0, $out, $Length - $Value.Length, $Value.Length)
  return ,$out
}
function Get-NovaHex([byte[]]$Bytes) { return (($Bytes | ForEach-Object { $_.ToString('x2') }) -join '') }
function Write-NovaText([string]$Path, [string]$Text) {
  [System.IO.File]::WriteAllText($Path, $Text, (New-Object System.Text.UTF8Encoding $false))
}
function New-NovaEcdsaKey {
  if ([Environment]::OSVersion.Platform -eq [PlatformID]::Win32NT) {
    # Windows (CNG): an ephemeral P-256 key, created exportable in plain text so that ExportParameters can read it.
    # CNG makes an ephemeral key only for a null name; PowerShell passes $null to a string parameter as ''
    # (about_Null; hence NullString), which would ask for a persisted key with an empty name.
    $parameters = New-Object System.Security.Cryptography.CngKeyCreationParameters
    $parameters.ExportPolicy = [System.Security.Cryptography.CngExportPolicies]::AllowPlaintextExport
    $key = [System.Security.Cryptography.CngKey]::Create([System.Security.Cryptography.CngAlgorithm]::ECDsaP256, [System.Management.Automation.Language.NullString]::Value, $parameters)
    return (New-Object System.Security.Cryptography.ECDsaCng $key)
  }
  return [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve]::CreateFromFriendlyName('nistP256'))
}
function New-NovaOriginKeyRequest([string]$Hostname, [string]$KeyPath, [string]$CsrPath, [string]$PublicKeyPath) {
  $ecdsa = New-NovaEcdsaKey
  try {
    $p = $ecdsa.ExportParameters($true)
    $d = Get-NovaFixedBytes $p.D 32
    $point = [byte[]](@([byte]4) + (Get-NovaFixedBytes $p.Q.X 32) + (Get-NovaFixedBytes $p.Q.Y 32))
    # ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING (32), [0] prime256v1, [1] BIT STRING (04|X|Y) }
    $der = [byte[]](@(0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20) + $d + @(0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0xA1, 0x44, 0x03, 0x42, 0x00) + $point)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new(('CN=' + $Hostname), $ecdsa, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
    $san = New-Object System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder
    $san.AddDnsName($Hostname)
    $request.CertificateExtensions.Add($san.Build())
    Write-NovaText $KeyPath (ConvertTo-NovaPem 'EC PRIVATE KEY' $der)
    Write-NovaText $PublicKeyPath (Get-NovaHex $point)
    Write-NovaText $CsrPath (ConvertTo-NovaPem 'CERTIFICATE REQUEST' $request.CreateSigningRequest())
  } finally { $ecdsa.Dispose() }
}
function ConvertFrom-NovaPem([string]$Pem) {
  $body = ($Pem -split '[\r\n]+' | Where-Object { $_ -and -not $_.StartsWith('-----') }) -join ''
  return ,[Convert]::FromBase64String($body)
}
function Test-NovaCertificateMatchesKey([string]$CertificatePem, [string]$PublicKeyPath) {
  if (-not (Test-Path -LiteralPath $PublicKeyPath -PathType Leaf)) { return $false }
  $certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2 (,(ConvertFrom-NovaPem $CertificatePem))
  return ((Get-NovaHex $certificate.GetPublicKey()) -eq ([System.IO.File]::ReadAllText($PublicKeyPath).Trim()))
}`;
