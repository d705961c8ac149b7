# Windows Firewall rules (NetSecurity module) in state.firewall. A rule has its port and address
# filters inline; the filter objects carry the rule's Name (InstanceID) so they pipe back to
# Get-NetFirewallRule as on Windows (the cmdlets associate filters and rules by instance id).
# Addresses are returned as Windows returns them: IPv4 subnets in mask form (1.2.3.0/255.255.255.0),
# a single host as the bare address, IPv6 as prefix/length (NetworkingDsc #169; field notes).

function ConvertTo-ModelFirewallAddress([string]$Value) {
  if ($Value -eq 'Any') { return 'Any' }
  if ($Value -match '-' -or $Value -match '^[A-Za-z]') { throw "model: firewall address '$Value' (range or keyword) not modelled" }
  $parts = $Value.Split('/')
  $ip = [System.Net.IPAddress]::Parse($parts[0])
  $v6 = $ip.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6
  $max = 32; if ($v6) { $max = 128 }
  $len = $max
  if ($parts.Count -gt 1) { if ($parts[1].Contains('.')) { throw "model: firewall address in mask form as input ('$Value') not modelled" } else { $len = [int]$parts[1] } }
  if ($len -eq $max) { return $ip.ToString() }
  if ($v6) { return ($ip.ToString() + '/' + $len) }
  $bits = ('1' * $len).PadRight(32, '0')
  $maskText = (0..3 | ForEach-Object { [Convert]::ToInt32($bits.Substring($_ * 8, 8), 2) }) -join '.'
  return ($ip.ToString() + '/' + $maskText)
}

function New-ModelRuleObject($Rule) {
  [pscustomobject]@{ Name = $Rule.Name; InstanceID = $Rule.Name; DisplayName = $Rule.DisplayName; Group = $Rule.Group
    Direction = $Rule.Direction; Action = $Rule.Action; Enabled = $Rule.Enabled; Profile = $Rule.Profile; ModelKind = 'rule' }
}

function Get-ModelRules([scriptblock]$Where) { return @((Read-ModelState).firewall | Where-Object $Where) }

function Get-NetFirewallRule {
  [CmdletBinding()]
  param([string[]]$Name, [string[]]$Group, [string[]]$DisplayName, [Parameter(ValueFromPipeline)]$InputObject)
  process {
    if ($InputObject) {
      # a filter piped in: its rule (AssociatedNetFirewallRule)
      foreach ($r in Get-ModelRules { $_.Name -eq $InputObject.InstanceID }) { New-ModelRuleObject $r }
      return
    }
    if ($Name) {
      foreach ($n in $Name) {
        $found = Get-ModelRules { $_.Name -eq $n }
        if ($found.Count -eq 0) { $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord ((New-Object System.Exception "No MSFT_NetFirewallRule objects found with property 'Name' equal to '$n'.  Verify the value of the property and retry.")), 'CmdletizationQuery_NotFound_Name', 'ObjectNotFound', $n)) }
        foreach ($r in $found) { New-ModelRuleObject $r }
      }
      return
    }
    if ($Group) {
      foreach ($g in $Group) {
        $found = Get-ModelRules { $_.Group -eq $g }
        if ($found.Count -eq 0) { $PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord ((New-Object System.Exception "No MSFT_NetFirewallRule objects found with property 'Group' equal to '$g'.  Verify the value of the property and retry.")), 'CmdletizationQuery_NotFound_Group', 'ObjectNotFound', $g)) }
        foreach ($r in $found) { New-ModelRuleObject $r }
      }
      return
    }
    if ($DisplayName) { foreach ($d in $DisplayName) { foreach ($r in Get-ModelRules { $_.DisplayName -eq $d }) { New-ModelRuleObject $r } }; return }
    foreach ($r in Get-ModelRules { $true }) { New-ModelRuleObject $r }
  }
}

function Get-NetFirewallPortFilter {
  [CmdletBinding()]
  param([string]$Protocol, [Parameter(ValueFromPipeline)]$AssociatedNetFirewallRule)
  process {
    $rules = if ($AssociatedNetFirewallRule) { Get-ModelRules { $_.Name -eq $AssociatedNetFirewallRule.Name } } else { Get-ModelRules { $true } }
    foreach ($r in $rules) {
      if ($Protocol -and $r.Protocol -ne $Protocol) { continue }
      $ports = @($r.LocalPort); if ($ports.Count -eq 0) { $ports = @('Any') }
      [pscustomobject]@{ InstanceID = $r.Name; Protocol = $r.Protocol; LocalPort = [string[]]$ports; RemotePort = @('Any'); ModelKind = 'portfilter' }
    }
  }
}

function Get-NetFirewallAddressFilter {
  [CmdletBinding()]
  param([Parameter(ValueFromPipeline)]$AssociatedNetFirewallRule)
  process {
    foreach ($r in Get-ModelRules { $_.Name -eq $AssociatedNetFirewallRule.Name }) {
      $remote = @($r.RemoteAddress); if ($remote.Count -eq 0) { $remote = @('Any') }
      [pscustomobject]@{ InstanceID = $r.Name; RemoteAddress = [string[]]$remote; LocalAddress = @('Any'); ModelKind = 'addressfilter' }
    }
  }
}

