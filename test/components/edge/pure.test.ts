import { describe, expect, it } from "vitest";
import { hostnameRecordSpecs, tunnelCnameTarget } from "../../../components/edge/dnsRecords";
import { validateEdgeChoices } from "../../../components/edge/validateEdge";
import { wafRulesetSpec } from "../../../components/edge/waf";
import { BROWSER_CACHE_TTLS } from "../../../components/config/schemas";
import { settingNameSuffix, zoneSettingEntries } from "../../../components/edge/zoneSettings";
import { PROD_HOSTNAME, STAGING_HOSTNAME, baseEdge, prodConfig, stagingConfig, withEdge, withSettings } from "../../support/fixtures/edgeConfigs";

describe("zoneSettingEntries", () => {
    it("maps every setting to its snake_case id and API value", () => {
        expect(zoneSettingEntries(baseEdge.zoneSettings, [])).toEqual([
            { id: "ssl_automatic_mode", value: "custom" },
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

    it("manages tls_1_3 as zrt when 0-RTT is on, and as configured when 0rtt is unmanaged", () => {
        const on = { ...baseEdge.zoneSettings, zeroRtt: "on" as const };
        const entries = zoneSettingEntries(on, []);
        expect(entries.find((e) => e.id === "tls_1_3")).toEqual({ id: "tls_1_3", value: "zrt" });
        expect(entries.find((e) => e.id === "0rtt")).toEqual({ id: "0rtt", value: "on" });
        const unmanaged = zoneSettingEntries(on, ["0rtt"]);
        expect(unmanaged.find((e) => e.id === "tls_1_3")).toEqual({ id: "tls_1_3", value: "on" });
        expect(unmanaged.some((e) => e.id === "0rtt")).toBe(false);
    });

    it("leaves out unmanaged ids", () => {
        const ids = zoneSettingEntries(baseEdge.zoneSettings, ["early_hints", "always_online"]).map((e) => e.id);
        expect(ids).toEqual([
            "ssl_automatic_mode", "ssl", "always_use_https", "automatic_https_rewrites", "min_tls_version", "0rtt", "tls_1_3",
            "http3", "browser_cache_ttl", "websockets",
        ]);
    });

    it("names children after the setting id", () => {
        expect(settingNameSuffix("always_use_https")).toBe("setting-always-use-https");
        expect(settingNameSuffix("0rtt")).toBe("setting-0rtt");
        expect(settingNameSuffix("tls_1_3")).toBe("setting-tls-1-3");
    });
});

describe("hostnameRecordSpecs", () => {
    const common = { name: `${PROD_HOSTNAME}`, proxied: true, ttl: 1, comment: "Managed by nova-infra (stack prod)" };

    it("direct: A, and AAAA when an IPv6 is given", () => {
        expect(hostnameRecordSpecs(prodConfig, undefined)).toEqual([
            { suffix: "record", type: "A", content: "203.0.113.10", ...common },
            { suffix: "record-aaaa", type: "AAAA", content: "2001:db8::10", ...common },
        ]);
        expect(hostnameRecordSpecs({ ...prodConfig, originIpv6: undefined }, "ignored")).toEqual([
            { suffix: "record", type: "A", content: "203.0.113.10", ...common },
        ]);
    });

    it("direct without IPv4 throws", () => {
        expect(() => hostnameRecordSpecs({ ...prodConfig, originIpv4: undefined }, undefined)).toThrow(/nova:originIp is not set/);
    });

    it("tunnel: CNAME to the tunnel target, and a clear error without it", () => {
        expect(hostnameRecordSpecs(stagingConfig, tunnelCnameTarget("abc-123"))).toEqual([{
            suffix: "record", type: "CNAME", content: "abc-123.cfargotunnel.com",
            name: `${STAGING_HOSTNAME}`, proxied: true, ttl: 1, comment: "Managed by nova-infra (stack staging)",
        }]);
        expect(() => hostnameRecordSpecs(stagingConfig, undefined)).toThrow(/tunnel.*no tunnelId/);
    });
});

describe("wafRulesetSpec", () => {
    it("off: no ruleset", () => {
        expect(wafRulesetSpec(withEdge(prodConfig, { waf: "off" }))).toBeUndefined();
    });

    it("managed: executes the Cloudflare Managed Ruleset for the hostname", () => {
        expect(wafRulesetSpec(prodConfig)).toEqual({
            suffix: "waf", phase: "http_request_firewall_managed", kind: "zone", name: "default",
            description: "Managed WAF rulesets. Managed by nova-infra (stack prod)",
            rules: [{
                ref: "nova_waf_cloudflare_managed",
                description: `Cloudflare Managed Ruleset for ${PROD_HOSTNAME}`,
                expression: `http.host eq "${PROD_HOSTNAME}"`,
                action: "execute",
                actionParameters: { id: "efb7b8c949ac4650a09736fc376e9aee" },
                enabled: true,
            }],
        });
    });

    it("owasp: also the OWASP Core Ruleset", () => {
        const rules = wafRulesetSpec(withEdge(prodConfig, { waf: "owasp" }))!.rules;
        expect(rules.map((r) => [r.ref, r.action, r.actionParameters, r.expression])).toEqual([
            ["nova_waf_cloudflare_managed", "execute", { id: "efb7b8c949ac4650a09736fc376e9aee" }, `http.host eq "${PROD_HOSTNAME}"`],
            ["nova_waf_owasp_core", "execute", { id: "4814384a9e5d4991b9815dcfc25d2f1f" }, `http.host eq "${PROD_HOSTNAME}"`],
        ]);
    });
});

describe("validateEdgeChoices", () => {
    it("accepts the fixtures", () => {
        expect(validateEdgeChoices(prodConfig.edge)).toEqual([]);
        expect(validateEdgeChoices(withEdge(prodConfig, { rulesEngine: "pageRules", rootPath: "none" }).edge)).toEqual([]);
    });

    it("rejects rewrite with page rules, naming both keys", () => {
        const errors = validateEdgeChoices({ ...baseEdge, rulesEngine: "pageRules", rootPath: "rewrite" });
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/^nova:rootPath: "rewrite" needs nova:rulesEngine "rulesets"/);
    });

    it("rejects incoherent TLS settings, unknown unmanaged ids and bad TTLs", () => {
        const edge = withSettings(prodConfig, { zeroRtt: "on", tls13: "off", minTlsVersion: "1.3", browserCacheTtl: -1 }).edge;
        expect(validateEdgeChoices({ ...edge, unmanagedSettings: ["brotli", "http3"], assetsEdgeTtl: 0 })).toEqual([
            'nova:zoneSettings: zeroRtt "on" needs tls13 "on" (0-RTT is part of TLS 1.3)',
            'nova:zoneSettings: minTlsVersion "1.3" needs tls13 "on"',
            `nova:zoneSettings.browserCacheTtl: expected seconds, one of Cloudflare's values ${BROWSER_CACHE_TTLS.join(", ")} (0: respect the origin's headers), got -1`,
            'nova:unmanagedSettings: unknown setting id "brotli"; expected one of ssl_automatic_mode, ssl, always_use_https, ' +
                "automatic_https_rewrites, min_tls_version, 0rtt, tls_1_3, early_hints, http3, browser_cache_ttl, " +
                "always_online, websockets",
            "nova:assetsEdgeTtl: must be a whole number of seconds > 0",
        ]);
    });
});
