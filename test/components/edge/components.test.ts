import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { NovaDns } from "../../../components/novaDns";
import { NovaRules } from "../../../components/novaRules";
import { NovaConfig } from "../../../components/types";
import { MockRun } from "../../../scripts/shared/planning/mockRuntime";
import { OFFLINE_ZONE_ID } from "../../../scripts/shared/planning/offlineFixtures";
import {
    FIXTURE_ZONE_NAME, PROD_HOSTNAME, STAGING_HOSTNAME, prodConfig, stagingConfig, withEdge, withSettings,
} from "../../support/fixtures/edgeConfigs";
import { ofType, one, runComponents } from "../../support/harness";

const DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const RULESET = "cloudflare:index/ruleset:Ruleset";
const PAGE_RULE = "cloudflare:index/pageRule:PageRule";

/** NovaDns "edge" under the mock runtime; its zone id is the stack output `zoneId`. */
function dns(config: NovaConfig, tunnelId?: pulumi.Input<string>): Promise<MockRun> {
    return runComponents(config.stack, () => ({ zoneId: new NovaDns("edge", { config, tunnelId }).zoneId }));
}

/** NovaRules "rules" under the mock runtime, on the offline zone. */
function rules(config: NovaConfig): Promise<MockRun> {
    return runComponents(config.stack, () => {
        new NovaRules("rules", { config, zoneId: OFFLINE_ZONE_ID });
    });
}

/** Types of the resources called `name`. */
function typesNamed(run: MockRun, name: string): string[] {
    return run.resources.filter((r) => r.name === name).map((r) => r.type);
}

/** Inputs of the registered resources of one type, keyed by resource name (registration order is not stable). */
function inputsByName(run: MockRun, type: string): Record<string, Record<string, unknown>> {
    return Object.fromEntries(ofType(run, type).map((r) => [r.name, r.inputs]));
}

