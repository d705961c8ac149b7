/**
 * `npm run adopt` against a local stand-in of Cloudflare's API (test/support/fake-cloudflare.ts):
 * the zone as the guide leaves it, an empty zone, an unreachable API, a refused token, and the zone
 * after the program's `pulumi up` for the two deletion flags.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "../../support/sshd";
import { type FakeCloudflare, startFakeCloudflare } from "../../support/fake-cloudflare";
import { ACCOUNT_ID, aRecord, emptyZone, guideTunnelZone, OLD_TUNNEL_ID, ZONE_ID } from "../../support/fixtures/cloudflareZone";
import { adopt, type AdoptSetup, rowOf, stackDir } from "./helpers";
import { afterUpZone, planOf, stateAfterUp } from "./zoneAfterUp";

const STACK = "adopttest";
const HOST = "nova-rondot.itspirit.ovh";
let cf: FakeCloudflare;
let root = "";

beforeAll(async () => {
    cf = await startFakeCloudflare();
    root = stackDir("prod", STACK, { "nova:accountId": ACCOUNT_ID });
});
afterAll(async () => {
    await cf.stop();
    rmSync(root, { recursive: true, force: true });
});
beforeEach(() => cf.clear());

const setup = (view: AdoptSetup["view"] = { values: { "cloudflare:apiToken": cf.token }, stateIds: new Map() }): AdoptSetup => ({ root, stack: STACK, baseURL: cf.baseURL, view });

describe("adopt: the zone the guide left", () => {
    it("lists each object with what the program does with it, and exits 2", async () => {
        cf.setData(guideTunnelZone(HOST));
        const r = await adopt(setup(), ["--only", "edge"]);
        expect(r.err).toBe("");
        expect(r.code).toBe(2);
        expect(rowOf(r.out, `DNS CNAME ${HOST} -> ${OLD_TUNNEL_ID}.cfargotunnel.com (proxied)`)).toMatch(/\simport\s+the record the program declares for nova-rondot\.itspirit\.ovh; .*\(into nova-record, import id 023e105f4ecef8ad9ca31a8372d0c353\/rec-guide-cname\)$/);
        expect(rowOf(r.out, 'ruleset http_request_dynamic_redirect "default" (rules r-dash-1)')).toMatch(/\simport\s+the phase's entry point, .*keeps its name \(into nova-redirect, import id zones\/023e105f4ecef8ad9ca31a8372d0c353\/rs-redirect-dash\)$/);
        // rootPath redirect: the program has no transform ruleset; the guide's rewrite stays, flagged for review.
        expect(rowOf(r.out, 'ruleset http_request_transform "Transform Rules"')).toMatch(/\skeep\s+the program declares no ruleset in this phase; it stays as it is; it has rules for nova-rondot\.itspirit\.ovh: review them$/);
        for (const [target, ref] of [[`https://${HOST}/ `, "nova_root_redirect"], [`https://${HOST}/api/* `, "nova_cache_bypass_dynamic"], [`https://${HOST}/mail-to-biz/assets/* `, "nova_cache_assets"]]) {
            expect(rowOf(r.out, `page rule ${target}`)).toMatch(new RegExp(`\\sremove\\s+replaced by the program's rule ${ref} \\(http_request_[a-z_]+\\), which is not in the zone yet: after pulumi up, delete this one with --delete-page-rules$`));
        }
        expect(r.out).not.toContain("blog.itspirit.ovh");
        expect(r.out).not.toContain("www.itspirit.ovh");
        expect(rowOf(r.out, "tunnel nova-tunnel (config_src local, status healthy, 1 connector)")).toMatch(
            /\sreplace\s+the guide's tunnel \(cloudflared tunnel create nova-tunnel\); locally managed \(config\.yml and a credentials file on the server\); nova-rondot\.itspirit\.ovh points at it; the program's remotely-managed tunnel replaces it: delete it once ours is healthy \(--delete-old-tunnel\)$/,
        );
        expect(r.out).not.toContain("other-app");
        expect(r.out).toContain("Result: objects to adopt (exit 2)");
        // Read-only: only GETs, records asked by exact name.
        expect(cf.requests().every((q) => q.method === "GET")).toBe(true);
        expect([...new Set(cf.requests().filter((q) => q.path.endsWith("/dns_records")).map((q) => q.query["name.exact"]))]).toEqual([HOST]);
        expect(cf.requests().map((q) => q.path)).toContain("/zones");
    }, 60_000);

    it("--json gives the same rows for machines", async () => {
        cf.setData(guideTunnelZone(HOST));
        const r = await adopt(setup(), ["--only", "edge", "--json"]);
        const doc = JSON.parse(r.out);
        expect(doc.exitCode).toBe(2);
        expect(doc.zoneId).toBe(ZONE_ID);
        expect(doc.rows.map((x: { kind: string; id: string; action: string }) => `${x.kind} ${x.id} ${x.action}`)).toEqual([
            "dns-record rec-guide-cname import",
            "ruleset rs-redirect-dash import",
            "ruleset rs-transform-dash keep",
            "page-rule pr-root remove",
            "page-rule pr-api remove",
            "page-rule pr-assets remove",
            `tunnel ${OLD_TUNNEL_ID} replace`,
        ]);
        expect(doc.rows[0].into).toEqual({ urn: `urn:pulumi:${STACK}::nova::nova:dns:NovaDns$cloudflare:index/dnsRecord:DnsRecord::nova-record`, name: "nova-record", type: "cloudflare:index/dnsRecord:DnsRecord", importId: `${ZONE_ID}/rec-guide-cname` });
        expect(doc.rows[3].replacedBy).toEqual({ phase: "http_request_dynamic_redirect", ref: "nova_root_redirect", present: false });
    }, 60_000);

    it("an empty zone: nothing to adopt, exit 0", async () => {
        cf.setData(emptyZone());
        const r = await adopt(setup(), ["--only", "edge"]);
        expect(r.out).toContain("Nothing found that the program has to take over.");
        expect(r.out).toContain("Result: nothing to adopt (exit 0)");
        expect(r.code).toBe(0);
    }, 60_000);

    it("an unreachable API: could not check, exit 1", async () => {
        const closed = `http://127.0.0.1:${await freePort()}/client/v4`;
        const r = await adopt({ ...setup(), baseURL: closed }, ["--only", "edge", "--write-import", "import.json"]);
        expect(r.written).toEqual({});
        expect(r.out).toContain("- --write-import: import.json not written: the zone could not be read");
        expect(r.out).toMatch(/Could not check:\n- edge: Cloudflare API unreachable \(ECONNREFUSED\)/);
        expect(r.out).toContain("Nothing found in what could be checked.");
        expect(r.out).toContain("Result: some checks could not run (exit 1)");
        expect(r.code).toBe(1);
    }, 60_000);

    it("a refused token or no token: could not check, exit 1, the token never printed", async () => {
        cf.setData(guideTunnelZone(HOST));
        const bad = await adopt(setup({ values: { "cloudflare:apiToken": "wrong-token-1234" }, stateIds: new Map() }), ["--only", "edge"]);
        expect(bad.out).toContain("- edge: Cloudflare API answered 403");
        expect(bad.out + bad.err).not.toContain("wrong-token-1234");
        expect(bad.code).toBe(1);
        const none = await adopt(setup("pulumi config failed: no stack"), ["--only", "edge"]);
        expect(none.out).toContain("- edge: no Cloudflare API token: set cloudflare:apiToken in the stack (or CLOUDFLARE_API_TOKEN)");
        expect(none.code).toBe(1);
    }, 60_000);

    it("a phase the token may not read: a note when the program does not own it, could not check when it does", async () => {
        // rootPath redirect: the program declares no transform ruleset.
        cf.setData({ ...guideTunnelZone(HOST), forbiddenPhases: ["http_request_transform"] });
        const unowned = await adopt(setup(), ["--only", "edge"]);
        expect(unowned.out).toContain("Notes:\n- entry point of http_request_transform not read: the token may not read it (403); the program does not own that phase");
        expect(unowned.code).toBe(2);
        // The zone owner's origin ruleset (staging's host:port in zoneHostnames) and its cache ruleset.
        for (const phase of ["http_request_origin", "http_request_cache_settings"]) {
            cf.setData({ ...guideTunnelZone(HOST), forbiddenPhases: [phase] });
            const owned = await adopt(setup(), ["--only", "edge"]);
            expect({ phase, out: owned.out }).toEqual({ phase, out: expect.stringContaining("- edge: Cloudflare API answered 403") });
            expect({ phase, code: owned.code }).toEqual({ phase, code: 1 });
        }
    }, 60_000);

    it("tunnels the token may not read: the zone's rows stay, the tunnels are not checked (exit 1), their deletion refused", async () => {
        cf.setData({ ...guideTunnelZone(HOST), forbidTunnels: true });
        const r = await adopt(setup(), ["--only", "edge", "--delete-old-tunnel"]);
        expect(rowOf(r.out, `DNS CNAME ${HOST}`)).toMatch(/\simport\s/);
        expect(r.out).not.toMatch(/^tunnel /m);
        expect(r.out).toContain("- tunnels: Cloudflare API answered 403");
        expect(r.out).toContain("- --delete-old-tunnel: the tunnels were not read: Cloudflare API answered 403");
        expect(cf.requests().filter((q) => q.method !== "GET")).toEqual([]);
        expect(r.code).toBe(1);
    }, 60_000);

    it("objects the stack's state already holds are kept, not offered again", async () => {
        const p = await planOf(root, STACK);
        cf.setData(afterUpZone(HOST, p.config, { oldTunnel: "gone", pageRules: "gone" }));
        const r = await adopt(setup({ values: { "cloudflare:apiToken": cf.token }, stateIds: stateAfterUp(p) }), ["--only", "edge"]);
        expect(r.out).toMatch(/\skeep\s+already in the stack's state as nova-record$/m);
        expect(r.out).toMatch(/\skeep\s+already in the stack's state as nova-redirect$/m);
        expect(r.out).toMatch(/\skeep\s+already in the stack's state as nova-cache$/m);
        // prod owns the zone: its origin ruleset routes staging (zoneHostnames host:port) to its port.
        expect(r.out).toMatch(/\skeep\s+already in the stack's state as nova-origin$/m);
        expect(r.out).toMatch(/^tunnel nova-adopttest .*\skeep\s+the program's tunnel \(nova-tunnel\), healthy$/m);
        expect(r.code).toBe(0);
    }, 60_000);
});

describe("adopt: the deletion flags", () => {
    it("--delete-page-rules refuses while the program's rules are not in the zone, and deletes nothing", async () => {
        cf.setData(guideTunnelZone(HOST));
        const r = await adopt(setup(), ["--only", "edge", "--delete-page-rules"]);
        expect(r.out).toContain("Refused (nothing of that kind deleted):\n- --delete-page-rules: the program's rules that replace them are not in the zone yet: nova_root_redirect (http_request_dynamic_redirect), nova_cache_bypass_dynamic (http_request_cache_settings), nova_cache_assets (http_request_cache_settings); run pulumi up first, then adopt again");
        expect(cf.requests().filter((q) => q.method !== "GET")).toEqual([]);
        expect(r.out).toContain("Result: objects to adopt, and a deletion was refused (exit 1)");
        expect(r.code).toBe(1);
    }, 60_000);

    it("--delete-page-rules deletes the guide's three once the rules exist; the others stay", async () => {
        const p = await planOf(root, STACK);
        cf.setData(afterUpZone(HOST, p.config, { oldTunnel: "idle", pageRules: "guide" }));
        const r = await adopt(setup({ values: { "cloudflare:apiToken": cf.token }, stateIds: stateAfterUp(p) }), ["--only", "edge", "--delete-page-rules"]);
        expect(cf.requests().filter((q) => q.method === "DELETE").map((q) => q.path)).toEqual(["pr-root", "pr-api", "pr-assets"].map((id) => `/zones/${ZONE_ID}/pagerules/${id}`));
        expect(cf.data().pageRules[ZONE_ID].map((x) => x.id)).toEqual(["pr-other"]);
        expect(r.out).toContain("Deleted:\n- page-rule pr-root: page rule");
        expect(r.out).not.toMatch(/^page rule /m);
        // The old tunnel remains to retire.
        expect(r.code).toBe(2);
    }, 60_000);

    it("--delete-old-tunnel refuses while the program's tunnel is not healthy, or the old one still serves", async () => {
        const p = await planOf(root, STACK);
        cf.setData(afterUpZone(HOST, p.config, { oldTunnel: "idle", pageRules: "gone", ours: "down" }));
        const down = await adopt(setup({ values: { "cloudflare:apiToken": cf.token }, stateIds: stateAfterUp(p) }), ["--only", "edge", "--delete-old-tunnel"]);
        expect(down.out).toContain("- --delete-old-tunnel: the program's tunnel nova-adopttest is not healthy (status down, 0 connectors)");
        expect(down.code).toBe(1);
        cf.setData(guideTunnelZone(HOST));
        const before = await adopt(setup(), ["--only", "edge", "--delete-old-tunnel"]);
        expect(before.out).toContain("- --delete-old-tunnel: the program's tunnel (nova-adopttest) is not in the stack yet: run pulumi up first");
        expect(before.out).toContain(`- --delete-old-tunnel: ${HOST} still points at the old tunnel nova-tunnel: run pulumi up first`);
        expect(before.out).toContain("- --delete-old-tunnel: a connector still runs on the old tunnel nova-tunnel (1): stop its cloudflared first (the host steps do at pulumi up)");
        expect(cf.requests().filter((q) => q.method !== "GET")).toEqual([]);
        expect(before.code).toBe(1);
    }, 60_000);

    it("--delete-old-tunnel deletes it once ours is healthy: then nothing is left to adopt (exit 0)", async () => {
        const p = await planOf(root, STACK);
        cf.setData(afterUpZone(HOST, p.config, { oldTunnel: "idle", pageRules: "gone" }));
        const r = await adopt(setup({ values: { "cloudflare:apiToken": cf.token }, stateIds: stateAfterUp(p) }), ["--only", "edge", "--delete-old-tunnel"]);
        expect(cf.requests().filter((q) => q.method === "DELETE").map((q) => q.path)).toEqual([`/accounts/${ACCOUNT_ID}/cfd_tunnel/${OLD_TUNNEL_ID}`]);
        expect(cf.data().tunnels[ACCOUNT_ID].map((t) => t.name)).toEqual(["nova-adopttest"]);
        expect(r.out).toContain(`Deleted:\n- tunnel ${OLD_TUNNEL_ID}: tunnel nova-tunnel`);
        expect(r.code).toBe(0);
    }, 60_000);

    it("direct mode: the guide's tunnel is removed; --delete-old-tunnel needs no tunnel of ours, only that nothing points at it or runs on it", async () => {
        const host = "nova-staging.itspirit.ovh";
        const direct = stackDir("staging", "adoptdirect", { "nova:accountId": ACCOUNT_ID });
        try {
            const zone = guideTunnelZone(host);
            cf.setData({ ...zone, records: { [ZONE_ID]: [aRecord("rec-a", host, "203.0.113.20")] }, pageRules: {}, entrypoints: {}, connections: {} });
            const view = { values: { "cloudflare:apiToken": cf.token }, stateIds: new Map<string, string>() };
            const before = await adopt({ root: direct, stack: "adoptdirect", baseURL: cf.baseURL, view }, ["--only", "edge"]);
            expect(rowOf(before.out, "tunnel nova-tunnel")).toMatch(/\sremove\s+the guide's tunnel .*; direct mode uses no tunnel: delete it once the A record serves \(--delete-old-tunnel\)$/);
            const del = await adopt({ root: direct, stack: "adoptdirect", baseURL: cf.baseURL, view }, ["--only", "edge", "--delete-old-tunnel"]);
            expect(cf.requests().filter((q) => q.method === "DELETE").map((q) => q.path)).toEqual([`/accounts/${ACCOUNT_ID}/cfd_tunnel/${OLD_TUNNEL_ID}`]);
            expect(del.out).not.toMatch(/^tunnel nova-tunnel/m);
        } finally {
            rmSync(direct, { recursive: true, force: true });
        }
    }, 60_000);
});
