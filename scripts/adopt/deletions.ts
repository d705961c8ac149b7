/**
 * The two explicit deletions of adopt, and the checks that refuse them: Page Rules go only once the
 * program's Rules that do their work are in the zone; an old tunnel goes only once the program's
 * tunnel is healthy, no hostname of the stack points at the old one and no connector runs on it.
 * A refusal deletes nothing.
 */
import type { NovaConfig } from "../../components/types";
import type { StateIds } from "./decideEdge";
import { hostsPointingAt, programTunnel, tunnelHealthy } from "./decideTunnels";
import type { EdgeInventory, TunnelFound } from "./edgeInventory";
import type { ProgramEdge } from "./programEdge";
import type { AdoptRow } from "./rows";

export interface DeletionPlan<T> {
    readonly targets: readonly T[];
    /** Why nothing may be deleted; empty when the deletion may go ahead. */
    readonly refusals: readonly string[];
}

export function pageRuleDeletion(rows: readonly AdoptRow[]): DeletionPlan<AdoptRow> {
    const targets = rows.filter((r) => r.kind === "page-rule" && r.action === "remove" && r.replacedBy !== undefined);
    const missing = [...new Set(targets.filter((r) => !r.replacedBy?.present).map((r) => `${r.replacedBy?.ref} (${r.replacedBy?.phase})`))];
    const refusals = missing.length > 0 ? [`the program's rules that replace them are not in the zone yet: ${missing.join(", ")}; run pulumi up first, then adopt again`] : [];
    return { targets, refusals };
}

export function tunnelDeletion(rows: readonly AdoptRow[], inv: EdgeInventory, cfg: NovaConfig, edge: ProgramEdge, state: StateIds): DeletionPlan<TunnelFound> {
    const oldIds = new Set(rows.filter((r) => r.kind === "tunnel" && r.tunnel === "old").map((r) => r.id));
    const targets = (inv.tunnels ?? []).filter((f) => f.tunnel.id !== undefined && oldIds.has(f.tunnel.id));
    const refusals: string[] = [];
    if (inv.tunnels === undefined) refusals.push(`the tunnels were not read: ${inv.tunnelsUnread ?? "nova:accountId is not set"}`);
    if (cfg.ingressMode === "tunnel" && targets.length > 0) {
        const ours = programTunnel(inv, edge, state);
        if (ours === undefined) refusals.push(`the program's tunnel (${edge.tunnel?.name}) is not in the stack yet: run pulumi up first`);
        else if (!tunnelHealthy(ours)) {
            refusals.push(`the program's tunnel ${ours.tunnel.name} is not healthy (status ${ours.tunnel.status ?? "unknown"}, ${ours.connections.length} connectors)`);
        }
    }
    for (const f of targets) {
        const name = f.tunnel.name ?? f.tunnel.id;
        const pointing = hostsPointingAt(inv, cfg, f.tunnel.id as string);
        if (pointing.length > 0) refusals.push(`${pointing.join(", ")} still points at the old tunnel ${name}: run pulumi up first`);
        if (f.connections.length > 0) refusals.push(`a connector still runs on the old tunnel ${name} (${f.connections.length}): stop its cloudflared first (the host steps do at pulumi up)`);
    }
    return { targets, refusals };
}
