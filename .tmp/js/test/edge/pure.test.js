"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const dnsRecords_1 = require("../../components/edge/dnsRecords");
const validateEdge_1 = require("../../components/edge/validateEdge");
const waf_1 = require("../../components/edge/waf");
const zoneSettings_1 = require("../../components/edge/zoneSettings");
const edgeConfigs_1 = require("../fixtures/edgeConfigs");
(0, vitest_1.describe)("zoneSettingEntries", () => {
    (0, vitest_1.it)("maps every setting to its snake_case id and API value", () => {
        (0, vitest_1.expect)((0, zoneSettings_1.zoneSettingEntries)(edgeConfigs_1.baseEdge.zoneSettings, [])).toEqual([
            { id: "ssl", value: "full" },
            { id: "always_use_https", value: "on" },
            { id: "automatic_https_rewrites", value: "on" },
            { id: "min_tls_version", value: "1.2" },
            { id: "0rtt", value: "off" },
            { id: "tls_1_3", value: "on" },
            { id: "early_hints", value: "on" },
            { id: "http3", value: "on" },
            { id: "browser_cache_ttl", value: 14400 },
            { id: "always_online", value: "on" },
            { id: "websockets", value: "on" },
        ]);
    });
    (0, vitest_1.it)("manages tls_1_3 as zrt when 0-RTT is on, and as configured when 0rtt is unmanaged", () => {
        const on = { ...edgeConfigs_1.baseEdge.zoneSettings, zeroRtt: "on" };
        const entries = (0, zoneSettings_1.zoneSettingEntries)(on, []);
        (0, vitest_1.expect)(entries.find((e) => e.id === "tls_1_3")).toEqual({ id: "tls_1_3", value: "zrt" });
        (0, vitest_1.expect)(entries.find((e) => e.id === "0rtt")).toEqual({ id: "0rtt", value: "on" });
        const unmanaged = (0, zoneSettings_1.zoneSettingEntries)(on, ["0rtt"]);
        (0, vitest_1.expect)(unmanaged.find((e) => e.id === "tls_1_3")).toEqual({ id: "tls_1_3", value: "on" });
        (0, vitest_1.expect)(unmanaged.some((e) => e.id === "0rtt")).toBe(false);
    });
    (0, vitest_1.it)("leaves out unmanaged ids", () => {
        const ids = (0, zoneSettings_1.zoneSettingEntries)(edgeConfigs_1.baseEdge.zoneSettings, ["early_hints", "always_online"]).map((e) => e.id);
        (0, vitest_1.expect)(ids).toEqual([
            "ssl", "always_use_https", "automatic_https_rewrites", "min_tls_version", "0rtt", "tls_1_3",
            "http3", "browser_cache_ttl", "websockets",
        ]);
    });
    (0, vitest_1.it)("names children after the setting id", () => {
        (0, vitest_1.expect)((0, zoneSettings_1.settingNameSuffix)("always_use_https")).toBe("setting-always-use-https");
        (0, vitest_1.expect)((0, zoneSettings_1.settingNameSuffix)("0rtt")).toBe("setting-0rtt");
        (0, vitest_1.expect)((0, zoneSettings_1.settingNameSuffix)("tls_1_3")).toBe("setting-tls-1-3");
    });
});
(0, vitest_1.describe)("hostnameRecordSpecs", () => {
    const common = { name: `${edgeConfigs_1.PROD_HOSTNAME}`, proxied: true, ttl: 1, comment: "Managed by nova-infra (stack prod)" };
    (0, vitest_1.it)("direct: A, and AAAA when an IPv6 is given", () => {
        (0, vitest_1.expect)((0, dnsRecords_1.hostnameRecordSpecs)(edgeConfigs_1.prodConfig, undefined)).toEqual([
            { suffix: "record", type: "A", content: "203.0.113.10", ...common },
            { suffix: "record-aaaa", type: "AAAA", content: "2001:db8::10", ...common },
        ]);
        (0, vitest_1.expect)((0, dnsRecords_1.hostnameRecordSpecs)({ ...edgeConfigs_1.prodConfig, originIpv6: undefined }, "ignored")).toEqual([
            { suffix: "record", type: "A", content: "203.0.113.10", ...common },
        ]);
    });
    (0, vitest_1.it)("direct without IPv4 throws", () => {
        (0, vitest_1.expect)(() => (0, dnsRecords_1.hostnameRecordSpecs)({ ...edgeConfigs_1.prodConfig, originIpv4: undefined }, undefined)).toThrow(/nova:originIp is not set/);
    });
    (0, vitest_1.it)("tunnel: CNAME to the tunnel target, and a clear error without it", () => {
        (0, vitest_1.expect)((0, dnsRecords_1.hostnameRecordSpecs)(edgeConfigs_1.stagingConfig, (0, dnsRecords_1.tunnelCnameTarget)("abc-123"))).toEqual([{
                suffix: "record", type: "CNAME", content: "abc-123.cfargotunnel.com",
                name: `${edgeConfigs_1.STAGING_HOSTNAME}`, proxied: true, ttl: 1, comment: "Managed by nova-infra (stack staging)",
            }]);
        (0, vitest_1.expect)(() => (0, dnsRecords_1.hostnameRecordSpecs)(edgeConfigs_1.stagingConfig, undefined)).toThrow(/tunnel.*no tunnelId/);
    });
});
(0, vitest_1.describe)("wafRulesetSpec", () => {
    (0, vitest_1.it)("off: no ruleset", () => {
        (0, vitest_1.expect)((0, waf_1.wafRulesetSpec)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { waf: "off" }))).toBeUndefined();
    });
    (0, vitest_1.it)("managed: executes the Cloudflare Managed Ruleset for the hostname", () => {
        (0, vitest_1.expect)((0, waf_1.wafRulesetSpec)(edgeConfigs_1.prodConfig)).toEqual({
            suffix: "waf", phase: "http_request_firewall_managed", kind: "zone", name: "default",
            description: "Managed WAF rulesets. Managed by nova-infra (stack prod)",
            rules: [{
                    ref: "nova_waf_cloudflare_managed",
                    description: `Cloudflare Managed Ruleset for ${edgeConfigs_1.PROD_HOSTNAME}`,
                    expression: `http.host eq "${edgeConfigs_1.PROD_HOSTNAME}"`,
                    action: "execute",
                    actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" },
                    enabled: true,
                }],
        });
    });
    (0, vitest_1.it)("owasp: also the OWASP Core Ruleset", () => {
        const rules = (0, waf_1.wafRulesetSpec)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { waf: "owasp" })).rules;
        (0, vitest_1.expect)(rules.map((r) => [r.ref, r.action, r.actionParameters, r.expression])).toEqual([
            ["nova_waf_cloudflare_managed", "execute", { id: "efb7b8c949ac4650a09736fc376e9aee" }, `http.host eq "${edgeConfigs_1.PROD_HOSTNAME}"`],
            ["nova_waf_owasp_core", "execute", { id: "4814384a9e5d4991b9815dcfc25d2f1f" }, `http.host eq "${edgeConfigs_1.PROD_HOSTNAME}"`],
        ]);
    });
});
(0, vitest_1.describe)("validateEdgeChoices", () => {
    (0, vitest_1.it)("accepts the fixtures", () => {
        (0, vitest_1.expect)((0, validateEdge_1.validateEdgeChoices)(edgeConfigs_1.prodConfig.edge)).toEqual([]);
        (0, vitest_1.expect)((0, validateEdge_1.validateEdgeChoices)((0, edgeConfigs_1.withEdge)(edgeConfigs_1.prodConfig, { rulesEngine: "pageRules", rootPath: "none" }).edge)).toEqual([]);
    });
    (0, vitest_1.it)("rejects rewrite with page rules, naming both keys", () => {
        const errors = (0, validateEdge_1.validateEdgeChoices)({ ...edgeConfigs_1.baseEdge, rulesEngine: "pageRules", rootPath: "rewrite" });
        (0, vitest_1.expect)(errors).toHaveLength(1);
        (0, vitest_1.expect)(errors[0]).toMatch(/^nova:rootPath: "rewrite" needs nova:rulesEngine "rulesets"/);
    });
    (0, vitest_1.it)("rejects incoherent TLS settings, unknown unmanaged ids and bad TTLs", () => {
        const edge = (0, edgeConfigs_1.withSettings)(edgeConfigs_1.prodConfig, { zeroRtt: "on", tls13: "off", minTlsVersion: "1.3", browserCacheTtl: -1 }).edge;
        (0, vitest_1.expect)((0, validateEdge_1.validateEdgeChoices)({ ...edge, unmanagedSettings: ["brotli", "http3"], assetsEdgeTtl: 0 })).toEqual([
            'nova:zoneSettings: zeroRtt "on" needs tls13 "on" (0-RTT is part of TLS 1.3)',
            'nova:zoneSettings: minTlsVersion "1.3" needs tls13 "on"',
            "nova:zoneSettings: browserCacheTtl must be a whole number of seconds >= 0",
            'nova:unmanagedSettings: unknown setting id "brotli"; expected one of ssl, always_use_https, ' +
                "automatic_https_rewrites, min_tls_version, 0rtt, tls_1_3, early_hints, http3, browser_cache_ttl, " +
                "always_online, websockets",
            "nova:assetsEdgeTtl: must be a whole number of seconds > 0",
        ]);
    });
});
