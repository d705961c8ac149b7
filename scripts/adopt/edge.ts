/**
 * The edge half of adopt: read the zone, decide each object, run the deletions asked for (after their
 * checks), read the zone again after a deletion, and write the import file.
 */
import type { NovaConfig } from "../../components/types";
import { apiErrorText, type EdgeApi } from "../shared/cloudflare/api";
import { decidePageRules, decideRecords, decideRulesets, type StateIds } from "./decideEdge";
import { decideTunnels } from "./decideTunnels";
import { pageRuleDeletion, tunnelDeletion } from "./deletions";
import { type EdgeInventory, readEdge } from "./edgeInventory";
import { importDocument } from "./importFile";
import type { ProgramEdge } from "./programEdge";
import type { AdoptReport } from "./report";
import type { AdoptRow } from "./rows";

export interface EdgeRequest {
    readonly deletePageRules: boolean;
    readonly deleteOldTunnel: boolean;
    readonly writeImport?: string;
}

type EdgePart = Pick<AdoptReport, "zoneId" | "rows" | "notChecked" | "notes" | "refused" | "deleted" | "importFile">;

export function decideAll(inv: EdgeInventory, cfg: NovaConfig, edge: ProgramEdge, state: StateIds): AdoptRow[] {
    return [...decideRecords(inv, cfg, edge, state), ...decideRulesets(inv, cfg, edge, state), ...decidePageRules(inv, cfg, edge, state), ...decideTunnels(inv, cfg, edge, state)];
}

export async function checkEdge(
    api: EdgeApi,
    cfg: NovaConfig,
    edge: ProgramEdge,
    state: StateIds,
    req: EdgeRequest,
    writeFile: (path: string, text: string) => void,
): Promise<EdgePart> {
    const notes: string[] = cfg.accountId ? [] : ["tunnels not checked: nova:accountId is not set (the account's tunnels are listed with it)"];
    const fail = (why: string, zoneId?: string): EdgePart => {
        const refused = [
            ...(req.deletePageRules ? ["--delete-page-rules: the zone could not be read"] : []),
            ...(req.deleteOldTunnel ? ["--delete-old-tunnel: the zone could not be read"] : []),
        ];
        const unwritten = req.writeImport !== undefined ? [`--write-import: ${req.writeImport} not written: the zone could not be read`] : [];
        return { ...(zoneId ? { zoneId } : {}), rows: [], notChecked: [`edge: ${why}`], notes: [...notes, ...unwritten], refused, deleted: [] };
    };
    const owned = edge.rulesets.map((r) => r.phase);
    let zoneId: string | undefined;
    let inv: EdgeInventory;
    try {
        zoneId = cfg.zoneId ?? (await api.zoneIdByName(cfg.zoneName, cfg.accountId || undefined));
        if (zoneId === undefined) return fail(`zone ${cfg.zoneName} not found with this token`);
        inv = await readEdge(api, cfg, zoneId, edge.tunnel?.name, owned);
    } catch (err) {
        return fail(apiErrorText(err), zoneId);
    }
    for (const phase of inv.unreadPhases) notes.push(`entry point of ${phase} not read: the token may not read it (403); the program does not own that phase`);
    let rows = decideAll(inv, cfg, edge, state);
    const refused: string[] = [];
    const deleted: AdoptReport["deleted"][number][] = [];
    try {
        if (req.deletePageRules) {
            const plan = pageRuleDeletion(rows);
            if (plan.refusals.length > 0) refused.push(...plan.refusals.map((m) => `--delete-page-rules: ${m}`));
            else for (const r of plan.targets) {
                await api.deletePageRule(inv.zoneId, r.id);
                deleted.push({ kind: r.kind, id: r.id, object: r.object });
            }
        }
        if (req.deleteOldTunnel) {
            const plan = tunnelDeletion(rows, inv, cfg, edge, state);
            if (plan.refusals.length > 0) refused.push(...plan.refusals.map((m) => `--delete-old-tunnel: ${m}`));
            else for (const f of plan.targets) {
                await api.deleteTunnel(cfg.accountId, f.tunnel.id as string);
                deleted.push({ kind: "tunnel", id: f.tunnel.id as string, object: `tunnel ${f.tunnel.name ?? ""}` });
            }
        }
        if (deleted.length > 0) {
            inv = await readEdge(api, cfg, inv.zoneId, edge.tunnel?.name, owned);
            rows = decideAll(inv, cfg, edge, state);
        }
    } catch (err) {
        return { zoneId, rows, notChecked: [`edge: ${apiErrorText(err)}`], notes, refused, deleted };
    }
    let importFile: AdoptReport["importFile"];
    if (req.writeImport !== undefined) {
        const doc = importDocument(rows, edge);
        writeFile(req.writeImport, JSON.stringify(doc, null, 2) + "\n");
        importFile = { path: req.writeImport, resources: doc.resources.filter((r) => r.component !== true).length };
    }
    const notChecked = inv.tunnelsUnread !== undefined ? [`tunnels: ${inv.tunnelsUnread}`] : [];
    return { zoneId, rows, notChecked, notes, refused, deleted, ...(importFile ? { importFile } : {}) };
}
