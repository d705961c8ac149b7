/**
 * The `pulumi import --file` document adopt writes: every entry checked against the program's offline
 * plan (the URN `pulumi import` computes from its type, name and parent chain is the URN the program
 * registers, with the same type, name and parent), for the guide's tunnel zone, its direct-mode A
 * record, and the pageRules engine.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportDocument, ImportEntry } from "../../../scripts/adopt/importFile";
import type { Plan, PlanResource } from "../../../scripts/shared/planning/plan";
import { type FakeCloudflare, startFakeCloudflare } from "../../support/fake-cloudflare";
import { aaaaRecord, ACCOUNT_ID, aRecord, dashboardOriginRuleset, dashboardRulesets, guidePageRules, guideTunnelZone, ZONE_ID } from "../../support/fixtures/cloudflareZone";
import { adopt, rowOf, stackDir } from "./helpers";
import { planOf } from "./zoneAfterUp";

let cf: FakeCloudflare;
const roots: string[] = [];
beforeAll(async () => {
    cf = await startFakeCloudflare();
});
afterAll(async () => {
    await cf.stop();
    for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** The URN `pulumi import` gives an entry: the parent's type chain (the root stack's left out), the type, the logical name. */
function urnOf(doc: ImportDocument, entry: ImportEntry, stack: string): string {
    const parentUrn = entry.parent === undefined ? undefined : doc.nameTable[entry.parent] ?? urnOf(doc, doc.resources.find((r) => r.name === entry.parent) as ImportEntry, stack);
    const parentType = parentUrn === undefined ? "" : parentUrn.split("::")[2];
    const chain = parentType === "" || parentType === "pulumi:pulumi:Stack" ? entry.type : `${parentType}$${entry.type}`;
    return `urn:pulumi:${stack}::nova::${chain}::${entry.logicalName ?? entry.name}`;
}

/**
 * Each entry against the plan: the planned resource with its type, its name and, as parent, the planned
 * resource its `parent` entry resolves to (the stack for the name table's `stack`). For the imported
 * resources, the URN `pulumi import` computes is also the URN the program registers. Returns the
 * imported resources as `name <- id`.
 */
function checkAgainstPlan(doc: ImportDocument, plan: Plan, stack: string): string[] {
    const resources = plan.document.resources;
    const stackRes = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    expect(doc.nameTable).toEqual({ stack: stackRes?.urn });
    expect(new Set(doc.resources.map((r) => r.name)).size).toBe(doc.resources.length);
    const resolve = (entry: ImportEntry): PlanResource => {
        expect(entry.parent, `${entry.name} has no parent`).toBeDefined();
        const parent = entry.parent === "stack" ? stackRes : resolve(doc.resources.find((r) => r.name === entry.parent) as ImportEntry);
        const found = resources.filter((r) => r.type === entry.type && r.name === (entry.logicalName ?? entry.name) && r.parent === parent?.urn);
        expect(found.map((r) => r.urn), `${entry.type} ${entry.name} under ${entry.parent}`).toHaveLength(1);
        return found[0];
    };
    const imported: string[] = [];
    for (const entry of doc.resources) {
        const planned = resolve(entry);
        if (entry.component) {
            expect(entry.id).toBeUndefined();
            continue;
        }
        expect(urnOf(doc, entry, stack)).toBe(planned.urn);
        imported.push(`${entry.name} <- ${entry.id}`);
    }
    return imported;
}

async function run(from: "prod" | "staging", stack: string, overrides: Record<string, unknown>, argv: string[] = []) {
    const root = stackDir(from, stack, overrides);
    roots.push(root);
    const r = await adopt({ root, stack, baseURL: cf.baseURL, view: { values: { "cloudflare:apiToken": cf.token }, stateIds: new Map() } }, ["--only", "edge", "--write-import", "import.json", ...argv]);
    return { r, plan: await planOf(root, stack), doc: JSON.parse(r.written["import.json"]) as ImportDocument };
}

