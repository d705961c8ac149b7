/**
 * The stack's tunnel as Cloudflare reports it (tunnel mode): found by its name (`nova:tunnelName`) among
 * the account's tunnels, its status, and the connections of its connectors (colo, cloudflared version),
 * through the same SDK calls as adopt (scripts/shared/cloudflare/api.ts).
 */
import type { NovaConfig } from "../../components/types";
import { apiErrorText, type EdgeApi } from "../shared/cloudflare/api";

export interface TunnelConnection {
    readonly colo: string;
    readonly clientVersion: string;
    readonly clientId?: string;
    readonly openedAt?: string;
    readonly originIp?: string;
}

export interface TunnelStatus {
    readonly name: string;
    readonly id?: string;
    /** Cloudflare's status of the tunnel (`healthy`, `degraded`, `down`, `inactive`). */
    readonly status?: string;
    readonly connections: readonly TunnelConnection[];
    readonly problems: readonly string[];
    /** Why Cloudflare could not be asked. */
    readonly error?: string;
}

/** Asks Cloudflare; never throws (a failed call is the `error`). */
export async function tunnelStatus(cfg: NovaConfig, api: EdgeApi | string): Promise<TunnelStatus> {
    const name = cfg.tunnel.name;
    if (typeof api === "string") return { name, connections: [], problems: [], error: api };
    if (!cfg.accountId) return { name, connections: [], problems: [], error: "nova:accountId is not set: the account's tunnels cannot be listed" };
    try {
        const tunnel = (await api.tunnels(cfg.accountId)).find((t) => t.name === name);
        if (tunnel?.id === undefined) return { name, connections: [], problems: [`tunnel ${name} does not exist in the account`] };
        const clients = await api.tunnelConnections(cfg.accountId, tunnel.id);
        const connections = clients.flatMap((c) =>
            (c.conns ?? []).map((k) => ({
                colo: k.colo_name ?? "?",
                clientVersion: k.client_version ?? c.version ?? "?",
                ...(k.client_id ?? c.id ? { clientId: (k.client_id ?? c.id) as string } : {}),
                ...(k.opened_at ? { openedAt: k.opened_at } : {}),
                ...(k.origin_ip ? { originIp: k.origin_ip } : {}),
            })),
        );
        const problems: string[] = [];
        if (tunnel.status !== undefined && tunnel.status !== "healthy") problems.push(`tunnel ${name} is ${tunnel.status}`);
        if (connections.length === 0) problems.push(`tunnel ${name} has no connection`);
        return { name, id: tunnel.id, ...(tunnel.status !== undefined ? { status: tunnel.status } : {}), connections, problems };
    } catch (err) {
        return { name, connections: [], problems: [], error: apiErrorText(err) };
    }
}
