"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
const pulumi = __importStar(require("@pulumi/pulumi"));
const vitest_1 = require("vitest");
const novaDns_1 = require("../../components/novaDns");
const novaRules_1 = require("../../components/novaRules");
const edgeMocks_1 = require("../edgeMocks");
const edgeConfigs_1 = require("../fixtures/edgeConfigs");
const DNS_RECORD = "cloudflare:index/dnsRecord:DnsRecord";
const ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const RULESET = "cloudflare:index/ruleset:Ruleset";
const PAGE_RULE = "cloudflare:index/pageRule:PageRule";
(0, vitest_1.beforeAll)(() => (0, edgeMocks_1.installEdgeMocks)());
(0, vitest_1.beforeEach)(() => (0, edgeMocks_1.resetRegistered)());
async function dns(config, tunnelId) {
    const component = new novaDns_1.NovaDns("edge", { config, tunnelId });
    await (0, edgeMocks_1.settle)();
    return component;
}
async function rules(config) {
    new novaRules_1.NovaRules("rules", { config, zoneId: edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID });
    await (0, edgeMocks_1.settle)();
}
(0, vitest_1.describe)("NovaDns", () => {
    (0, vitest_1.it)("looks the zone up by name when no zone id is configured", async () => {
        const component = await dns(edgeConfigs_1.prodConfig);
        (0, vitest_1.expect)(await (0, edgeMocks_1.valueOf)(component.zoneId)).toBe(edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID);
        (0, vitest_1.expect)(edgeMocks_1.invoked).toEqual([{
                token: "cloudflare:index/getZone:getZone",
                args: { filter: { name: edgeConfigs_1.FIXTURE_ZONE_NAME, account: { id: edgeConfigs_1.prodConfig.accountId } } },
            }]);
        (0, vitest_1.expect)((0, edgeMocks_1.byName)("edge").type).toBe("nova:dns:NovaDns");
    });
    (0, vitest_1.it)("uses the configured zone id without any lookup", async () => {
        const component = await dns(edgeConfigs_1.stagingConfig, "tun-1");
        (0, vitest_1.expect)(await (0, edgeMocks_1.valueOf)(component.zoneId)).toBe("5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e");
        (0, vitest_1.expect)(edgeMocks_1.invoked).toEqual([]);
        for (const r of edgeMocks_1.registered.filter((r) => r.type.startsWith("cloudflare:"))) {
            (0, vitest_1.expect)(r.inputs.zoneId).toBe("5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e");
        }
    });
    (0, vitest_1.it)("direct: proxied A and AAAA records", async () => {
        await dns(edgeConfigs_1.prodConfig);
        const common = { zoneId: edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID, name: edgeConfigs_1.PROD_HOSTNAME, proxied: true, ttl: 1,
            comment: "Managed by nova-infra (stack prod)" };
        (0, vitest_1.expect)((0, edgeMocks_1.inputsByName)(DNS_RECORD)).toEqual({
            "edge-record": { ...common, type: "A", content: "203.0.113.10" },
            "edge-record-aaaa": { ...common, type: "AAAA", content: "2001:db8::10" },
        });
    });
    (0, vitest_1.it)("tunnel: one proxied CNAME to <tunnel id>.cfargotunnel.com", async () => {
        await dns(edgeConfigs_1.stagingConfig, pulumi.output("6f1e-tunnel"));
        (0, vitest_1.expect)((0, edgeMocks_1.ofType)(DNS_RECORD)).toEqual([{
                type: DNS_RECORD, name: "edge-record",
                inputs: { zoneId: edgeConfigs_1.stagingConfig.zoneId, name: edgeConfigs_1.STAGING_HOSTNAME, type: "CNAME",
                    content: "6f1e-tunnel.cfargotunnel.com", proxied: true, ttl: 1,
                    comment: "Managed by nova-infra (stack staging)" },
            }]);
    });
    (0, vitest_1.it)("tunnel without a tunnel id is a clear error", () => {
        (0, vitest_1.expect)(() => new novaDns_1.NovaDns("edge-bad", { config: edgeConfigs_1.stagingConfig })).toThrow(/no tunnelId was given/);
    });
    (0, vitest_1.it)("one ZoneSetting per managed id, with the API values", async () => {
        await dns(edgeConfigs_1.prodConfig);
        const settings = (0, edgeMocks_1.ofType)(ZONE_SETTING).map((r) => [r.name, r.inputs.settingId, r.inputs.value, r.inputs.zoneId]);
        (0, vitest_1.expect)(settings).toHaveLength(11);
        (0, vitest_1.expect)(settings).toEqual(vitest_1.expect.arrayContaining([
            ["edge-setting-ssl", "ssl", "full", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-always-use-https", "always_use_https", "on", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-automatic-https-rewrites", "automatic_https_rewrites", "on", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-min-tls-version", "min_tls_version", "1.2", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-0rtt", "0rtt", "off", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-tls-1-3", "tls_1_3", "on", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-early-hints", "early_hints", "on", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-http3", "http3", "on", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-browser-cache-ttl", "browser_cache_ttl", 14400, edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-always-online", "always_online", "on", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
            ["edge-setting-websockets", "websockets", "on", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID],
        ]));
    });
    (0, vitest_1.it)("0-RTT on: tls_1_3 managed as zrt; unmanaged ids are skipped", async () => {
        const cfg = (0, edgeConfigs_1.withEdge)((0, edgeConfigs_1.withSettings)(edgeConfigs_1.prodConfig, { zeroRtt: "on", ssl: "strict" }), { unmanagedSettings: ["http3", "always_online"] });
        await dns(cfg);
        const values = Object.fromEntries((0, edgeMocks_1.ofType)(ZONE_SETTING).map((r) => [r.inputs.settingId, r.inputs.value]));
        (0, vitest_1.expect)(values).toEqual({
            ssl: "strict", always_use_https: "on", automatic_https_rewrites: "on", min_tls_version: "1.2",
            "0rtt": "on", tls_1_3: "zrt", early_hints: "on", browser_cache_ttl: 14400, websockets: "on",
        });
    });
    (0, vitest_1.it)("WAF managed / owasp / off", async () => {
        await dns(edgeConfigs_1.prodConfig);
        const [waf] = (0, edgeMocks_1.ofType)(RULESET);
        (0, vitest_1.expect)(waf.name).toBe("edge-waf");
        (0, vitest_1.expect)(waf.inputs).toEqual({
            zoneId: edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID, kind: "zone", phase: "http_request_firewall_managed", name: "default",
            description: "Managed WAF rulesets. Managed by nova-infra (stack prod)",
            rules: [{
                    ref: "nova_waf_cloudflare_managed", description: `Cloudflare Managed Ruleset for ${edgeConfigs_1.PROD_HOSTNAME}`,
                    expression: `http.host eq "${edgeConfigs_1.PROD_HOSTNAME}"`, action: "execute",
                    actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" }, enabled: true,
                }],
        });
        (0, edgeMocks_1.resetRegistered)();
        await dns((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { waf: "owasp" }));
        const rules = (0, edgeMocks_1.ofType)(RULESET)[0].inputs.rules;
        (0, vitest_1.expect)(rules.map((r) => [r.ref, r.actionParameters.id])).toEqual([
            ["nova_waf_cloudflare_managed", "efb7b8c949ac4650a09736fc376e9aee"],
            ["nova_waf_owasp_core", "4814384a9e5d4991b9815dcfc25d2f1f"],
        ]);
        (0, edgeMocks_1.resetRegistered)();
        await dns((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { waf: "off" }));
        (0, vitest_1.expect)((0, edgeMocks_1.ofType)(RULESET)).toEqual([]);
    });
});
(0, vitest_1.describe)("NovaRules", () => {
    (0, vitest_1.it)("rulesets engine: redirect and cache entry-point rulesets, no page rules", async () => {
        await rules(edgeConfigs_1.prodConfig);
        (0, vitest_1.expect)((0, edgeMocks_1.byName)("rules").type).toBe("nova:rules:NovaRules");
        (0, vitest_1.expect)((0, edgeMocks_1.ofType)(PAGE_RULE)).toEqual([]);
        const rulesets = (0, edgeMocks_1.inputsByName)(RULESET);
        (0, vitest_1.expect)(Object.keys(rulesets).sort()).toEqual(["rules-cache", "rules-redirect"]);
        const redirect = rulesets["rules-redirect"];
        (0, vitest_1.expect)([redirect.phase, redirect.kind, redirect.name, redirect.zoneId])
            .toEqual(["http_request_dynamic_redirect", "zone", "default", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID]);
        (0, vitest_1.expect)(redirect.rules).toEqual([{
                ref: "nova_root_redirect", description: `Redirect / on ${edgeConfigs_1.PROD_HOSTNAME} to /mail-to-biz`,
                expression: `http.host eq "${edgeConfigs_1.PROD_HOSTNAME}" and http.request.uri.path eq "/"`, action: "redirect",
                actionParameters: { fromValue: { statusCode: 301, preserveQueryString: true,
                        targetUrl: { value: `https://${edgeConfigs_1.PROD_HOSTNAME}/mail-to-biz` } } },
                enabled: true,
            }]);
        const cacheRuleset = rulesets["rules-cache"];
        (0, vitest_1.expect)([cacheRuleset.phase, cacheRuleset.kind, cacheRuleset.name, cacheRuleset.zoneId])
            .toEqual(["http_request_cache_settings", "zone", "default", edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID]);
        const cache = cacheRuleset.rules;
        (0, vitest_1.expect)(cache.map((r) => [r.ref, r.actionParameters])).toEqual([
            ["nova_cache_bypass_dynamic", { cache: false }],
            ["nova_cache_assets", { cache: true, edgeTtl: { mode: "override_origin", default: 86400 } }],
        ]);
    });
    (0, vitest_1.it)("rulesets engine with rootPath rewrite: transform ruleset", async () => {
        await rules((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rootPath: "rewrite" }));
        const rewrite = (0, edgeMocks_1.byName)("rules-rewrite");
        (0, vitest_1.expect)(rewrite.inputs.phase).toBe("http_request_transform");
        (0, vitest_1.expect)(rewrite.inputs.rules).toEqual([{
                ref: "nova_root_rewrite", description: `Serve /mail-to-biz at / on ${edgeConfigs_1.PROD_HOSTNAME}`,
                expression: `http.host eq "${edgeConfigs_1.PROD_HOSTNAME}" and http.request.uri.path eq "/"`, action: "rewrite",
                actionParameters: { uri: { path: { value: "/mail-to-biz" } } }, enabled: true,
            }]);
        (0, vitest_1.expect)((0, edgeMocks_1.ofType)(RULESET).map((r) => r.name).sort()).toEqual(["rules-cache", "rules-rewrite"]);
    });
    (0, vitest_1.it)("pageRules engine: the guide's three page rules and priorities, no rulesets", async () => {
        await rules((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rulesEngine: "pageRules" }));
        (0, vitest_1.expect)((0, edgeMocks_1.ofType)(RULESET)).toEqual([]);
        (0, vitest_1.expect)((0, edgeMocks_1.inputsByName)(PAGE_RULE)).toEqual({
            "rules-pagerule-root": { zoneId: edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID, target: `${edgeConfigs_1.PROD_HOSTNAME}/`, priority: 3,
                status: "active", actions: { forwardingUrl: { url: `https://${edgeConfigs_1.PROD_HOSTNAME}/mail-to-biz`, statusCode: 301 } } },
            "rules-pagerule-api": { zoneId: edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID, target: `${edgeConfigs_1.PROD_HOSTNAME}/api/*`, priority: 2,
                status: "active", actions: { cacheLevel: "bypass", disablePerformance: true } },
            "rules-pagerule-assets": { zoneId: edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID, target: `${edgeConfigs_1.PROD_HOSTNAME}/mail-to-biz/assets/*`,
                priority: 1, status: "active", actions: { cacheLevel: "cache_everything", edgeCacheTtl: 86400 } },
        });
    });
});
(0, vitest_1.describe)("stack isolation", () => {
    async function allInputs(config, tunnelId) {
        (0, edgeMocks_1.resetRegistered)();
        await dns(config, tunnelId);
        await rules(config);
        await rules((0, edgeConfigs_1.withEdge)(config, { rulesEngine: "pageRules" }));
        return JSON.stringify(edgeMocks_1.registered);
    }
    (0, vitest_1.it)("staging resources never name the prod hostname, and prod never the staging one", async () => {
        const staging = await allInputs(edgeConfigs_1.stagingConfig, "tun-staging");
        (0, vitest_1.expect)(staging).toContain(edgeConfigs_1.STAGING_HOSTNAME);
        (0, vitest_1.expect)(staging).not.toContain(edgeConfigs_1.PROD_HOSTNAME);
        const prod = await allInputs(edgeConfigs_1.prodConfig);
        (0, vitest_1.expect)(prod).toContain(edgeConfigs_1.PROD_HOSTNAME);
        (0, vitest_1.expect)(prod).not.toContain(edgeConfigs_1.STAGING_HOSTNAME);
    });
});
