# `powershell.exe` on the model host, for the bootstrap end to end (test/components/host/psBootstrap.test.ts): takes
# the command line Windows PowerShell 5.1 would (powershell.exe -NoProfile -NonInteractive
# -ExecutionPolicy Bypass -EncodedCommand <base64 of UTF-16LE>, the only form the program sends; any
# other fails loudly), attaches to the sandbox, and runs the decoded command with this process's
# stdin and stdout, as powershell.exe does; its `exit N` is the process exit code.
param([Parameter(Mandatory)][string]$Root, [Parameter(ValueFromRemainingArguments)][string[]]$CommandLine)
$expected = @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand')
if ($CommandLine.Count -ne 6 -or (Compare-Object $expected $CommandLine[0..4] -SyncWindow 0)) {
  [Console]::Error.WriteLine("model: powershell.exe $($CommandLine -join ' ') not modelled")
  exit 99
}
$text = [System.Text.Encoding]::Unicode.GetString([Convert]::FromBase64String($CommandLine[5]))
& {
  . (Join-Path $PSScriptRoot 'Model.ps1')
  Enter-ModelSandbox -Root $Root
  & ([ScriptBlock]::Create($text))
}
