# The mode switch of the suites' BeforeAll (`. (Join-Path $PSScriptRoot 'Host.ps1')`): NOVA_HOST_MODE
# model (default) dot-sources the host model (test/ps/model) and the harness over it; real dot-sources
# the harness over the Windows machine the suites run on and nothing of test/ps/model.
# Both define the Host* functions the scenarios that run in both modes call (docs/HOST-MODEL.md).
. (Join-Path $PSScriptRoot 'Suite.ps1')
. (Join-Path $PSScriptRoot 'host/Record.ps1')
if ((Get-NovaHostMode) -eq 'real') {
  . (Join-Path $PSScriptRoot 'host/OnWindows.ps1')
} else {
  . (Join-Path $PSScriptRoot 'model/Model.ps1')
  . (Join-Path $PSScriptRoot 'host/OnModel.ps1')
}
