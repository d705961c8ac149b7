# The Application event log, as far as the Cloudflared service writes to it. cloudflared's
# windows_service.go (Execute) opens the event source "Cloudflared" (eventlog.Open) and writes, as
# Information: "Cloudflared service starting", then "Cloudflared service arguments: %v" of its
# os.Args (Go prints a []string as [a b c]: the ImagePath's words, quotes gone), and at the end
# "Cloudflared service stopped". The connector's own log goes nowhere without --logfile.
# Get-EventLog is Windows PowerShell's (5.1; pwsh 7 has none): entries newest first (the log read
# backwards), each with Index (growing), TimeWritten (local time), EntryType, Source, Message; with no
# entry of the source it writes the error "No matches found" (GetEventLogCommand). Other logs, and
# parameters other than -LogName Application -Source -Newest, fail loudly.

function Add-ModelEvent($State, [string]$Source, [string]$Type, [string]$Message) {
  $log = @($State.eventLog | Where-Object { $null -ne $_ })
  $index = 1
  if ($log.Count -gt 0) { $index = [int]$log[-1].Index + 1 }
  $State.eventLog = $log + @(@{ Index = $index; Source = $Source; EntryType = $Type; Message = $Message; Written = [datetime]::UtcNow.Ticks })
}

function Get-EventLog {
  [CmdletBinding()]
  param([Parameter(Position = 0, Mandatory)][string]$LogName, [string[]]$Source, [int]$Newest = [int]::MaxValue)
  if ($LogName -ne 'Application') { throw "model: Get-EventLog -LogName $LogName not modelled" }
  $entries = @((Read-ModelState).eventLog | Where-Object { $null -ne $_ -and ($null -eq $Source -or $Source -contains $_.Source) })
  if ($entries.Count -eq 0) {
    $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord (New-Object System.ArgumentException 'No matches found'), 'GetEventLogNoEntriesFound,Microsoft.PowerShell.Commands.GetEventLogCommand', 'ObjectNotFound', $null))
    return
  }
  [array]::Reverse($entries)
  foreach ($e in @($entries | Select-Object -First $Newest)) {
    [pscustomobject]@{ Index = [int]$e.Index; Source = $e.Source; EntryType = $e.EntryType; Message = $e.Message; TimeWritten = ([datetime]::new([int64]$e.Written, [System.DateTimeKind]::Utc)).ToLocalTime() }
  }
}

# What a test plants, as if the service had written it.
function Add-ModelEventEntry([string]$Source, [string]$Type, [string]$Message) { Update-ModelState { param($state) Add-ModelEvent $state $Source $Type $Message } | Out-Null }
