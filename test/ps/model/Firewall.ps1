# Windows Firewall rules (NetSecurity module) in state.firewall. A rule has its port and address
# filters inline; the filter objects carry the rule's Name (InstanceID) so they pipe back to
# Get-NetFirewallRule as on Windows (the cmdlets associate filters and rules by instance id).
# Addresses are returned as Windows returns them: IPv4 subnets in mask form (1.2.3.0/255.255.255.0),
# a single host as the bare address, IPv6 as prefix/length (NetworkingDsc #169; field notes); and the
# filter normalised: covered entries are absorbed and a block that is not one subnet reads back as a
# range a-b (falahati/WindowsFirewallHelper#64, https://github.com/falahati/WindowsFirewallHelper/issues/64:
# 13.110.220.0-13.110.222.200, .234.124, .234.126, 13.110.224.0/20 and 13.110.230.0/24 read back as
# 13.110.224.0/255.255.240.0 and 13.110.220.0-13.110.222.200). Adjacent entries are merged too (the
# reading of nova-infra issue 20; not shown by #64): the stricter of the two for a script reading the
# filter, which must then compare sets of addresses, not entries.

# An entry as [first, last] addresses (BigInteger) and its family's bit count.
function ConvertTo-ModelAddressRange([string]$Value) {
  if ($Value -match '^[A-Za-z]') { throw "model: firewall address keyword '$Value' not modelled" }
  $toInt = { param($ip) $b = $ip.GetAddressBytes(); [Array]::Reverse($b); [System.Numerics.BigInteger]::new([byte[]]($b + [byte]0)) }
  if ($Value.Contains('-')) {
    # a range as input (New-NetFirewallRule -RemoteAddress docs: "IP address range: 1.2.3.4-1.2.3.7")
    $ends = @($Value.Split('-') | ForEach-Object { [System.Net.IPAddress]::Parse($_.Trim()) })
    $range = @{ Low = (& $toInt $ends[0]); High = (& $toInt $ends[1]); Bits = $ends[0].GetAddressBytes().Length * 8 }
    if ($ends.Count -ne 2 -or $ends[0].AddressFamily -ne $ends[1].AddressFamily -or $range.Low -gt $range.High) { throw "model: firewall address range '$Value' (reversed, mixed families) not modelled" }
    return $range
  }
  $parts = $Value.Split('/')
  $ip = [System.Net.IPAddress]::Parse($parts[0])
  $bits = $ip.GetAddressBytes().Length * 8
  $len = $bits
  # input forms the cmdlets take (New-NetFirewallRule -RemoteAddress docs: a subnet by network bit count or by
  # network mask, https://learn.microsoft.com/powershell/module/netsecurity/new-netfirewallrule); a mask that
  # is not contiguous is not modelled
  if ($parts.Count -gt 1) {
    if ($parts[1].Contains('.')) {
      $maskBits = (@([System.Net.IPAddress]::Parse($parts[1]).GetAddressBytes()) | ForEach-Object { [Convert]::ToString($_, 2).PadLeft(8, '0') }) -join ''
      if ($maskBits -notmatch '^1*0*$') { throw "model: firewall address with a non-contiguous mask ('$Value') not modelled" }
      $len = $maskBits.TrimEnd('0').Length
    } else { $len = [int]$parts[1] }
  }
  $size = [System.Numerics.BigInteger]::Pow(2, $bits - $len)
  $low = [System.Numerics.BigInteger]::Divide((& $toInt $ip), $size) * $size
  return @{ Low = $low; High = $low + $size - 1; Bits = $bits }
}
function ConvertFrom-ModelAddressInt([System.Numerics.BigInteger]$Value, [int]$Bits) {
  $bytes = $Value.ToByteArray()
  $out = New-Object byte[] ($Bits / 8)
  for ($i = 0; $i -lt $out.Length -and $i -lt $bytes.Length; $i++) { $out[$out.Length - 1 - $i] = $bytes[$i] }
  return ([System.Net.IPAddress]::new($out)).ToString()
}
# A merged block as Windows shows it: bare host, one subnet (mask form for IPv4), else first-last.
function Format-ModelAddressRange($Range) {
  $count = $Range.High - $Range.Low + 1
  $low = ConvertFrom-ModelAddressInt $Range.Low $Range.Bits
  if ($count -eq 1) { return $low }
  $len = $Range.Bits - [int][System.Numerics.BigInteger]::Log($count, 2)
  $size = [System.Numerics.BigInteger]::Pow(2, $Range.Bits - $len)
  if ($size -ne $count -or ($Range.Low % $size) -ne 0) { return $low + '-' + (ConvertFrom-ModelAddressInt $Range.High $Range.Bits) }
  if ($Range.Bits -eq 128) { return $low + '/' + $len }
  $maskBits = ('1' * $len).PadRight(32, '0')
  return $low + '/' + ((0..3 | ForEach-Object { [Convert]::ToInt32($maskBits.Substring($_ * 8, 8), 2) }) -join '.')
}
function ConvertTo-ModelFirewallAddresses([string[]]$Values) {
  $ranges = @($Values | Where-Object { $_ -ne 'Any' } | ForEach-Object { ConvertTo-ModelAddressRange ([string]$_) } | Sort-Object { $_.Bits }, { $_.Low })
  $merged = New-Object System.Collections.Generic.List[hashtable]
  foreach ($r in $ranges) {
    $last = if ($merged.Count) { $merged[$merged.Count - 1] } else { $null }
    if ($null -ne $last -and $last.Bits -eq $r.Bits -and $r.Low -le $last.High + 1) { if ($r.High -gt $last.High) { $last.High = $r.High } }
    else { $merged.Add(@{ Low = $r.Low; High = $r.High; Bits = $r.Bits }) }
  }
  return @($merged | ForEach-Object { Format-ModelAddressRange $_ })
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
      'RemoteAddress' { $Rule.RemoteAddress = @(ConvertTo-ModelFirewallAddresses ([string[]]$Bound[$k])) }
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
