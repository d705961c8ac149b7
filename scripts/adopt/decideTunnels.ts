/** The pure decisions for the account's tunnels that concern the stack: the program's own, and the ones it replaces. */
import type { NovaConfig } from "../../components/types";
import type { StateIds } from "./decideEdge";
import { type EdgeInventory, GUIDE_TUNNEL_NAME, stackHostnames, type TunnelFound, tunnelIdOfTarget } from "./edgeInventory";
import type { ProgramEdge } from "./programEdge";
import type { AdoptRow } from "./rows";

function tunnelText(f: TunnelFound): string {
    const t = f.tunnel;
    return `tunnel ${t.name ?? "?"} (config_src ${t.config_src ?? "?"}, status ${t.status ?? "?"}, ${f.connections.length} connector${f.connections.length === 1 ? "" : "s"})`;
}

/** The stack's hostnames whose record points at this tunnel. */
export function hostsPointingAt(inv: EdgeInventory, cfg: NovaConfig, tunnelId: string): string[] {
    const hosts = stackHostnames(cfg);
    return inv.records.filter((r) => r.type === "CNAME" && tunnelIdOfTarget(r.content) === tunnelId.toLowerCase() && hosts.includes(r.name.toLowerCase())).map((r) => r.name);
}

/** Whether the API reports a tunnel up: status healthy and at least one connector connected. */
export function tunnelHealthy(f: TunnelFound): boolean {
    return f.tunnel.status === "healthy" && f.connections.length > 0;
}

/** The program's tunnel among those found: the one in the stack's state, else none. */
export function programTunnel(inv: EdgeInventory, edge: ProgramEdge, state: StateIds): TunnelFound | undefined {
    const id = edge.tunnel ? state.get(edge.tunnel.resource.urn) : undefined;
    return id === undefined ? undefined : (inv.tunnels ?? []).find((f) => f.tunnel.id === id);
}

export function decideTunnels(inv: EdgeInventory, cfg: NovaConfig, edge: ProgramEdge, state: StateIds): AdoptRow[] {
    const ours = programTunnel(inv, edge, state);
    return (inv.tunnels ?? []).map((f): AdoptRow => {
        const t = f.tunnel;
        const base = { kind: "tunnel" as const, object: tunnelText(f), id: t.id ?? "" };
        if (ours !== undefined && t.id === ours.tunnel.id) {
            return { ...base, action: "keep", tunnel: "ours", why: `the program's tunnel (${edge.tunnel?.resource.name}), ${tunnelHealthy(f) ? "healthy" : "not healthy yet"}` };
        }
        if (edge.tunnel !== undefined && t.name === edge.tunnel.name) {
            return { ...base, action: "remove", tunnel: "same-name", why: `it has the program's tunnel name (nova:tunnelName ${edge.tunnel.name}) but is not in the stack: creating the program's tunnel fails on the name; delete it or choose another nova:tunnelName` };
        }
        const reasons = [
            ...(t.name === GUIDE_TUNNEL_NAME ? [`the guide's tunnel (cloudflared tunnel create ${GUIDE_TUNNEL_NAME})`] : []),
            ...(t.config_src === "local" ? ["locally managed (config.yml and a credentials file on the server)"] : []),
            ...hostsPointingAt(inv, cfg, t.id ?? "").map((h) => `${h} points at it`),
        ];
        const what = reasons.length > 0 ? reasons.join("; ") : `named after ${cfg.hostname}`;
        if (cfg.ingressMode === "direct") {
            return { ...base, action: "remove", tunnel: "old", why: `${what}; direct mode uses no tunnel: delete it once the A record serves (--delete-old-tunnel)` };
        }
        return { ...base, action: "replace", tunnel: "old", why: `${what}; the program's remotely-managed tunnel replaces it: delete it once ours is healthy (--delete-old-tunnel)` };
    });
}
