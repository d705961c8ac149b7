# The host harness over the host model (NOVA_HOST_MODE=model, the default): the Host* functions of the
# scenarios that run in both modes, each the model's own (test/ps/model).

# A fresh host with the app checked out and the pinned downloads reachable (served from the fixtures).
function New-HostSandbox($Suite, $Variant) {
  New-ModelSandbox -Transport $Variant.transport | Out-Null
  Initialize-ModelHost $Suite $Variant
}
function Remove-HostSandbox { Remove-ModelSandbox }
function Invoke-HostStepRun($Suite, $Variant, [string]$Step, [string]$Mode, [hashtable]$Secrets) { Invoke-ModelStep $Suite $Variant $Step $Mode $Secrets }
function Add-HostUnrelated([int]$Port) { Add-ModelUnrelated -Port $Port }
function Get-HostUnrelated { Get-ModelUnrelated }
function Get-HostIssuedCertificate { Get-ModelIssuedCertificate }
function Get-HostFileText([string]$Path) { Get-ModelFileText $Path }
