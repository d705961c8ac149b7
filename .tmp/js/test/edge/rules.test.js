"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const rules_1 = require("../../components/edge/rules");
const edgeConfigs_1 = require("../fixtures/edgeConfigs");
const HOST = `http.host eq "${edgeConfigs_1.PROD_HOSTNAME}"`;
const ROOT = `${HOST} and http.request.uri.path eq "/"`;
(0, vitest_1.describe)("rulesetSpecs", () => {
    (0, vitest_1.it)("redirect + cache for rootPath redirect", () => {
        const specs = (0, rules_1.rulesetSpecs)(edgeConfigs_1.prodConfig);
        (0, vitest_1.expect)(specs.map((s) => [s.suffix, s.phase, s.kind, s.name])).toEqual([
            ["redirect", "http_request_dynamic_redirect", "zone", "default"],
            ["cache", "http_request_cache_settings", "zone", "default"],
        ]);
        (0, vitest_1.expect)(specs[0].description).toBe("Single Redirects. Managed by nova-infra (stack prod)");
        (0, vitest_1.expect)(specs[0].rules).toEqual([{
                ref: "nova_root_redirect",
                description: `Redirect / on ${edgeConfigs_1.PROD_HOSTNAME} to /mail-to-biz`,
                expression: ROOT,
                action: "redirect",
                actionParameters: {
                    fromValue: {
                        statusCode: 301,
                        preserveQueryString: true,
                        targetUrl: { value: `https://${edgeConfigs_1.PROD_HOSTNAME}/mail-to-biz` },
                    },
                },
                enabled: true,
            }]);
    });
    (0, vitest_1.it)("cache rules: API and WebSocket bypass, assets with the configured edge TTL", () => {
        const cache = (0, rules_1.rulesetSpecs)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { assetsEdgeTtl: 7200 })).find((s) => s.suffix === "cache");
        (0, vitest_1.expect)(cache.rules).toEqual([
            {
                ref: "nova_cache_bypass_dynamic",
                description: `Never cache /api and /ws on ${edgeConfigs_1.PROD_HOSTNAME}`,
                expression: `${HOST} and (http.request.uri.path eq "/api" or starts_with(http.request.uri.path, "/api/")` +
                    ' or http.request.uri.path eq "/ws" or starts_with(http.request.uri.path, "/ws/"))',
                action: "set_cache_settings",
                actionParameters: { cache: false },
                enabled: true,
            },
            {
                ref: "nova_cache_assets",
                description: `Cache /mail-to-biz/assets/* on ${edgeConfigs_1.PROD_HOSTNAME} at the edge for 7200 s`,
                expression: `${HOST} and starts_with(http.request.uri.path, "/mail-to-biz/assets/")`,
                action: "set_cache_settings",
                actionParameters: { cache: true, edgeTtl: { mode: "override_origin", default: 7200 } },
                enabled: true,
            },
        ]);
    });
    (0, vitest_1.it)("rewrite instead of redirect for rootPath rewrite; neither for none", () => {
        const rewrite = (0, rules_1.rulesetSpecs)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rootPath: "rewrite" }));
        (0, vitest_1.expect)(rewrite.map((s) => s.phase)).toEqual(["http_request_cache_settings", "http_request_transform"]);
        (0, vitest_1.expect)(rewrite[1].rules).toEqual([{
                ref: "nova_root_rewrite",
                description: `Serve /mail-to-biz at / on ${edgeConfigs_1.PROD_HOSTNAME}`,
                expression: ROOT,
                action: "rewrite",
                actionParameters: { uri: { path: { value: "/mail-to-biz" } } },
                enabled: true,
            }]);
        (0, vitest_1.expect)((0, rules_1.rulesetSpecs)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rootPath: "none" })).map((s) => s.phase)).toEqual([
            "http_request_cache_settings",
        ]);
    });
    (0, vitest_1.it)("uses the configured paths", () => {
        const cfg = { ...edgeConfigs_1.prodConfig, paths: { ...edgeConfigs_1.prodConfig.paths, spa: "/app", api: "/v2", ws: "/live", assets: "/app/static" } };
        const json = JSON.stringify((0, rules_1.rulesetSpecs)(cfg));
        (0, vitest_1.expect)(json).toContain(`https://${edgeConfigs_1.PROD_HOSTNAME}/app`);
        (0, vitest_1.expect)(json).toContain('\\"/v2/\\"');
        (0, vitest_1.expect)(json).toContain('\\"/live\\"');
        (0, vitest_1.expect)(json).toContain('\\"/app/static/\\"');
        (0, vitest_1.expect)(json).not.toContain("mail-to-biz");
        (0, vitest_1.expect)(json).not.toContain('\\"/api');
    });
    (0, vitest_1.it)("nothing for the pageRules engine", () => {
        (0, vitest_1.expect)((0, rules_1.rulesetSpecs)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rulesEngine: "pageRules" }))).toEqual([]);
    });
});
(0, vitest_1.describe)("pageRuleSpecs", () => {
    (0, vitest_1.it)("the guide's three page rules with explicit priorities", () => {
        (0, vitest_1.expect)((0, rules_1.pageRuleSpecs)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rulesEngine: "pageRules" }))).toEqual([
            {
                suffix: "pagerule-root", target: `${edgeConfigs_1.PROD_HOSTNAME}/`, priority: 3, status: "active",
                actions: { forwardingUrl: { url: `https://${edgeConfigs_1.PROD_HOSTNAME}/mail-to-biz`, statusCode: 301 } },
            },
            {
                suffix: "pagerule-api", target: `${edgeConfigs_1.PROD_HOSTNAME}/api/*`, priority: 2, status: "active",
                actions: { cacheLevel: "bypass", disablePerformance: true },
            },
            {
                suffix: "pagerule-assets", target: `${edgeConfigs_1.PROD_HOSTNAME}/mail-to-biz/assets/*`, priority: 1,
                status: "active", actions: { cacheLevel: "cache_everything", edgeCacheTtl: 86400 },
            },
        ]);
    });
    (0, vitest_1.it)("no forwarding rule for rootPath none; rewrite throws; nothing for rulesets", () => {
        (0, vitest_1.expect)((0, rules_1.pageRuleSpecs)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rulesEngine: "pageRules", rootPath: "none" })).map((r) => r.suffix))
            .toEqual(["pagerule-api", "pagerule-assets"]);
        (0, vitest_1.expect)(() => (0, rules_1.pageRuleSpecs)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rulesEngine: "pageRules", rootPath: "rewrite" })))
            .toThrow(/nova:rootPath "rewrite".*nova:rulesEngine "pageRules"/);
        (0, vitest_1.expect)((0, rules_1.pageRuleSpecs)(edgeConfigs_1.prodConfig)).toEqual([]);
    });
});