describe("NovaDns", () => {
    it("looks the zone up by name when no zone id is configured", async () => {
        const run = await dns(prodConfig);
        expect(run.outputs.zoneId).toBe(OFFLINE_ZONE_ID);
        expect(run.invokes).toEqual([{
            token: "cloudflare:index/getZone:getZone",
            inputs: { filter: { name: FIXTURE_ZONE_NAME, account: { id: prodConfig.accountId } } },
        }]);
        expect(typesNamed(run, "edge")).toEqual(["nova:dns:NovaDns"]);
    });

    it("uses the configured zone id without any lookup", async () => {
        const run = await dns(stagingConfig, "tun-1");
        expect(run.outputs.zoneId).toBe("5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e");
        expect(run.invokes).toEqual([]);
        const cloudflare = run.resources.filter((r) => r.type.startsWith("cloudflare:"));
        expect(cloudflare.length).toBeGreaterThan(0);
        for (const r of cloudflare) {
            expect(r.inputs.zoneId).toBe("5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e");
        }
    });

    it("direct: proxied A and AAAA records", async () => {
        const run = await dns(prodConfig);
        const common = { zoneId: OFFLINE_ZONE_ID, name: PROD_HOSTNAME, proxied: true, ttl: 1,
            comment: "Managed by nova-infra (stack prod)" };
        expect(inputsByName(run, DNS_RECORD)).toEqual({
            "edge-record": { ...common, type: "A", content: "203.0.113.10" },
            "edge-record-aaaa": { ...common, type: "AAAA", content: "2001:db8::10" },
        });
    });

    it("tunnel: one proxied CNAME to <tunnel id>.cfargotunnel.com", async () => {
        const run = await dns(stagingConfig, pulumi.output("6f1e-tunnel"));
        expect(ofType(run, DNS_RECORD).map(({ type, name, inputs }) => ({ type, name, inputs }))).toEqual([{
            type: DNS_RECORD, name: "edge-record",
            inputs: { zoneId: stagingConfig.zoneId, name: STAGING_HOSTNAME, type: "CNAME",
                content: "6f1e-tunnel.cfargotunnel.com", proxied: true, ttl: 1,
                comment: "Managed by nova-infra (stack staging)" },
        }]);
    });

    it("tunnel without a tunnel id is a clear error", async () => {
        await expect(runComponents(stagingConfig.stack, () => {
            new NovaDns("edge-bad", { config: stagingConfig });
        })).rejects.toThrow(/no tunnelId was given/);
    });

    it("one ZoneSetting per managed id, with the API values", async () => {
        const run = await dns(prodConfig);
        const settings = ofType(run, ZONE_SETTING).map((r) => [r.name, r.inputs.settingId, r.inputs.value, r.inputs.zoneId]);
        expect(settings).toHaveLength(12);
        expect(settings).toEqual(expect.arrayContaining([
            ["edge-setting-ssl-automatic-mode", "ssl_automatic_mode", "custom", OFFLINE_ZONE_ID],
            ["edge-setting-ssl", "ssl", "full", OFFLINE_ZONE_ID],
            ["edge-setting-always-use-https", "always_use_https", "on", OFFLINE_ZONE_ID],
            ["edge-setting-automatic-https-rewrites", "automatic_https_rewrites", "on", OFFLINE_ZONE_ID],
            ["edge-setting-min-tls-version", "min_tls_version", "1.2", OFFLINE_ZONE_ID],
            ["edge-setting-0rtt", "0rtt", "off", OFFLINE_ZONE_ID],
            ["edge-setting-tls-1-3", "tls_1_3", "on", OFFLINE_ZONE_ID],
            ["edge-setting-early-hints", "early_hints", "on", OFFLINE_ZONE_ID],
            ["edge-setting-http3", "http3", "on", OFFLINE_ZONE_ID],
            ["edge-setting-browser-cache-ttl", "browser_cache_ttl", 14400, OFFLINE_ZONE_ID],
            ["edge-setting-always-online", "always_online", "on", OFFLINE_ZONE_ID],
            ["edge-setting-websockets", "websockets", "on", OFFLINE_ZONE_ID],
        ]));
    });

    it("0-RTT on: tls_1_3 managed as zrt; unmanaged ids are skipped", async () => {
        const cfg = withEdge(withSettings(prodConfig, { zeroRtt: "on", ssl: "strict" }), { unmanagedSettings: ["http3", "always_online"] });
        const run = await dns(cfg);
        const values = Object.fromEntries(ofType(run, ZONE_SETTING).map((r) => [r.inputs.settingId, r.inputs.value]));
        expect(values).toEqual({
            ssl_automatic_mode: "custom", ssl: "strict", always_use_https: "on", automatic_https_rewrites: "on", min_tls_version: "1.2",
            "0rtt": "on", tls_1_3: "zrt", early_hints: "on", browser_cache_ttl: 14400, websockets: "on",
        });
    });

    it("WAF managed / owasp / off", async () => {
        const [waf] = ofType(await dns(prodConfig), RULESET);
        expect(waf.name).toBe("edge-waf");
        expect(waf.inputs).toEqual({
            zoneId: OFFLINE_ZONE_ID, kind: "zone", phase: "http_request_firewall_managed", name: "default",
            description: "Managed WAF rulesets. Managed by nova-infra (stack prod)",
            rules: [{
                ref: "nova_waf_cloudflare_managed", description: `Cloudflare Managed Ruleset for ${PROD_HOSTNAME}`,
                expression: `http.host eq "${PROD_HOSTNAME}"`, action: "execute",
                actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" }, enabled: true,
            }],
        });

        const rules = ofType(await dns(withEdge(prodConfig, { waf: "owasp" })), RULESET)[0].inputs.rules as { ref: string; actionParameters: { id: string } }[];
        expect(rules.map((r) => [r.ref, r.actionParameters.id])).toEqual([
            ["nova_waf_cloudflare_managed", "efb7b8c949ac4650a09736fc376e9aee"],
            ["nova_waf_owasp_core", "4814384a9e5d4991b9815dcfc25d2f1f"],
        ]);

        expect(ofType(await dns(withEdge(prodConfig, { waf: "off" })), RULESET)).toEqual([]);
    });
});

