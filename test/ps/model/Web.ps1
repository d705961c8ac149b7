# Invoke-WebRequest. Loopback URLs (the health probe) go to the real cmdlet and the real app; the
# pinned artefacts are served from local fixture files registered by the test (Register-ModelDownload)
# with injectable faults, in order, one per request: '503' (the request fails as Windows PowerShell
# reports it, a WebException "The remote server returned an error: (503) Server Unavailable."),
# 'truncated' (half the bytes), 'wrong' (one byte changed). Any other URL fails: no network here.

function Register-ModelDownload([string]$Url, [string]$File, [string[]]$Faults = @()) {
  Update-ModelState { param($state) $state.web[$Url] = @{ File = $File; Faults = @($Faults); Requests = 0 } } | Out-Null
}

function Invoke-WebRequest {
  [CmdletBinding()]
  param([Parameter(Mandatory, Position = 0)][uri]$Uri, [string]$OutFile, [switch]$UseBasicParsing, [int]$TimeoutSec)
  # cloudflared's metrics server: the first free of 127.0.0.1:20241-20245 (metrics/metrics.go, the
  # service's default --metrics), /ready answering 200 while the connector has a connection to the edge
  # (metrics/readiness.go). The model runs no connector process: a Running Cloudflared service on our
  # command line (a token file) counts as connected, as the model reports it Running; else nothing listens.
  if ($Uri.IsLoopback -and $Uri.Port -ge 20241 -and $Uri.Port -le 20245) {
    if ($Uri.AbsolutePath -ne '/ready') { throw "model: cloudflared metrics $($Uri.AbsolutePath) not modelled" }
    $state = Read-ModelState
    $svc = $state.services['cloudflared']
    $image = [string](Get-ModelServiceValue $state 'Cloudflared' 'ImagePath')
    if ($Uri.Port -eq 20241 -and $null -ne $svc -and $svc.Status -eq 'Running' -and $image -match ' tunnel run --token-file ') {
      return [pscustomobject]@{ StatusCode = 200; Content = '{"status":200,"readyConnections":4,"connectorId":"00000000-0000-4000-8000-000000000000"}' }
    }
    throw (New-Object System.Net.WebException "Unable to connect to the remote server")
  }
  if ($Uri.IsLoopback) { return (Microsoft.PowerShell.Utility\Invoke-WebRequest @PSBoundParameters) }
  $url = $Uri.OriginalString
  $entry = Update-ModelState {
    param($state)
    $e = $state.web[$url]
    if ($null -eq $e) { return $null }
    $e.Requests = [int]$e.Requests + 1
    $fault = $null
    if (@($e.Faults).Count -gt 0) { $fault = @($e.Faults)[0]; $e.Faults = @(@($e.Faults) | Select-Object -Skip 1) }
    return @{ File = $e.File; Fault = $fault }
  }
  if ($null -eq $entry) { throw "model: Invoke-WebRequest $url not modelled (no network)" }
  if (-not $OutFile) { throw 'model: Invoke-WebRequest without -OutFile not modelled' }
  if ($entry.Fault -eq '503') { throw (New-Object System.Net.WebException 'The remote server returned an error: (503) Server Unavailable.') }
  $bytes = [System.IO.FileInfo]::new($entry.File).OpenRead()
  try { $ms = New-Object System.IO.MemoryStream; $bytes.CopyTo($ms); $data = $ms.ToArray() } finally { $bytes.Dispose() }
  switch ($entry.Fault) {
    $null { }
    'truncated' { $data = $data[0..([int]($data.Length / 2) - 1)] }
    'wrong' { $data[0] = $data[0] -bxor 0xFF }
    default { throw "model: download fault '$($entry.Fault)' not modelled" }
  }
  $target = ConvertTo-ModelUnixPath ($ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutFile) | ForEach-Object { ConvertTo-ModelWindowsPath $_ })
  $fs = [System.IO.FileStream]::new($target, [System.IO.FileMode]::Create)
  try { $fs.Write([byte[]]$data, 0, $data.Length) } finally { $fs.Dispose() }
  # Windows runs any .exe; in the sandbox a native program needs the exec bit.
  if ($target.EndsWith('.exe')) { [System.IO.FileInfo]::new($target).UnixFileMode = [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute' }
}
