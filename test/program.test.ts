import { describe, expect, it } from "vitest";
import { redact } from "../scripts/shared/planning/redact";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../scripts/shared/planning/offlineFixtures";
import { ofType, one, plan, planAsOwner } from "./support/harness";

const DNS = "cloudflare:index/dnsRecord:DnsRecord";
const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";

describe("the program as wired in index.ts", () => {
    it("points the hostname and every extra tunnel hostname at the tunnel", async () => {
        const p = await plan("prod", { "nova:tunnelExtraHostnames": '["api.itspirit.ovh","Docs.itspirit.ovh"]' });
        const tunnelId = one(p, TUNNEL, "nova-tunnel").id;
        const records = ofType(p, DNS).map((r) => [r.name, r.inputs.name, r.inputs.type, r.inputs.content]);
        expect(records).toEqual([
            ["nova-record", "nova-rondot.itspirit.ovh", "CNAME", `${tunnelId}.cfargotunnel.com`],
            ["nova-record-api.itspirit.ovh", "api.itspirit.ovh", "CNAME", `${tunnelId}.cfargotunnel.com`],
            ["nova-record-docs.itspirit.ovh", "Docs.itspirit.ovh", "CNAME", `${tunnelId}.cfargotunnel.com`],
        ]);
    });

    it("names extra hostnames' records after the hostname, so no two can collide", async () => {
        const p = await plan("prod", { "nova:tunnelExtraHostnames": '["x-y.z.itspirit.ovh","x.y-z.itspirit.ovh"]' });
        expect(ofType(p, DNS).map((r) => r.name)).toEqual(["nova-record", "nova-record-x-y.z.itspirit.ovh", "nova-record-x.y-z.itspirit.ovh"]);
    });

    it("has no tunnel resource at all in direct mode, and an A record to the origin", async () => {
        const p = await plan("staging");
        expect(p.run.resources.filter((r) => r.type.includes("zeroTrustTunnel") || r.type.startsWith("random:"))).toEqual([]);
        expect(ofType(p, DNS).map((r) => [r.inputs.name, r.inputs.type, r.inputs.content, r.inputs.proxied, r.inputs.ttl])).toEqual([
            ["nova-staging.itspirit.ovh", "A", "203.0.113.20", true, 1],
        ]);
    });

    it("asks Cloudflare's IP ranges once, in direct mode only", async () => {
        const direct = await plan("staging", { "nova:hosts": JSON.stringify([1, 2, 3].map((i) => ({ name: `h${i}`, address: `192.0.2.${i}`, transport: "winrm", user: "Administrator" }))) });
        expect(direct.run.invokes.filter((i) => i.token === "cloudflare:index/getIpRanges:getIpRanges")).toHaveLength(1);
        const tunnel = await plan("prod");
        expect(tunnel.run.invokes.filter((i) => i.token === "cloudflare:index/getIpRanges:getIpRanges")).toHaveLength(0);
        expect(CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs.length).toBeGreaterThan(10);
    });

    it("leaves the zone-wide resources to the stack that owns the zone", async () => {
        const owner = await plan("prod");
        const guest = await plan("staging");
        const zoneWide = (p: typeof owner) => p.run.resources.filter((r) => /zoneSetting|ruleset|pageRule/.test(r.type)).length;
        expect(zoneWide(owner)).toBeGreaterThan(0);
        expect(zoneWide(guest)).toBe(0);
        expect(zoneWide(await planAsOwner("staging"))).toBeGreaterThan(0);
    });

    it("makes the SDK's promise bookkeeping frame-free when it is loaded (components/runtime/stackTraces.ts)", async () => {
        await plan("prod");
        const sdk = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: { novaFrameFree?: true } };
        expect(sdk.debuggablePromise.novaFrameFree).toBe(true);
    });

    it("exports no secret in the stack outputs", async () => {
        const p = await plan("prod");
        expect(redact(p.run.outputs)).toEqual({
            hosts: ["rondot"],
            ingressMode: "tunnel",
            tunnelId: one(p, TUNNEL, "nova-tunnel").id,
            url: "https://nova-rondot.itspirit.ovh/mail-to-biz",
            zoneId: "0ff11e00000000000000000000000000",
        });
    });
});

describe("one zone, two stacks", () => {
    const RULESET = "cloudflare:index/ruleset:Ruleset";
    const BOTH = 'http.host in {"nova-rondot.itspirit.ovh" "nova-staging.itspirit.ovh"}';

    it("the zone owner's rules cover the other stack's hostname, redirecting each host to its own SPA", async () => {
        const p = await plan("prod");
        const redirect = one(p, RULESET, "nova-redirect").inputs.rules as { expression: string; actionParameters: unknown }[];
        expect(redirect.map((r) => r.expression)).toEqual([`${BOTH} and http.request.uri.path eq "/"`]);
        expect(redirect[0].actionParameters).toEqual({
            fromValue: { statusCode: 301, preserveQueryString: true, targetUrl: { expression: 'concat("https://", http.host, "/mail-to-biz")' } },
        });
        const cache = one(p, RULESET, "nova-cache").inputs.rules as { expression: string }[];
        expect(cache.every((r) => r.expression.startsWith(`${BOTH} and `))).toBe(true);
    });

    it("a single-hostname zone keeps a fixed redirect URL and an eq host test", async () => {
        const p = await plan("prod", { "nova:zoneHostnames": "[]" });
        const redirect = one(p, RULESET, "nova-redirect").inputs.rules as { expression: string; actionParameters: { fromValue: { targetUrl: unknown } } }[];
        expect(redirect[0].expression).toBe('http.host eq "nova-rondot.itspirit.ovh" and http.request.uri.path eq "/"');
        expect(redirect[0].actionParameters.fromValue.targetUrl).toEqual({ value: "https://nova-rondot.itspirit.ovh/mail-to-biz" });
    });
});