describe("adopt --write-import", () => {
    it("tunnel mode, the guide's zone: the CNAME and the redirect entry point, under the program's components", async () => {
        cf.setData(guideTunnelZone("nova-rondot.itspirit.ovh"));
        const { r, plan, doc } = await run("prod", "imp1", { "nova:accountId": ACCOUNT_ID });
        expect(checkAgainstPlan(doc, plan, "imp1")).toEqual([`nova-record <- ${ZONE_ID}/rec-guide-cname`, `nova-redirect <- zones/${ZONE_ID}/rs-redirect-dash`]);
        expect(doc.resources.filter((e) => e.component).map((e) => `${e.type} ${e.logicalName}`)).toEqual(["nova:dns:NovaDns nova", "nova:rules:NovaRules nova"]);
        expect(r.out).toContain("Import file: 2 resources written to import.json\nNext: pulumi import --file import.json --stack imp1 --protect=false --generate-code=false");
        expect(r.code).toBe(2);
    }, 60_000);

    it("the zone owner: an Origin Rule made by hand is imported into the program's origin ruleset, beside the redirect", async () => {
        const host = "nova-rondot.itspirit.ovh";
        cf.setData({ ...guideTunnelZone(host), entrypoints: { [ZONE_ID]: [...dashboardRulesets(host), dashboardOriginRuleset("nova-staging.itspirit.ovh")] } });
        const { r, plan, doc } = await run("prod", "imp6", { "nova:accountId": ACCOUNT_ID });
        expect(checkAgainstPlan(doc, plan, "imp6")).toEqual([
            `nova-record <- ${ZONE_ID}/rec-guide-cname`,
            `nova-redirect <- zones/${ZONE_ID}/rs-redirect-dash`,
            `nova-origin <- zones/${ZONE_ID}/rs-origin-dash`,
        ]);
        expect(rowOf(r.out, 'ruleset http_request_origin "default" (rules r-dash-3)')).toMatch(/\simport\s+the phase's entry point, .*keeps its name \(into nova-origin, import id zones\/023e105f4ecef8ad9ca31a8372d0c353\/rs-origin-dash\)$/);
        expect(r.out).toContain("Import file: 3 resources written to import.json\n");
        expect(r.code).toBe(2);
    }, 60_000);

    it("tunnel mode over the guide's direct-mode records: the A record becomes the CNAME, the AAAA must go", async () => {
        const host = "nova-rondot.itspirit.ovh";
        cf.setData({ ...guideTunnelZone(host), records: { [ZONE_ID]: [aaaaRecord("rec-aaaa", host, "2001:db8::10"), aRecord("rec-a", host, "203.0.113.10")] }, pageRules: {}, entrypoints: {} });
        const { r, plan, doc } = await run("prod", "imp2", { "nova:accountId": ACCOUNT_ID });
        expect(checkAgainstPlan(doc, plan, "imp2")).toEqual([`nova-record <- ${ZONE_ID}/rec-a`]);
        expect(rowOf(r.out, `DNS A ${host} -> 203.0.113.10`)).toContain("the next pulumi up turns it into the program's CNAME (delete first, never two at once)");
        expect(rowOf(r.out, `DNS AAAA ${host} -> 2001:db8::10`)).toMatch(/\sremove\s+the program's CNAME cannot share the name nova-rondot\.itspirit\.ovh with another record: delete this one before pulumi up$/);
    }, 60_000);

    it("direct mode in a zone another stack owns: the A record only; the entry points and Page Rules belong to the owner", async () => {
        const host = "nova-staging.itspirit.ovh";
        cf.setData({ ...guideTunnelZone(host), records: { [ZONE_ID]: [aRecord("rec-staging", host, "203.0.113.20")] }, pageRules: { [ZONE_ID]: guidePageRules(host) } });
        const { r, plan, doc } = await run("staging", "imp3", {});
        expect(checkAgainstPlan(doc, plan, "imp3")).toEqual([`nova-record <- ${ZONE_ID}/rec-staging`]);
        expect(rowOf(r.out, 'ruleset http_request_dynamic_redirect "default"')).toMatch(/\skeep\s+zone-wide: the stack with nova:manageZone true owns the entry points; it stays as it is; it has rules for nova-staging\.itspirit\.ovh: review them$/);
        expect(rowOf(r.out, `page rule https://${host}/api/*`)).toMatch(/\sremove\s+replaced by the program's rule nova_cache_bypass_dynamic/);
        expect(r.out).toContain("- tunnels not checked: nova:accountId is not set");
    }, 60_000);

    it("pageRules engine: the guide's three Page Rules are imported into the program's", async () => {
        const host = "nova-rondot.itspirit.ovh";
        cf.setData({ ...guideTunnelZone(host), entrypoints: {} });
        const { plan, doc } = await run("prod", "imp4", { "nova:accountId": ACCOUNT_ID, "nova:rulesEngine": "pageRules", "nova:zoneHostnames": undefined });
        expect(checkAgainstPlan(doc, plan, "imp4")).toEqual([
            `nova-record <- ${ZONE_ID}/rec-guide-cname`,
            `nova-pagerule-root <- ${ZONE_ID}/pr-root`,
            `nova-pagerule-api <- ${ZONE_ID}/pr-api`,
            `nova-pagerule-assets <- ${ZONE_ID}/pr-assets`,
        ]);
    }, 60_000);

    it("nothing to import: an empty resource list", async () => {
        cf.setData({ ...guideTunnelZone("nova-rondot.itspirit.ovh"), records: {}, pageRules: {}, entrypoints: {} });
        const { r, doc } = await run("prod", "imp5", { "nova:accountId": ACCOUNT_ID });
        expect(doc.resources).toEqual([]);
        expect(r.out).toContain("Import file: 0 resources written to import.json\n");
        expect(r.out).not.toContain("Next: pulumi import");
    }, 60_000);
});