$script:ModelRuleParams = @('Direction', 'Action', 'Enabled', 'Profile', 'Protocol', 'LocalPort', 'RemoteAddress', 'DisplayName', 'Group')
function Set-ModelRuleFields($Rule, $Bound) {
  foreach ($k in $Bound.Keys) {
    switch ($k) {
      'LocalPort' { $Rule.LocalPort = @($Bound[$k] | ForEach-Object { [string]$_ }) }
      'RemoteAddress' { $Rule.RemoteAddress = @($Bound[$k] | ForEach-Object { ConvertTo-ModelFirewallAddress ([string]$_) } | Where-Object { $_ -ne 'Any' }) }
      'Enabled' { $Rule.Enabled = [string]$Bound[$k] }
      'Name' { }
      default { if ($script:ModelRuleParams -contains $k) { $Rule[$k] = [string]$Bound[$k] } }
    }
  }
}

function New-NetFirewallRule {
  [CmdletBinding(SupportsShouldProcess)]
  param([string]$Name, [Parameter(Mandatory)][string]$DisplayName, [string]$Group, [ValidateSet('Inbound', 'Outbound')][string]$Direction = 'Inbound',
        [ValidateSet('Allow', 'Block')][string]$Action = 'Allow', [ValidateSet('True', 'False')][string]$Enabled = 'True',
        [ValidateSet('Any', 'Domain', 'Private', 'Public')][string]$Profile = 'Any', [string]$Protocol = 'Any', [string[]]$LocalPort, [string[]]$RemoteAddress)
  Test-ModelKill 'New-NetFirewallRule'
  if (-not $Name) { $Name = '{' + [guid]::NewGuid().ToString() + '}' }   # a rule created without -Name gets a GUID name
  $rule = @{ Name = $Name; DisplayName = $DisplayName; Group = $Group; Direction = $Direction; Action = $Action; Enabled = $Enabled; Profile = $Profile; Protocol = $Protocol; LocalPort = @(); RemoteAddress = @() }
  $bound = @{} + $PSBoundParameters
  Set-ModelRuleFields $rule $bound
  Update-ModelState {
    param($state)
    if (@($state.firewall | Where-Object { $_.Name -eq $Name }).Count -gt 0) { throw 'Cannot create a file when that file already exists.' }
    $state.firewall = @($state.firewall) + @($rule)
  } | Out-Null
  New-ModelRuleObject $rule
}

function Set-NetFirewallRule {
  [CmdletBinding(SupportsShouldProcess)]
  param([Parameter(Mandatory)][string]$Name, [string]$DisplayName, [ValidateSet('Inbound', 'Outbound')][string]$Direction, [ValidateSet('Allow', 'Block')][string]$Action,
        [ValidateSet('True', 'False')][string]$Enabled, [string]$Protocol, [string[]]$LocalPort, [string[]]$RemoteAddress)
  Test-ModelKill 'Set-NetFirewallRule'
  $bound = @{} + $PSBoundParameters
  Update-ModelState {
    param($state)
    $rule = @($state.firewall | Where-Object { $_.Name -eq $Name })
    if ($rule.Count -eq 0) { throw "No MSFT_NetFirewallRule objects found with property 'Name' equal to '$Name'.  Verify the value of the property and retry." }
    Set-ModelRuleFields $rule[0] $bound
  } | Out-Null
}

# Enable-/Disable-NetFirewallRule -Name: sets the rule's Enabled ('True'/'False', as Get-NetFirewallRule
# shows it); a missing name is the NetSecurity not-found error (a terminating one here: the scripts
# call them on rules they just read).
function Set-ModelRuleEnabled([string[]]$Name, [string]$Enabled) {
  Update-ModelState {
    param($state)
    foreach ($n in $Name) {
      $rule = @($state.firewall | Where-Object { $_.Name -eq $n })
      if ($rule.Count -eq 0) { throw "No MSFT_NetFirewallRule objects found with property 'Name' equal to '$n'.  Verify the value of the property and retry." }
      $rule[0].Enabled = $Enabled
    }
  } | Out-Null
}
function Enable-NetFirewallRule {
  [CmdletBinding(SupportsShouldProcess)]
  param([Parameter(Mandatory)][string[]]$Name)
  Test-ModelKill 'Enable-NetFirewallRule'
  Set-ModelRuleEnabled $Name 'True'
}
function Disable-NetFirewallRule {
  [CmdletBinding(SupportsShouldProcess)]
  param([Parameter(Mandatory)][string[]]$Name)
  Test-ModelKill 'Disable-NetFirewallRule'
  Set-ModelRuleEnabled $Name 'False'
}

function Remove-NetFirewallRule {
  [CmdletBinding(SupportsShouldProcess)]
  param([string[]]$Name, [Parameter(ValueFromPipeline)]$InputObject)
  process {
    Test-ModelKill 'Remove-NetFirewallRule'
    $names = @($Name) + @($InputObject | ForEach-Object { $_.Name }) | Where-Object { $_ }
    Update-ModelState { param($state) $state.firewall = @($state.firewall | Where-Object { $names -notcontains $_.Name }) } | Out-Null
  }
}
