/** Arguments of adopt (its entry: help, bad options, the default stack), and the parsing of the state `pulumi stack export` prints. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AdoptDeps, main } from "../../../scripts/adopt/main";
import { ADOPT_SPEC, parseAdoptArgs } from "../../../scripts/adopt/args";
import { ArgsError, helpText, usageLine } from "../../../scripts/shared/cli/args";
import type { SelectedStackReader } from "../../../scripts/shared/cli/selectedStack";
import { stateIdsFromExport } from "../../../scripts/adopt/stackState";

describe("parseAdoptArgs", () => {
    it("defaults, and every flag", () => {
        expect(parseAdoptArgs([])).toEqual({ json: false, deletePageRules: false, deleteOldTunnel: false, timeoutMs: 120_000 });
        expect(parseAdoptArgs(["--stack", "staging", "--json", "--write-import", "i.json", "--delete-page-rules", "--delete-old-tunnel", "--only", "edge", "--timeout", "5000"])).toEqual({
            stack: "staging", json: true, writeImport: "i.json", deletePageRules: true, deleteOldTunnel: true, only: "edge", timeoutMs: 5000,
        });
    });

    it("refuses unknown flags, stray arguments, and edge flags with --only hosts", () => {
        expect(() => parseAdoptArgs(["--delete-everything"])).toThrow('unknown option "--delete-everything"');
        expect(() => parseAdoptArgs(["prod"])).toThrow('unexpected argument "prod"');
        expect(() => parseAdoptArgs(["--write-import="])).toThrow("--write-import: expects a value (FILE), got an empty string");
        expect(() => parseAdoptArgs(["--only", "zone"])).toThrow(ArgsError);
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

describe("adopt's entry", () => {
    const untouched = new Proxy({} as Record<string, unknown>, {
        get: (_t, key) => () => {
            throw new Error(`${String(key)} called`);
        },
    });
    const run = async (argv: string[], selectedStack: SelectedStackReader) => {
        let out = "";
        let err = "";
        const deps = { ...(untouched as unknown as AdoptDeps), rootDir: mkdtempSync(join(tmpdir(), "nova-adopt-args-")), stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), selectedStack };
        return { code: await main(argv, deps), out, err };
    };
    const noCli: SelectedStackReader = () => ({ none: "the Pulumi CLI is not installed" });

    it("--help prints the help and reads nothing", async () => {
        const r = await run(["--stack", "prod", "--help"], noCli);
        expect(r).toEqual({ code: 0, out: helpText(ADOPT_SPEC), err: "" });
        expect(r.out).toContain("usage: npm run adopt -- [--stack NAME] [--json] [--only edge|hosts] [--write-import FILE]");
    });

    it("without --stack: the stack selected in the Pulumi CLI, said on stderr", async () => {
        const r = await run(["--json"], () => ({ stack: "qa" }));
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/^adopt: stack qa \(selected in the Pulumi CLI; --stack NAME for another\)\nadopt: .*Pulumi\.qa\.yaml/);
    });

    it("a bad option exits 1 naming it, with the usage", async () => {
        const r = await run(["--bogus"], noCli);
        expect(r).toEqual({ code: 1, out: "", err: `adopt: unknown option "--bogus"\n${usageLine(ADOPT_SPEC)}\n` });
    });
});
