"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FIREWALL_GROUP = void 0;
exports.firewallRuleName = firewallRuleName;
exports.firewallRemoteAddresses = firewallRemoteAddresses;
exports.renderFirewall = renderFirewall;
/**
 * Windows Firewall, in one group of ours (`NOVA (nova-infra)`), rules with a unique `-Name`.
 * direct mode: exactly one inbound TCP rule on the app port whose RemoteAddress is all of Cloudflare's
 * IPv4 and IPv6 ranges. The comparison normalises both sides the same way (mask form `1.2.3.0/255.255.255.0`
 * → `1.2.3.0/24`, bare address → /32 or /128, IPv6 through .NET's canonical text) and updates the rule
 * only when it differs. tunnel mode: no inbound rule (ours is removed). In both modes any other rule in
 * our group is stale and removed; rules outside our group are never touched (the audit lists other
 * inbound allow rules on the port). Delete removes our group's rules.
 */
const powershell_1 = require("../../powershell");
const cidr_1 = require("../cidr");
const script_1 = require("../script");
exports.FIREWALL_GROUP = "NOVA (nova-infra)";
function firewallRuleName(cfg) {
    return `nova-infra-${cfg.stack}-tcp-${cfg.appPort}-in`;
}
const SETUP = String.raw `function ConvertTo-NovaCidr([string]$Value) {
  $parts = $Value.Trim().Split('/')
  $address = [System.Net.IPAddress]::Parse($parts[0])
  $prefix = 32
  if ($address.AddressFamily -eq [System.Net.Sockets.AddressFamily]::InterNetworkV6) { $prefix = 128 }
  if ($parts.Count -gt 1) {
    if ($parts[1].Contains('.')) {
      $bits = (([System.Net.IPAddress]::Parse($parts[1]).GetAddressBytes()) | ForEach-Object { [Convert]::ToString($_, 2).PadLeft(8, '0') }) -join ''
      $prefix = $bits.TrimEnd('0').Length
    } else { $prefix = [int]$parts[1] }
  }
  return ($address.ToString() + '/' + $prefix)
}
function Get-NovaCidrText($Values) {
  $list = @(@($Values) | Where-Object { $_ -and ($_ -ne 'Any') } | ForEach-Object { ConvertTo-NovaCidr ([string]$_) })
  return (($list | Sort-Object -Unique) -join ',')
}
function Get-NovaGroupRuleNames([string]$Except) {
  $rules = @(Get-NetFirewallRule -Group $NovaGroup -ErrorAction SilentlyContinue | Where-Object { $_.Name -ne $Except })
  return ((@($rules | ForEach-Object { $_.Name }) | Sort-Object) -join ',')
}
function Remove-NovaGroupRules([string]$Except) {
  Get-NetFirewallRule -Group $NovaGroup -ErrorAction SilentlyContinue | Where-Object { $_.Name -ne $Except } | Remove-NetFirewallRule
}
function Get-NovaRule { return (Get-NetFirewallRule -Name $NovaRuleName -ErrorAction SilentlyContinue) }
function Get-NovaRuleSettings {
  $rule = Get-NovaRule
  if ($null -eq $rule) { return 'missing' }
  $ports = $rule | Get-NetFirewallPortFilter
  return ('{0};{1};{2};{3};{4}' -f $rule.Direction, $rule.Action, $rule.Enabled, $ports.Protocol, (@($ports.LocalPort) -join ','))
}
function Get-NovaRuleAddresses {
  $rule = Get-NovaRule
  if ($null -eq $rule) { return 'missing' }
  return (Get-NovaCidrText ($rule | Get-NetFirewallAddressFilter).RemoteAddress)
}
function Get-NovaForeignRules([string]$Port) {
  $rules = Get-NetFirewallPortFilter -Protocol TCP | Where-Object { @($_.LocalPort) -contains $Port } | Get-NetFirewallRule |
    Where-Object { ($_.Group -ne $NovaGroup) -and ([string]$_.Direction -eq 'Inbound') -and ([string]$_.Enabled -eq 'True') -and ([string]$_.Action -eq 'Allow') }
  return ((@($rules | ForEach-Object { $_.Name }) | Sort-Object) -join ',')
}`;
function staleCheck(except) {
    return {
        item: "stale-rules",
        desired: "''",
        actual: `(Get-NovaGroupRuleNames ${except})`,
        fix: `Remove-NovaGroupRules ${except}`,
    };
}
function directChecks(cfg) {
    const port = (0, powershell_1.psInt)(cfg.appPort);
    const create = [
        "New-NetFirewallRule -Name $NovaRuleName -DisplayName $NovaRuleDisplay -Group $NovaGroup -Direction Inbound",
        `  -Action Allow -Enabled True -Profile Any -Protocol TCP -LocalPort ${port} -RemoteAddress $NovaCidrs | Out-Null`,
    ].join(" `\n");
    return [
        staleCheck("$NovaRuleName"),
        {
            item: "rule",
            desired: "'present'",
            actual: "& { if ($null -ne (Get-NovaRule)) { 'present' } else { 'missing' } }",
            fix: create,
        },
        {
            item: "rule-settings",
            desired: (0, powershell_1.psQuote)(`Inbound;Allow;True;TCP;${cfg.appPort}`),
            actual: "(Get-NovaRuleSettings)",
            fix: `Set-NetFirewallRule -Name $NovaRuleName -Direction Inbound -Action Allow -Enabled True -Protocol TCP -LocalPort ${port}`,
        },
        {
            item: "remote-addresses",
            desired: "(Get-NovaCidrText $NovaCidrs)",
            actual: "(Get-NovaRuleAddresses)",
            fix: "Set-NetFirewallRule -Name $NovaRuleName -RemoteAddress $NovaCidrs",
        },
        {
            item: "other-inbound-rules-on-port",
            desired: "''",
            actual: `(Get-NovaForeignRules ${(0, powershell_1.psQuote)(String(cfg.appPort))})`,
            auditOnly: true,
        },
    ];
}
/** The remote addresses of the direct-mode rule: all of Cloudflare's ranges, canonical and sorted. */
function firewallRemoteAddresses(ranges) {
    if (ranges.ipv4.length === 0 || ranges.ipv6.length === 0) {
        throw new Error("direct mode needs Cloudflare's IPv4 and IPv6 ranges");
    }
    return (0, cidr_1.normalizeCidrList)([...ranges.ipv4, ...ranges.ipv6]);
}
function renderFirewall(cfg, _host, ranges) {
    const vars = [`$NovaGroup = ${(0, powershell_1.psQuote)(exports.FIREWALL_GROUP)}`, `$NovaRuleName = ${(0, powershell_1.psQuote)(firewallRuleName(cfg))}`];
    let checks;
    if (cfg.ingressMode === "direct") {
        vars.push(`$NovaRuleDisplay = ${(0, powershell_1.psQuote)(`NOVA backend TCP ${cfg.appPort} from Cloudflare (${cfg.stack})`)}`, `$NovaCidrs = [string[]]${(0, powershell_1.psArray)(firewallRemoteAddresses(ranges))}`);
        checks = directChecks(cfg);
    }
    else {
        checks = [staleCheck("''")];
    }
    const deleteBody = [
        `$rules = @(Get-NetFirewallRule -Group ${(0, powershell_1.psQuote)(exports.FIREWALL_GROUP)} -ErrorAction SilentlyContinue)`,
        "if ($rules.Count -gt 0) { $rules | Remove-NetFirewallRule; Add-NovaChange ('removed ' + $rules.Count + ' rules') }",
    ].join("\n");
    return (0, script_1.renderStep)("firewall", { setup: `${vars.join("\n")}\n${SETUP}`, checks }, deleteBody);
}
