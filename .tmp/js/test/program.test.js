"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const redact_1 = require("../scripts/lib/redact");
const offlineFixtures_1 = require("../scripts/lib/offlineFixtures");
const harness_1 = require("./harness");
const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";
(0, vitest_1.describe)("the program as wired in index.ts", () => {
    (0, vitest_1.it)("points the hostname and every extra tunnel hostname at the tunnel", async () => {
        const p = await (0, harness_1.plan)("prod", { "nova:tunnelExtraHostnames": '["api.itspirit.ovh","Docs.itspirit.ovh"]' });
        const tunnelId = (0, harness_1.one)(p, TUNNEL, "nova-tunnel").id;
        const records = (0, harness_1.ofType)(p, DNS).map((r) => [r.name, r.inputs.name, r.inputs.type, r.inputs.content]);
        (0, vitest_1.expect)(records).toEqual([
            ["nova-record", "nova-rondot.itspirit.ovh", "CNAME", `${tunnelId}.cfargotunnel.com`],
            ["nova-record-api-itspirit-ovh", "api.itspirit.ovh", "CNAME", `${tunnelId}.cfargotunnel.com`],
            ["nova-record-docs-itspirit-ovh", "Docs.itspirit.ovh", "CNAME", `${tunnelId}.cfargotunnel.com`],
        ]);
    });
    (0, vitest_1.it)("has no tunnel resource at all in direct mode, and an A record to the origin", async () => {
        const p = await (0, harness_1.plan)("staging");
        (0, vitest_1.expect)(p.run.resources.filter((r) => r.type.includes("zeroTrustTunnel") || r.type.startsWith("random:"))).toEqual([]);
        (0, vitest_1.expect)((0, harness_1.ofType)(p, DNS).map((r) => [r.inputs.name, r.inputs.type, r.inputs.content, r.inputs.proxied, r.inputs.ttl])).toEqual([
            ["nova-staging.itspirit.ovh", "A", "203.0.113.20", true, 1],
        ]);
    });
    (0, vitest_1.it)("asks Cloudflare's IP ranges once, in direct mode only", async () => {
        const direct = await (0, harness_1.plan)("staging", { "nova:hosts": JSON.stringify([1, 2, 3].map((i) => ({ name: `h${i}`, address: `192.0.2.${i}`, transport: "winrm", user: "Administrator" }))) });
        (0, vitest_1.expect)(direct.run.invokes.filter((i) => i.token === "cloudflare:index/getIpRanges:getIpRanges")).toHaveLength(1);
        const tunnel = await (0, harness_1.plan)("prod");
        (0, vitest_1.expect)(tunnel.run.invokes.filter((i) => i.token === "cloudflare:index/getIpRanges:getIpRanges")).toHaveLength(0);
        (0, vitest_1.expect)(offlineFixtures_1.CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs.length).toBeGreaterThan(10);
    });
    (0, vitest_1.it)("leaves the zone-wide resources to the stack that owns the zone", async () => {
        const owner = await (0, harness_1.plan)("prod");
        const guest = await (0, harness_1.plan)("staging");
        const zoneWide = (p) => p.run.resources.filter((r) => /zoneSetting|ruleset|pageRule/.test(r.type)).length;
        (0, vitest_1.expect)(zoneWide(owner)).toBeGreaterThan(0);
        (0, vitest_1.expect)(zoneWide(guest)).toBe(0);
        (0, vitest_1.expect)(zoneWide(await (0, harness_1.plan)("staging", { "nova:manageZone": "true" }))).toBeGreaterThan(0);
    });
    (0, vitest_1.it)("exports no secret in the stack outputs", async () => {
        const p = await (0, harness_1.plan)("prod");
        (0, vitest_1.expect)((0, redact_1.redact)(p.run.outputs)).toEqual({
            hosts: ["rondot"],
            ingressMode: "tunnel",
            tunnelId: (0, harness_1.one)(p, TUNNEL, "nova-tunnel").id,
            url: "https://nova-rondot.itspirit.ovh/mail-to-biz",
            zoneId: "0ff11e00000000000000000000000000",
        });
    });
});
