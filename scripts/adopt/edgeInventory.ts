/** What the zone (and, with the account id, the account's tunnels) holds that concerns the stack's hostnames. */
import type { NovaConfig } from "../../components/types";
import { apiErrorText, type Client, type CloudflareTunnel, type EdgeApi, type PageRule, type Phase, type PhaseGetResponse, type RecordResponse, statusOf } from "../shared/cloudflare/api";

/**
 * Entry-point phases adopt reads: those the program can own (redirect, transform, cache, origin,
 * managed WAF). The program owns the origin phase when a direct-mode hostname needs an Origin Rule;
 * otherwise a hand-made origin rule there would still change where requests go, so it is listed.
 */
export const INSPECTED_PHASES: readonly Phase[] = [
    "http_request_dynamic_redirect",
    "http_request_transform",
    "http_request_cache_settings",
    "http_request_origin",
    "http_request_firewall_managed",
];

/** The guide's tunnel name (`cloudflared tunnel create nova-tunnel`). */
export const GUIDE_TUNNEL_NAME = "nova-tunnel";

export interface TunnelFound {
    readonly tunnel: CloudflareTunnel;
    /** The connectors connected now. */
    readonly connections: readonly Client[];
}

export interface EdgeInventory {
    readonly zoneId: string;
    /** Records named like one of the stack's hostnames. */
    readonly records: readonly RecordResponse[];
    /** Page Rules whose target URL is on one of the stack's hostnames. */
    readonly pageRules: readonly PageRule[];
    /** The entry points that exist, by phase. */
    readonly entrypoints: readonly PhaseGetResponse[];
    /** Phases the program does not own whose entry point the token may not read (403). */
    readonly unreadPhases: readonly string[];
    /** Tunnels of the account that concern the stack (see `tunnelConcerns`); undefined without the account id. */
    readonly tunnels?: readonly TunnelFound[];
    /** Why the tunnels could not be read (the zone's objects were). */
    readonly tunnelsUnread?: string;
}

/** The stack's hostnames: the main one, and in tunnel mode the extra ones routed through the tunnel. */
export function stackHostnames(cfg: NovaConfig): string[] {
    return [cfg.hostname, ...(cfg.ingressMode === "tunnel" ? cfg.tunnel.extraHostnames : [])].map((h) => h.toLowerCase());
}

/** The host of a Page Rule target (`https://host/path*`, `host/path`, `*host/*`), lower case. */
export function targetHost(value: string): string {
    return value.replace(/^[a-z]+:\/\//i, "").split("/")[0].toLowerCase();
}

/** The tunnel id a CNAME content names (`<id>.cfargotunnel.com`), if it is one. */
export function tunnelIdOfTarget(content: string | undefined): string | undefined {
    const m = /^([0-9a-f-]{36})\.cfargotunnel\.com\.?$/i.exec(content ?? "");
    return m ? m[1].toLowerCase() : undefined;
}

/**
 * Whether a tunnel concerns the stack: it is the guide's (`nova-tunnel`), it is named like the
 * hostname or its first label, a record of ours points at it, or it has the program's tunnel name.
 */
export function tunnelConcerns(t: CloudflareTunnel, cfg: NovaConfig, records: readonly RecordResponse[], programName: string | undefined): boolean {
    const name = (t.name ?? "").toLowerCase();
    const names = new Set([GUIDE_TUNNEL_NAME, cfg.hostname.toLowerCase(), cfg.hostname.split(".")[0].toLowerCase(), ...(programName ? [programName.toLowerCase()] : [])]);
    const targets = new Set(records.map((r) => tunnelIdOfTarget(r.content)).filter((x): x is string => x !== undefined));
    return names.has(name) || (t.id !== undefined && targets.has(t.id.toLowerCase()));
}

/**
 * Reads what the zone holds for the stack. Throws the API's error when a call fails, except a refused
 * read (403) of a phase the program does not own (`ownedPhases`): the token needs no permission there.
 */
export async function readEdge(api: EdgeApi, cfg: NovaConfig, zoneId: string, programTunnelName: string | undefined, ownedPhases: readonly string[]): Promise<EdgeInventory> {
    const hosts = stackHostnames(cfg);
    const records = (await Promise.all(hosts.map((h) => api.records(zoneId, h)))).flat();
    const pageRules = (await api.pageRules(zoneId)).filter((p) => p.targets.some((t) => t.constraint !== undefined && hosts.includes(targetHost(t.constraint.value))));
    const entrypoints: PhaseGetResponse[] = [];
    const unreadPhases: string[] = [];
    for (const phase of [...new Set([...INSPECTED_PHASES, ...(ownedPhases as Phase[])])]) {
        try {
            const ep = await api.entrypoint(zoneId, phase);
            if (ep !== undefined) entrypoints.push(ep);
        } catch (err) {
            if (statusOf(err) !== 403 || ownedPhases.includes(phase)) throw err;
            unreadPhases.push(phase);
        }
    }
    if (!cfg.accountId) return { zoneId, records, pageRules, entrypoints, unreadPhases };
    const accountId = cfg.accountId;
    try {
        const concerned = (await api.tunnels(accountId)).filter((t) => t.id !== undefined && tunnelConcerns(t, cfg, records, programTunnelName));
        const tunnels = await Promise.all(concerned.map(async (tunnel) => ({ tunnel, connections: await api.tunnelConnections(accountId, tunnel.id as string) })));
        return { zoneId, records, pageRules, entrypoints, unreadPhases, tunnels };
    } catch (err) {
        return { zoneId, records, pageRules, entrypoints, unreadPhases, tunnelsUnread: apiErrorText(err) };
    }
}
