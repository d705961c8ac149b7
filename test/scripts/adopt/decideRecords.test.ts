/**
 * The records of the stack's hostname against the program's, for any mix the zone may hold: one row per
 * record, at most one record imported into each of the program's records, the guide's A/AAAA/CNAME
 * imported when the program declares a record there, and in tunnel mode every other record at that
 * name removed (a CNAME shares its name with nothing).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { NovaConfig } from "../../../components/types";
import type { RecordResponse } from "../../../scripts/shared/cloudflare/api";
import { decideRecords } from "../../../scripts/adopt/decideEdge";
import type { EdgeInventory } from "../../../scripts/adopt/edgeInventory";
import { type ProgramEdge, programEdge } from "../../../scripts/adopt/programEdge";
import { plan } from "../../support/harness";

const ZONE = "023e105f4ecef8ad9ca31a8372d0c353";
const TYPES = ["A", "AAAA", "CNAME", "TXT", "MX"] as const;
const ADDRESS = ["A", "AAAA", "CNAME"];

interface Case {
    readonly cfg: NovaConfig;
    readonly edge: ProgramEdge;
}
let tunnel: Case;
let direct: Case;

beforeAll(async () => {
    const t = await plan("prod");
    tunnel = { cfg: t.config, edge: programEdge(t.document) };
    const d = await plan("staging", { "nova:originIpv6": "2001:db8::20" });
    direct = { cfg: d.config, edge: programEdge(d.document) };
}, 60_000);

function record(id: string, name: string, type: (typeof TYPES)[number]): RecordResponse {
    return { id, name, type, content: type === "CNAME" ? "x.example.net" : "192.0.2.1", ttl: 1, proxied: true, created_on: "", modified_on: "", meta: {}, proxiable: true } as RecordResponse;
}

function inventory(records: RecordResponse[]): EdgeInventory {
    return { zoneId: ZONE, records, pageRules: [], entrypoints: [], unreadPhases: [] };
}

const types = fc.array(fc.constantFrom(...TYPES), { maxLength: 6 });

describe("decideRecords", () => {
    it("any records at the hostname: one row each, imports into distinct program records, the rest removed (tunnel) or kept (direct)", () => {
        for (const c of [tunnel, direct]) {
            fc.assert(
                fc.property(types, (ts) => {
                    const found = ts.map((t, i) => record(`rec-${i}`, c.cfg.hostname, t));
                    const rows = decideRecords(inventory(found), c.cfg, c.edge, new Map());
                    expect(rows.map((r) => r.id).sort()).toEqual(found.map((r) => r.id).sort());
                    const imports = rows.filter((r) => r.action === "import");
                    const planned = c.edge.records.filter((p) => p.name === c.cfg.hostname);
                    expect(new Set(imports.map((r) => r.into?.name)).size).toBe(imports.length);
                    expect(imports.length).toBe(Math.min(planned.length, ts.filter((t) => ADDRESS.includes(t)).length));
                    for (const r of imports) expect(r.into?.importId).toBe(`${ZONE}/${r.id}`);
                    // Same type first: a planned type present in the zone is imported from a record of that type.
                    for (const p of planned) {
                        const imported = imports.find((r) => r.into?.name === p.resource.name);
                        if (ts.includes(p.type as (typeof TYPES)[number])) expect(found.find((f) => f.id === imported?.id)?.type).toBe(p.type);
                    }
                    const rest = rows.filter((r) => r.action !== "import").map((r) => r.action);
                    expect(new Set(rest)).toEqual(new Set(rest.length === 0 ? [] : [c.cfg.ingressMode === "tunnel" ? "remove" : "keep"]));
                }),
                { numRuns: 200 },
            );
        }
    });

    it("a record the state holds under the program's URN is kept; records of other names are not looked at", () => {
        const urn = tunnel.edge.records[0].resource.urn;
        const rows = decideRecords(inventory([record("rec-1", tunnel.cfg.hostname, "CNAME"), record("rec-2", "www.itspirit.ovh", "A")]), tunnel.cfg, tunnel.edge, new Map([[urn, "rec-1"]]));
        expect(rows.map((r) => [r.id, r.action, r.why])).toEqual([["rec-1", "keep", "already in the stack's state as nova-record"]]);
    });
});
