/** Arguments of adopt, and the parsing of the state `pulumi stack export` prints. */
import { describe, expect, it } from "vitest";
import { parseAdoptArgs } from "../../scripts/adopt/args";
import { stateIdsFromExport } from "../../scripts/adopt/stackState";

describe("parseAdoptArgs", () => {
    it("defaults, and every flag", () => {
        expect(parseAdoptArgs([])).toEqual({ stack: "prod", json: false, deletePageRules: false, deleteOldTunnel: false, timeoutMs: 120_000 });
        expect(parseAdoptArgs(["--stack", "staging", "--json", "--write-import", "i.json", "--delete-page-rules", "--delete-old-tunnel", "--only", "edge", "--timeout", "5000"])).toEqual({
            stack: "staging", json: true, writeImport: "i.json", deletePageRules: true, deleteOldTunnel: true, only: "edge", timeoutMs: 5000,
        });
    });

    it("refuses unknown flags, stray arguments, and edge flags with --only hosts", () => {
        expect(() => parseAdoptArgs(["--delete-everything"])).toThrow(/Unknown option '--delete-everything'/);
        expect(() => parseAdoptArgs(["prod"])).toThrow("unexpected argument: prod");
        expect(() => parseAdoptArgs(["--only", "zone"])).toThrow("--only: expected edge or hosts: zone");
        expect(() => parseAdoptArgs(["--only", "hosts", "--delete-page-rules"])).toThrow("--delete-page-rules: not with --only hosts (it acts on the edge)");
        expect(() => parseAdoptArgs(["--only", "hosts", "--write-import", "f"])).toThrow("--write-import: not with --only hosts");
        expect(() => parseAdoptArgs(["--timeout", "0"])).toThrow("--timeout: expected milliseconds between 1 and 600000: 0");
    });
});

describe("stateIdsFromExport", () => {
    it("maps the URN of each custom resource to its id; components and the stack have none", () => {
        const text = JSON.stringify({
            deployment: {
                resources: [
                    { urn: "urn:pulumi:prod::nova::pulumi:pulumi:Stack::nova-prod", custom: false, type: "pulumi:pulumi:Stack" },
                    { urn: "urn:pulumi:prod::nova::nova:dns:NovaDns::nova", custom: false, type: "nova:dns:NovaDns" },
                    { urn: "urn:pulumi:prod::nova::nova:dns:NovaDns$cloudflare:index/dnsRecord:DnsRecord::nova-record", custom: true, id: "rec-1", type: "cloudflare:index/dnsRecord:DnsRecord" },
                    { urn: "urn:pulumi:prod::nova::pulumi:providers:cloudflare::default_6_22_1", custom: true, id: "" },
                ],
            },
        });
        expect([...stateIdsFromExport(text)]).toEqual([["urn:pulumi:prod::nova::nova:dns:NovaDns$cloudflare:index/dnsRecord:DnsRecord::nova-record", "rec-1"]]);
        expect(stateIdsFromExport(JSON.stringify({ deployment: {} })).size).toBe(0);
    });
});
