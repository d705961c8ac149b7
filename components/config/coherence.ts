/**
 * Values that are each valid but cannot hold together: the app port on a port the host's management
 * transport needs, two hosts at one address, paths whose cache rules conflict, and a step timeout that
 * ends a wait before the wait can. Pure: each returns one message per category found, naming the keys,
 * the values and what is accepted.
 */
import { CONNECTOR_READY_SECONDS } from "../host/steps/oldTunnel";
import { SERVICE_GONE_SECONDS } from "../host/steps/cloudflared";
import { SERVICE_SETTLE_SECONDS } from "../host/steps/serviceControl";
import type { HostConfig, NovaConfig } from "../types";
import { fullKey } from "./keys";
import { show } from "./words";

/** Ports Windows' own remote management listens on: OpenSSH, WinRM over HTTP and over HTTPS. */
export const MANAGEMENT_PORTS: readonly number[] = [22, 5985, 5986];

/** The app port may not be a port the hosts are managed through (theirs, or Windows' defaults). */
export function managementPortProblems(appPort: number, hosts: readonly HostConfig[]): string[] {
    const taken = hosts.map((h, i) => ({ key: `${fullKey("hosts")}[${i}].port`, port: h.port }));
    const clash = taken.filter((t) => t.port === appPort);
    if (clash.length === 0 && !MANAGEMENT_PORTS.includes(appPort)) return [];
    const keys = [fullKey("appPort"), ...clash.map((c) => c.key)].join(", ");
    const hostPorts = taken.map((t) => `${t.key} ${t.port}`).join(", ");
    return [`${keys}: expected an app port other than the hosts' management ports (${MANAGEMENT_PORTS.join(", ")}: ssh and WinRM; ${hostPorts}), got ${appPort}`];
}

/** Two hosts at one address (case ignored) would be deployed twice, each run undoing the other's. */
export function duplicateAddressProblems(hosts: readonly HostConfig[]): string[] {
    const problems: string[] = [];
    hosts.forEach((h, i) => {
        const first = hosts.findIndex((o) => o.address.toLowerCase() === h.address.toLowerCase());
        if (first !== i) {
            problems.push(`${fullKey("hosts")}[${first}].address, ${fullKey("hosts")}[${i}].address: expected an address used by one host only, got ${show(h.address)} twice`);
        }
    });
    return problems;
}

const within = (inner: string, outer: string) => inner.toLowerCase() === outer.toLowerCase() || inner.toLowerCase().startsWith(`${outer.toLowerCase()}/`);

/**
 * The SPA and its assets are cached at the edge, the API and the WebSocket never: a never-cached path
 * equal to, under or above a cached one makes both rules match the same requests. One message per
 * never-cached path, naming every cached path it meets (paths compare case-blind, as the rules do).
 */
export function pathOverlapProblems(paths: NovaConfig["paths"]): string[] {
    const cached = [["spaPath", paths.spa], ["assetsPath", paths.assets]] as const;
    const uncached = [["apiPath", paths.api], ["wsPath", paths.ws]] as const;
    const problems: string[] = [];
    for (const [uKey, u] of uncached) {
        const met = cached.filter(([, c]) => within(u, c) || within(c, u));
        if (met.length === 0) continue;
        const how = met.map(([cKey, c]) => `${u.toLowerCase() === c.toLowerCase() ? "equal to" : within(u, c) ? "under" : "above"} ${show(c)} (${cKey})`);
        problems.push(
            `${[uKey, ...met.map(([cKey]) => cKey)].map(fullKey).join(", ")}: expected paths apart (${uKey} is never cached, ${met.map(([cKey]) => cKey).join(" and ")} cached at the edge), ` +
                `got ${show(u)} ${how.join(" and ")}`,
        );
    }
    return problems;
}

/** Waits a step makes, seconds: a step must be allowed to run longer than each. */
export function stepWaits(healthTimeoutSeconds: number): { what: string; seconds: number }[] {
    return [
        { what: `${fullKey("healthTimeoutSeconds")} ${healthTimeoutSeconds} (the health step's wait, plus one 5 s probe)`, seconds: healthTimeoutSeconds + 5 },
        { what: `a service's pending state (${SERVICE_SETTLE_SECONDS} s)`, seconds: SERVICE_SETTLE_SECONDS },
        { what: `a service marked for deletion (${SERVICE_GONE_SECONDS} s)`, seconds: SERVICE_GONE_SECONDS },
        { what: `the new connector's first connection (${CONNECTOR_READY_SECONDS} s)`, seconds: CONNECTOR_READY_SECONDS },
    ];
}

/** The step timeout must outlast every wait a step makes, else the step fails while the wait could still succeed. */
export function timeoutProblems(healthTimeoutSeconds: number, stepTimeoutSeconds: number): string[] {
    const waits = stepWaits(healthTimeoutSeconds);
    const longest = Math.max(...waits.map((w) => w.seconds));
    if (stepTimeoutSeconds > longest) return [];
    const keys = [fullKey("stepTimeoutSeconds"), ...(healthTimeoutSeconds + 5 >= stepTimeoutSeconds ? [fullKey("healthTimeoutSeconds")] : [])].join(", ");
    return [`${keys}: expected ${fullKey("stepTimeoutSeconds")} longer than every wait of a step (${waits.map((w) => w.what).join("; ")}), got ${stepTimeoutSeconds}`];
}

/** Every combination problem of a parsed configuration. */
export function coherenceProblems(config: NovaConfig): string[] {
    return [
        ...managementPortProblems(config.appPort, config.hosts),
        ...duplicateAddressProblems(config.hosts),
        ...pathOverlapProblems(config.paths),
        ...timeoutProblems(config.healthTimeoutSeconds, config.stepTimeoutSeconds),
    ];
}
