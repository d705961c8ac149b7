/**
 * Windows Firewall, in one group per stack (`NOVA (nova-infra <stack>)`), rules with a unique `-Name`
 * that holds the stack, so stacks sharing a host never touch each other's rules.
 * direct mode: exactly one inbound TCP rule on the app port whose RemoteAddress is all of Cloudflare's
 * IPv4 and IPv6 ranges. The comparison reads both sides as the set of addresses they match (CIDR, mask
 * form `1.2.3.0/255.255.255.0`, bare address, and the `a-b` ranges Windows Firewall returns once it has
 * merged adjacent or covered entries: falahati/WindowsFirewallHelper#64), as merged first-last ranges,
 * and updates the rule only when they differ. tunnel mode: no inbound rule (ours is removed). In both modes any other rule in
 * our group is stale and removed; rules outside our group are never touched (the audit lists other
 * inbound allow rules on the port). Rules of this stack left in the group every stack used before
 * (`NOVA (nova-infra)`) are stale and removed too; that group's other rules are left alone.
 * The guide's rules on the app port ("NOVA Backend", open to any address, and "NOVA Backend -
 * Cloudflare <ip>"), in both modes: disabled (item `guide:open-rules`) and their names recorded under
 * `HKLM:\SOFTWARE\nova-infra\<stack>` (value GuideFirewallRules), so delete enables exactly them again.
 * Delete removes our group's rules.
 */
import { psArray, psInt, psQuote } from "../../powershell";
import { escapeRegExp } from "../../regex";
import type { HostConfig, NovaConfig } from "../../types";
import { normalizeCidrList } from "../cidr";
import { type Check, type StepScripts, renderStep } from "../script";

/** The group every stack shared before groups were per stack. */
export const LEGACY_FIREWALL_GROUP = "NOVA (nova-infra)";

/** The firewall group of a stack's rules. */
export function firewallGroup(cfg: NovaConfig): string {
    return `NOVA (nova-infra ${cfg.stack})`;
}

/** Registry key where a stack records what it displaced on the host. */
export function stackStateKey(cfg: NovaConfig): string {
    return `HKLM:\\SOFTWARE\\nova-infra\\${cfg.stack}`;
}

/** Display names of the guide's rules: the open one, and the per-address ones (prefix). */
export const GUIDE_RULE_NAME = "NOVA Backend";
export const GUIDE_RULE_PREFIX = "NOVA Backend - Cloudflare ";

export function firewallRuleName(cfg: NovaConfig): string {
    return `nova-infra-${cfg.stack}-tcp-${cfg.appPort}-in`;
}

/** Cloudflare's ranges as given by cloudflare.getIpRanges. */
export interface CloudflareRanges {
    readonly ipv4: readonly string[];
    readonly ipv6: readonly string[];
}

