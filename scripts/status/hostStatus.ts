/**
 * What the host queries answered, read as the status of one host: each service, the health answer, the
 * certificate's days left (direct mode), our firewall rule, and the app's last stderr lines when the
 * host is not healthy. Every problem is named; a query that could not run is an error, not a problem.
 */
import { CLOUDFLARED_SERVICE } from "../../components/host/paths";
import { firewallRuleName } from "../../components/host/steps/firewall";
import type { NovaConfig } from "../../components/types";
import type { AuditItem } from "../shared/audit/hostAudit";
import type { HostStepResult } from "../shared/audit/hosts";
import type { StatusQuery } from "./hostQuery";

export interface ServiceStatus {
    readonly name: string;
    /** Win32_Service.State (`Running`, `Stopped`, `Paused`, ...), or `missing`. */
    readonly state: string;
    readonly startMode: string;
    readonly account: string;
    /** Seconds since its process started; absent when it has none. */
    readonly uptimeSeconds?: number;
}

export interface HostStatus {
    readonly host: string;
    /** Why the host could not be asked at all (unreachable, refused, timed out). */
    readonly unreachable?: string;
    readonly services: readonly ServiceStatus[];
    /** The health step's probe on the host: its answer, and whether it is the healthy one. */
    readonly health?: { readonly answer: string; readonly ok: boolean };
    /** Direct mode: the origin certificate's expiry (ISO) and whole days left. */
    readonly certificate?: { readonly expiresOn: string; readonly daysLeft?: number; readonly ok: boolean };
    /** Our firewall rule (direct mode), or what tunnel mode has instead. */
    readonly firewall?: { readonly text: string; readonly ok: boolean; readonly enabled?: boolean; readonly addressCount?: number };
    /** The last lines of the app's stderr log, only when the host is not healthy (secrets masked). */
    readonly stderrTail?: readonly string[];
    /** What is wrong, each named. */
    readonly problems: readonly string[];
    /** Queries that could not run. */
    readonly errors: readonly string[];
}

const DAY_MS = 86_400_000;

function itemsOf(results: readonly HostStepResult<StatusQuery>[], step: StatusQuery): Map<string, AuditItem> | undefined {
    const r = results.find((x) => x.step === step);
    return r?.status === "checked" ? new Map(r.items.map((i) => [i.item, i])) : undefined;
}

function service(items: Map<string, AuditItem>, label: string, name: string, problems: string[]): ServiceStatus {
    const get = (k: string) => items.get(`${label}:${k}`);
    const state = get("state")?.actual ?? "unknown";
    const uptime = Number(get("uptime-seconds")?.actual);
    const s: ServiceStatus = { name, state, startMode: get("start-mode")?.actual ?? "unknown", account: get("account")?.actual ?? "unknown", ...(get("uptime-seconds")?.actual && Number.isFinite(uptime) ? { uptimeSeconds: uptime } : {}) };
    if (state === "missing") problems.push(`service ${name} is not installed`);
    else {
        if (get("state")?.ok === false) problems.push(`service ${name} is ${state}`);
        if (get("start-mode")?.ok === false) problems.push(`service ${name} starts ${s.startMode}, not Auto`);
        if (get("account")?.ok === false) problems.push(`service ${name} runs as ${s.account}, not ${get("account")?.desired}`);
    }
    return s;
}

function firewall(cfg: NovaConfig, items: Map<string, AuditItem>, problems: string[]): HostStatus["firewall"] {
    const guide = items.get("guide:open-rules");
    if (guide !== undefined && !guide.ok) problems.push(`the guide's firewall rules are enabled: ${guide.actual}`);
    if (cfg.ingressMode === "tunnel") return { text: "no inbound rule (tunnel mode)", ok: guide?.ok ?? true };
    const name = firewallRuleName(cfg);
    if (items.get("rule")?.actual !== "present") {
        problems.push(`firewall rule ${name} is missing`);
        return { text: `${name}: missing`, ok: false };
    }
    const enabled = (items.get("rule-settings")?.actual ?? "").split(";")[2] === "True";
    // The audit reads the rule's addresses as merged first-last ranges (Windows Firewall merges covered
    // and adjacent entries itself), so this counts ranges, not the entries we gave.
    const remote = items.get("remote-addresses");
    const addresses = (remote?.actual ?? "").split(",").filter((a) => a.length > 0).length;
    const asConfigured = remote?.ok ?? false;
    if (!enabled) problems.push(`firewall rule ${name} is disabled`);
    if (addresses === 0) problems.push(`firewall rule ${name} allows no address`);
    else if (!asConfigured) problems.push(`firewall rule ${name} allows other addresses than Cloudflare's ranges: ${remote?.actual}`);
    return { text: `${name}: ${enabled ? "enabled" : "disabled"}, ${addresses} address ranges`, ok: enabled && addresses > 0 && asConfigured, enabled, addressCount: addresses };
}

function certificate(items: Map<string, AuditItem>, now: Date, problems: string[]): HostStatus["certificate"] {
    const it = items.get("certificate-expiry");
    if (it === undefined) return undefined;
    if (it.actual === "missing") {
        problems.push("no origin certificate installed");
        return { expiresOn: "missing", ok: false };
    }
    const daysLeft = Math.floor((Date.parse(it.actual) - now.getTime()) / DAY_MS);
    if (!it.ok) problems.push(`origin certificate expires in ${daysLeft} days`);
    return { expiresOn: it.actual, daysLeft, ok: it.ok };
}

/** The status of host `host` from its query results (the host's rows of runHostAudits). */
export function hostStatus(cfg: NovaConfig, host: string, results: readonly HostStepResult<StatusQuery>[], now: Date): HostStatus {
    const mine = results.filter((r) => r.host === host);
    const unavailable = mine.filter((r): r is Extract<HostStepResult<StatusQuery>, { status: "unavailable" }> => r.status === "unavailable");
    if (mine.length > 0 && unavailable.length === mine.length && new Set(unavailable.map((u) => u.reason)).size === 1 && !unavailable[0].reason.startsWith("audit ")) {
        return { host, unreachable: unavailable[0].reason, services: [], problems: [], errors: [unavailable[0].reason] };
    }
    const problems: string[] = [];
    const errors = unavailable.map((u) => `${u.step}: ${u.reason}`);
    const svc = itemsOf(mine, "services");
    const services = svc === undefined ? [] : [service(svc, "app", cfg.service.name, problems), ...(cfg.ingressMode === "tunnel" ? [service(svc, "cloudflared", CLOUDFLARED_SERVICE, problems)] : [])];
    const probe = [...(itemsOf(mine, "health")?.values() ?? [])][0];
    const health = probe === undefined ? undefined : { answer: probe.actual, ok: probe.ok };
    if (health !== undefined && !health.ok) problems.push(`health on the host answered ${health.answer}, not ${probe!.desired}`);
    const cert = cfg.ingressMode === "direct" ? itemsOf(mine, "certificate") : undefined;
    const fw = itemsOf(mine, "firewall");
    const status: HostStatus = {
        host,
        services,
        ...(health !== undefined ? { health } : {}),
        ...(cert !== undefined ? { certificate: certificate(cert, now, problems) } : {}),
        ...(fw !== undefined ? { firewall: firewall(cfg, fw, problems) } : {}),
        problems,
        errors,
    };
    const tail = svc?.get("app:stderr-tail")?.actual;
    const unhealthy = problems.length > 0 || errors.length > 0;
    return unhealthy && tail !== undefined && tail !== "missing" && tail.length > 0 ? { ...status, stderrTail: tail.split("\n") } : status;
}
