# The Windows Server 2019 host model: dot-source this file (`. test/ps/model/Model.ps1`), then
# New-ModelSandbox per test. Test code only: nothing here is ever part of a plan.
Set-StrictMode -Off
# DotNet first: its type accelerators must be in place before any other part is parsed.
. (Join-Path $PSScriptRoot 'DotNet.ps1')
. (Join-Path $PSScriptRoot 'Types.ps1')
Register-ModelTypes
foreach ($part in @('State', 'Paths', 'Registry', 'Acl', 'Items', 'Scm', 'Process', 'Firewall', 'Web', 'EventLog', 'Sandbox', 'OriginCa', 'Scenario', 'Guide')) {
  . (Join-Path $PSScriptRoot "$part.ps1")
}
