/**
 * Windows Firewall, in one group per stack (`NOVA (nova-infra <stack>)`), rules with a unique `-Name`
 * that holds the stack, so stacks sharing a host never touch each other's rules.
 * direct mode: exactly one inbound TCP rule on the app port whose RemoteAddress is all of Cloudflare's
 * IPv4 and IPv6 ranges. The comparison normalises both sides the same way (mask form `1.2.3.0/255.255.255.0`
 * → `1.2.3.0/24`, bare address → /32 or /128, IPv6 through .NET's canonical text) and updates the rule
 * only when it differs. tunnel mode: no inbound rule (ours is removed). In both modes any other rule in
 * our group is stale and removed; rules outside our group are never touched (the audit lists other
 * inbound allow rules on the port). Rules of this stack left in the group every stack used before
 * (`NOVA (nova-infra)`) are stale and removed too; that group's other rules are left alone.
 * The guide's rules on the app port ("NOVA Backend", open to any address, and "NOVA Backend -
 * Cloudflare <ip>"), in both modes: disabled (item `guide:open-rules`) and their names recorded under
 * `HKLM:\SOFTWARE\nova-infra\<stack>` (value GuideFirewallRules), so delete enables exactly them again.
 * Delete removes our group's rules.
 */
import { psArray, psInt, psQuote } from "../../powershell";
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

const SETUP = String.raw`function ConvertTo-NovaCidr([string]$Value) {
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

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

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
        `$NovaRulePattern = ${psQuote(`^${escapeRegex(`nova-infra-${cfg.stack}-tcp-`)}[0-9]+-in$`)}`,
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