const SETUP = String.raw`function ConvertTo-NovaHex($Bytes) { return ((@($Bytes) | ForEach-Object { $_.ToString('x2') }) -join '') }
function ConvertFrom-NovaHex([string]$Hex) {
  $b = [byte[]]@(for ($i = 0; $i -lt $Hex.Length; $i += 2) { [Convert]::ToByte($Hex.Substring($i, 2), 16) })
  return (New-Object System.Net.IPAddress (,$b)).ToString()
}
# An address filter entry (an address, a subnet by prefix or by mask, or a range a-b: Windows Firewall
# returns covered or adjacent entries merged, falahati/WindowsFirewallHelper#64) as its first and last
# address in hex, one length per family, so ordinal order is address order.
function ConvertTo-NovaRange([string]$Value) {
  $ends = $Value.Split('-')
  $parts = $ends[0].Trim().Split('/')
  $bytes = [System.Net.IPAddress]::Parse($parts[0]).GetAddressBytes()
  if ($ends.Count -gt 1) { return ,@((ConvertTo-NovaHex $bytes), (ConvertTo-NovaHex ([System.Net.IPAddress]::Parse($ends[1].Trim()).GetAddressBytes()))) }
  $prefix = $bytes.Length * 8
  if ($parts.Count -gt 1) {
    if ($parts[1].Contains('.')) { $prefix = ((@([System.Net.IPAddress]::Parse($parts[1]).GetAddressBytes()) | ForEach-Object { [Convert]::ToString($_, 2) }) -join '').TrimEnd('0').Length }
    else { $prefix = [int]$parts[1] }
  }
  $low = ''; $high = ''
  for ($i = 0; $i -lt $bytes.Length; $i++) {
    $mask = (0xFF -shl (8 - [Math]::Max(0, [Math]::Min(8, $prefix - 8 * $i)))) -band 0xFF
    $low += ($bytes[$i] -band $mask).ToString('x2'); $high += ($bytes[$i] -bor (0xFF -bxor $mask)).ToString('x2')
  }
  return ,@($low, $high)
}
function Get-NovaNextHex([string]$Hex) {
  $t = $Hex.TrimEnd('f')
  if ($t.Length -eq 0) { return 'g' }
  return $t.Substring(0, $t.Length - 1) + ([Convert]::ToInt32([string]$t[-1], 16) + 1).ToString('x') + ('0' * ($Hex.Length - $t.Length))
}
# The set of addresses a filter matches, as merged ranges first-last: the same set reads the same
# whether written as CIDRs, masks or Windows' merged ranges.
function Get-NovaCidrText($Values) {
  $merged = New-Object System.Collections.Generic.List[object]
  foreach ($r in @(@($Values) | Where-Object { $_ -and ($_ -ne 'Any') } | ForEach-Object { ConvertTo-NovaRange ([string]$_) } | Sort-Object { $_[0].Length }, { $_[0] })) {
    $last = $null
    if ($merged.Count -gt 0) { $last = $merged[$merged.Count - 1] }
    if (($null -ne $last) -and ($last[0].Length -eq $r[0].Length) -and ([string]::CompareOrdinal($r[0], (Get-NovaNextHex $last[1])) -le 0)) {
      if ([string]::CompareOrdinal($r[1], $last[1]) -gt 0) { $last[1] = $r[1] }
    } else { $merged.Add(@($r[0], $r[1])) }
  }
  $text = foreach ($m in $merged) { (ConvertFrom-NovaHex $m[0]) + '-' + (ConvertFrom-NovaHex $m[1]) }
  return (@($text) -join ',')
}
function Get-NovaStaleRules([string]$Except) {
  $rules = @(Get-NetFirewallRule -Group $NovaGroup -ErrorAction SilentlyContinue | Where-Object { $_.Name -ne $Except })
  $rules += @(Get-NetFirewallRule -Group $NovaLegacyGroup -ErrorAction SilentlyContinue | Where-Object { $_.Name -cmatch $NovaRulePattern })
  return $rules
}
function Get-NovaGroupRuleNames([string]$Except) {
  return ((@(Get-NovaStaleRules $Except | ForEach-Object { $_.Name }) | Sort-Object) -join ',')
}
function Remove-NovaGroupRules([string]$Except) {
  Get-NovaStaleRules $Except | Remove-NetFirewallRule
}
function Get-NovaGuideRules([string]$Port) {
  $rules = Get-NetFirewallPortFilter -Protocol TCP | Where-Object { @($_.LocalPort) -contains $Port } | Get-NetFirewallRule |
    Where-Object { ([string]$_.Direction -eq 'Inbound') -and ([string]$_.Enabled -eq 'True') -and (($_.DisplayName -eq $NovaGuideRule) -or $_.DisplayName.StartsWith($NovaGuidePrefix)) }
  return @($rules | ForEach-Object { $_.Name } | Sort-Object -Unique)
}
function Disable-NovaGuideRules([string]$Port) {
  $names = @(Get-NovaGuideRules $Port)
  if (-not (Test-Path -LiteralPath $NovaStateKey)) { New-Item -Path $NovaStateKey -Force | Out-Null }
  $recorded = @((Get-Item -LiteralPath $NovaStateKey).GetValue('GuideFirewallRules', @()))
  # Recorded before they are disabled: a failure in between leaves nothing unrecorded.
  Set-ItemProperty -LiteralPath $NovaStateKey -Name 'GuideFirewallRules' -Type MultiString -Value ([string[]]@(@($recorded) + $names | Sort-Object -Unique))
  foreach ($name in $names) { Disable-NetFirewallRule -Name $name }
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


function guideCheck(cfg: NovaConfig): Check {
    const port = psQuote(String(cfg.appPort));
    return { item: "guide:open-rules", desired: "''", actual: `((Get-NovaGuideRules ${port}) -join ',')`, fix: `Disable-NovaGuideRules ${port}` };
}

function staleCheck(except: string): Check {
    return {
        item: "stale-rules",
        desired: "''",
        actual: `(Get-NovaGroupRuleNames ${except})`,
        fix: `Remove-NovaGroupRules ${except}`,
    };
}

function directChecks(cfg: NovaConfig): Check[] {
    const port = psInt(cfg.appPort);
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
            desired: psQuote(`Inbound;Allow;True;TCP;${cfg.appPort}`),
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
            actual: `(Get-NovaForeignRules ${psQuote(String(cfg.appPort))})`,
            auditOnly: true,
        },
    ];
}

/** The remote addresses of the direct-mode rule: all of Cloudflare's ranges, canonical and sorted. */
export function firewallRemoteAddresses(ranges: CloudflareRanges): string[] {
    if (ranges.ipv4.length === 0 || ranges.ipv6.length === 0) {
        throw new Error("direct mode needs Cloudflare's IPv4 and IPv6 ranges");
    }
    return normalizeCidrList([...ranges.ipv4, ...ranges.ipv6]);
}

export function renderFirewall(cfg: NovaConfig, _host: HostConfig, ranges: CloudflareRanges): StepScripts {
    const vars = [
        `$NovaGroup = ${psQuote(firewallGroup(cfg))}`,
        `$NovaLegacyGroup = ${psQuote(LEGACY_FIREWALL_GROUP)}`,
        `$NovaRuleName = ${psQuote(firewallRuleName(cfg))}`,
        `$NovaRulePattern = ${psQuote(`^${escapeRegExp(`nova-infra-${cfg.stack}-tcp-`)}[0-9]+-in$`)}`,
        `$NovaGuideRule = ${psQuote(GUIDE_RULE_NAME)}`,
        `$NovaGuidePrefix = ${psQuote(GUIDE_RULE_PREFIX)}`,
        `$NovaStateKey = ${psQuote(stackStateKey(cfg))}`,
    ];
    let checks: Check[];
    if (cfg.ingressMode === "direct") {
        vars.push(
            `$NovaRuleDisplay = ${psQuote(`NOVA backend TCP ${cfg.appPort} from Cloudflare (${cfg.stack})`)}`,
            `$NovaCidrs = [string[]]${psArray(firewallRemoteAddresses(ranges))}`,
        );
        checks = [...directChecks(cfg), guideCheck(cfg)];
    } else {
        checks = [staleCheck("''"), guideCheck(cfg)];
    }
    const stateKey = psQuote(stackStateKey(cfg));
    const deleteBody = [
        `$rules = @(Get-NetFirewallRule -Group ${psQuote(firewallGroup(cfg))} -ErrorAction SilentlyContinue)`,
        "if ($rules.Count -gt 0) { $rules | Remove-NetFirewallRule; Add-NovaChange ('removed ' + $rules.Count + ' rules') }",
        `if (Test-Path -LiteralPath ${stateKey}) {`,
        `  foreach ($name in @((Get-Item -LiteralPath ${stateKey}).GetValue('GuideFirewallRules', @()))) {`,
        "    if ($null -ne (Get-NetFirewallRule -Name $name -ErrorAction SilentlyContinue)) { Enable-NetFirewallRule -Name $name; Add-NovaChange ('enabled ' + $name) }",
        "  }",
        `  Remove-ItemProperty -LiteralPath ${stateKey} -Name 'GuideFirewallRules' -ErrorAction SilentlyContinue`,
        "}",
    ].join("\n");
    return renderStep("firewall", { setup: `${vars.join("\n")}\n${SETUP}`, checks }, deleteBody);
}
