/**
 * The host half of `npm run status`: read-only scripts sent over the host's transport the way drift
 * sends audits (scripts/shared/audit/hostAudit.ts). One script of its own, `services` (rendered by the steps'
 * audit renderer, so it prints the same `{"step", "items"}` line): for the NOVA service and, in tunnel
 * mode, the Cloudflared service, the SCM's state, start mode, account (Win32_Service) and the uptime of
 * its process (Win32_Process.CreationDate), and the last lines of the app's stderr log. Then, unchanged,
 * the audits of the steps that already answer the rest: `health` (asked on the host itself),
 * `certificate` (direct mode: its expiry) and `firewall` (our rules).
 */
import { hostStdin } from "../../components/host/bootstrap";
import { CLOUDFLARED_SERVICE, stderrLogPath } from "../../components/host/paths";
import { renderAudit, type Check } from "../../components/host/script";
import { serviceAccountName } from "../../components/host/serviceAccount";
import { psInt, psQuote } from "../../components/powershell";
import type { HostConfig, NovaConfig } from "../../components/types";
import type { AuditJob } from "../shared/audit/hostAudit";
import type { HostJob } from "../shared/audit/hosts";

/** The steps whose audits status reads, in the order they run after `services`. */
export const STATUS_AUDITS = ["health", "certificate", "firewall"] as const;
export type StatusQuery = "services" | (typeof STATUS_AUDITS)[number];

/** Lines of the app's stderr log the status shows when the app is not healthy. */
export const STDERR_TAIL_LINES = 20;

/** Windows' LocalSystem, as Win32_Service.StartName reports it (cloudflared installs its service without an account). */
const LOCAL_SYSTEM = "LocalSystem";

const SETUP = String.raw`function Get-NovaServiceRecord([string]$Name) { return (Get-CimInstance -ClassName Win32_Service -Filter ("Name = '" + $Name + "'")) }
function Get-NovaServiceField([string]$Name, [string]$Field) {
  $service = Get-NovaServiceRecord $Name
  if ($null -eq $service) { return 'missing' }
  return [string]$service.$Field
}
function Get-NovaServiceUptime([string]$Name) {
  $service = Get-NovaServiceRecord $Name
  if ($null -eq $service -or [int]$service.ProcessId -eq 0) { return '' }
  $process = Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId = ' + [int]$service.ProcessId)
  if ($null -eq $process) { return '' }
  return [string][int64]([datetime]::Now - $process.CreationDate).TotalSeconds
}
function Get-NovaLogTail([string]$Path, [int]$Lines) {
  if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) { return 'missing' }
  return ((@(Get-Content -LiteralPath $Path -Tail $Lines) | ForEach-Object { [string]$_ }) -join [string][char]10)
}`;

/** The four items of one service, prefixed `<label>:`. */
function serviceChecks(label: string, name: string, account: string): Check[] {
    const n = psQuote(name);
    const always = "$true";
    return [
        { item: `${label}:state`, desired: "'Running'", actual: `(Get-NovaServiceField ${n} 'State')` },
        { item: `${label}:start-mode`, desired: "'Auto'", actual: `(Get-NovaServiceField ${n} 'StartMode')` },
        { item: `${label}:account`, desired: psQuote(account), actual: `(Get-NovaServiceField ${n} 'StartName')`, ok: "([string]$actual -ieq [string]$desired)" },
        { item: `${label}:uptime-seconds`, desired: "''", actual: `(Get-NovaServiceUptime ${n})`, ok: always },
    ];
}

/** The `services` script of a host of `cfg`. */
export function renderServicesQuery(cfg: NovaConfig): string {
    const checks = [
        ...serviceChecks("app", cfg.service.name, serviceAccountName(cfg.service)),
        ...(cfg.ingressMode === "tunnel" ? serviceChecks("cloudflared", CLOUDFLARED_SERVICE, LOCAL_SYSTEM) : []),
        { item: "app:stderr-tail", desired: "''", actual: `(Get-NovaLogTail ${psQuote(stderrLogPath(cfg.service))} ${psInt(STDERR_TAIL_LINES)})`, ok: "$true" },
    ];
    return renderAudit("services", { setup: SETUP, checks });
}

/**
 * Every query of every managed host of the stack, host by host: `services`, then the audits of
 * STATUS_AUDITS that apply (the jobs drift builds, with their secrets documents).
 */
export function statusJobs(cfg: NovaConfig, audits: readonly AuditJob[], hosts: readonly HostConfig[]): HostJob<StatusQuery>[] {
    const services = hostStdin(renderServicesQuery(cfg));
    return hosts.flatMap((host) => [
        { host, step: "services" as const, stdin: services, secretValues: [] },
        ...audits.filter((j): j is AuditJob & { step: StatusQuery } => j.host.name === host.name && (STATUS_AUDITS as readonly string[]).includes(j.step)),
    ]);
}
