import { describe, expect, it } from "vitest";
import { pageRuleSpecs, rulesetSpecs } from "../../../components/edge/rules";
import { PROD_HOSTNAME, prodConfig, withEdge } from "../../support/fixtures/edgeConfigs";

const HOST = `http.host eq "${PROD_HOSTNAME}"`;
const ROOT = `${HOST} and http.request.uri.path eq "/"`;

describe("rulesetSpecs", () => {
    it("redirect + cache for rootPath redirect", () => {
        const specs = rulesetSpecs(prodConfig);
        expect(specs.map((s) => [s.suffix, s.phase, s.kind, s.name])).toEqual([
            ["redirect", "http_request_dynamic_redirect", "zone", "default"],
            ["cache", "http_request_cache_settings", "zone", "default"],
            // direct mode on port 8000: Cloudflare would connect on 443 without the origin rule.
            ["origin", "http_request_origin", "zone", "default"],
        ]);
        expect(specs[0].description).toBe("Single Redirects. Managed by nova-infra (stack prod)");
        expect(specs[0].rules).toEqual([{
            ref: "nova_root_redirect",
            description: `Redirect / on ${PROD_HOSTNAME} to /mail-to-biz`,
            expression: ROOT,
            action: "redirect",
            actionParameters: {
                fromValue: {
                    statusCode: 301,
                    preserveQueryString: true,
                    targetUrl: { value: `https://${PROD_HOSTNAME}/mail-to-biz` },
                },
            },
            enabled: true,
        }]);
    });

    it("cache rules: API and WebSocket bypass, assets with the configured edge TTL", () => {
        const cache = rulesetSpecs(withEdge(prodConfig, { assetsEdgeTtl: 7200 })).find((s) => s.suffix === "cache")!;
        expect(cache.rules).toEqual([
            {
                ref: "nova_cache_bypass_dynamic",
                description: `Never cache /api and /ws on ${PROD_HOSTNAME}`,
                expression:
                    `${HOST} and (http.request.uri.path eq "/api" or starts_with(http.request.uri.path, "/api/")` +
                    ' or http.request.uri.path eq "/ws" or starts_with(http.request.uri.path, "/ws/"))',
                action: "set_cache_settings",
                actionParameters: { cache: false },
                enabled: true,
            },
            {
                ref: "nova_cache_assets",
                description: `Cache /mail-to-biz/assets/* on ${PROD_HOSTNAME} at the edge for 7200 s`,
                expression: `${HOST} and starts_with(http.request.uri.path, "/mail-to-biz/assets/")`,
                action: "set_cache_settings",
                actionParameters: { cache: true, edgeTtl: { mode: "override_origin", default: 7200 } },
                enabled: true,
            },
        ]);
    });

    it("rewrite instead of redirect for rootPath rewrite; neither for none", () => {
        const rewrite = rulesetSpecs(withEdge(prodConfig, { rootPath: "rewrite" }));
        expect(rewrite.map((s) => s.phase)).toEqual(["http_request_cache_settings", "http_request_transform", "http_request_origin"]);
        expect(rewrite[1].rules).toEqual([{
            ref: "nova_root_rewrite",
            description: `Serve /mail-to-biz at / on ${PROD_HOSTNAME}`,
            expression: ROOT,
            action: "rewrite",
            actionParameters: { uri: { path: { value: "/mail-to-biz" } } },
            enabled: true,
        }]);
        expect(rulesetSpecs(withEdge(prodConfig, { rootPath: "none" })).map((s) => s.phase)).toEqual([
            "http_request_cache_settings",
            "http_request_origin",
        ]);
    });

    it("uses the configured paths", () => {
        const cfg = { ...prodConfig, paths: { ...prodConfig.paths, spa: "/app", api: "/v2", ws: "/live", assets: "/app/static" } };
        const json = JSON.stringify(rulesetSpecs(cfg));
        expect(json).toContain(`https://${PROD_HOSTNAME}/app`);
        expect(json).toContain('\\"/v2/\\"');
        expect(json).toContain('\\"/live\\"');
        expect(json).toContain('\\"/app/static/\\"');
        expect(json).not.toContain("mail-to-biz");
        expect(json).not.toContain('\\"/api');
    });

    it("nothing for the pageRules engine", () => {
        expect(rulesetSpecs(withEdge(prodConfig, { rulesEngine: "pageRules" }))).toEqual([]);
    });
});

describe("pageRuleSpecs", () => {
    it("the guide's three page rules with explicit priorities", () => {
        expect(pageRuleSpecs(withEdge(prodConfig, { rulesEngine: "pageRules" }))).toEqual([
            {
                suffix: "pagerule-root", target: `${PROD_HOSTNAME}/`, priority: 3, status: "active",
                actions: { forwardingUrl: { url: `https://${PROD_HOSTNAME}/mail-to-biz`, statusCode: 301 } },
            },
            {
                suffix: "pagerule-api", target: `${PROD_HOSTNAME}/api/*`, priority: 2, status: "active",
                actions: { cacheLevel: "bypass", disablePerformance: true },
            },
            {
                suffix: "pagerule-assets", target: `${PROD_HOSTNAME}/mail-to-biz/assets/*`, priority: 1,
                status: "active", actions: { cacheLevel: "cache_everything", edgeCacheTtl: 86400 },
            },
        ]);
    });

    it("no forwarding rule for rootPath none; rewrite throws; nothing for rulesets", () => {
        expect(pageRuleSpecs(withEdge(prodConfig, { rulesEngine: "pageRules", rootPath: "none" })).map((r) => r.suffix))
            .toEqual(["pagerule-api", "pagerule-assets"]);
        expect(() => pageRuleSpecs(withEdge(prodConfig, { rulesEngine: "pageRules", rootPath: "rewrite" })))
            .toThrow(/nova:rootPath "rewrite".*nova:rulesEngine "pageRules"/);
        expect(pageRuleSpecs(prodConfig)).toEqual([]);
    });
});