describe("NovaRules", () => {
    it("rulesets engine: redirect and cache entry-point rulesets, no page rules", async () => {
        const run = await rules(prodConfig);
        expect(typesNamed(run, "rules")).toEqual(["nova:rules:NovaRules"]);
        expect(ofType(run, PAGE_RULE)).toEqual([]);
        const rulesets = inputsByName(run, RULESET);
        expect(Object.keys(rulesets).sort()).toEqual(["rules-cache", "rules-origin", "rules-redirect"]);
        const redirect = rulesets["rules-redirect"];
        expect([redirect.phase, redirect.kind, redirect.name, redirect.zoneId])
            .toEqual(["http_request_dynamic_redirect", "zone", "default", OFFLINE_ZONE_ID]);
        expect(redirect.rules).toEqual([{
            ref: "nova_root_redirect", description: `Redirect / on ${PROD_HOSTNAME} to /mail-to-biz`,
            expression: `http.host eq "${PROD_HOSTNAME}" and http.request.uri.path eq "/"`, action: "redirect",
            actionParameters: { fromValue: { statusCode: 301, preserveQueryString: true,
                targetUrl: { value: `https://${PROD_HOSTNAME}/mail-to-biz` } } },
            enabled: true,
        }]);
        const cacheRuleset = rulesets["rules-cache"];
        expect([cacheRuleset.phase, cacheRuleset.kind, cacheRuleset.name, cacheRuleset.zoneId])
            .toEqual(["http_request_cache_settings", "zone", "default", OFFLINE_ZONE_ID]);
        const cache = cacheRuleset.rules as { ref: string; actionParameters: unknown }[];
        expect(cache.map((r) => [r.ref, r.actionParameters])).toEqual([
            ["nova_cache_bypass_dynamic", { cache: false }],
            ["nova_cache_assets", { cache: true, edgeTtl: { mode: "override_origin", default: 86400 } }],
        ]);
    });

    it("rulesets engine with rootPath rewrite: transform ruleset", async () => {
        const run = await rules(withEdge(prodConfig, { rootPath: "rewrite" }));
        const rewrite = one(run, RULESET, "rules-rewrite");
        expect(rewrite.inputs.phase).toBe("http_request_transform");
        expect(rewrite.inputs.rules).toEqual([{
            ref: "nova_root_rewrite", description: `Serve /mail-to-biz at / on ${PROD_HOSTNAME}`,
            expression: `http.host eq "${PROD_HOSTNAME}" and http.request.uri.path eq "/"`, action: "rewrite",
            actionParameters: { uri: { path: { value: "/mail-to-biz" } } }, enabled: true,
        }]);
        expect(ofType(run, RULESET).map((r) => r.name).sort()).toEqual(["rules-cache", "rules-origin", "rules-rewrite"]);
    });

    it("pageRules engine: the guide's three page rules and priorities, no rulesets", async () => {
        const run = await rules(withEdge(prodConfig, { rulesEngine: "pageRules" }));
        expect(ofType(run, RULESET)).toEqual([]);
        expect(inputsByName(run, PAGE_RULE)).toEqual({
            "rules-pagerule-root": { zoneId: OFFLINE_ZONE_ID, target: `${PROD_HOSTNAME}/`, priority: 3,
                status: "active", actions: { forwardingUrl: { url: `https://${PROD_HOSTNAME}/mail-to-biz`, statusCode: 301 } } },
            "rules-pagerule-api": { zoneId: OFFLINE_ZONE_ID, target: `${PROD_HOSTNAME}/api/*`, priority: 2,
                status: "active", actions: { cacheLevel: "bypass", disablePerformance: true } },
            "rules-pagerule-assets": { zoneId: OFFLINE_ZONE_ID, target: `${PROD_HOSTNAME}/mail-to-biz/assets/*`,
                priority: 1, status: "active", actions: { cacheLevel: "cache_everything", edgeCacheTtl: 86400 } },
        });
    });
});

describe("stack isolation", () => {
    async function allInputs(config: NovaConfig, tunnelId?: string): Promise<string> {
        const runs = [await dns(config, tunnelId), await rules(config), await rules(withEdge(config, { rulesEngine: "pageRules" }))];
        return JSON.stringify(runs.map((run) => run.resources));
    }

    it("staging resources never name the prod hostname, and prod never the staging one", async () => {
        const staging = await allInputs(stagingConfig, "tun-staging");
        expect(staging).toContain(STAGING_HOSTNAME);
        expect(staging).not.toContain(PROD_HOSTNAME);
        const prod = await allInputs(prodConfig);
        expect(prod).toContain(PROD_HOSTNAME);
        expect(prod).not.toContain(STAGING_HOSTNAME);
    });
});
