import { describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { originRequestToYaml, renderCloudflaredConfigYml } from "../../../components/tunnel/configYml";
import { OFFLINE_TUNNEL_TOKEN } from "../../../scripts/shared/planning/offlineFixtures";
import { offlineTunnelSecret, prodTunnelConfig, prodWithExtrasConfig } from "../../support/fixtures/tunnelConfigs";

const ID = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415";
const ORIGIN_YAML = { connectTimeout: "10s", keepAliveTimeout: "4s", keepAliveConnections: 100, http2Origin: false };

describe("renderCloudflaredConfigYml", () => {
    it("renders tunnel and ingress in cloudflared's keys, catch-all last", () => {
        expect(parse(renderCloudflaredConfigYml(prodTunnelConfig, ID))).toEqual({
            tunnel: ID,
            ingress: [
                { hostname: "nova-rondot.itspirit.ovh", service: "http://127.0.0.1:8000", originRequest: ORIGIN_YAML },
                { service: "http_status:404" },
            ],
        });
    });

    it("lists the extra hostnames in order, each to the same origin", () => {
        const doc = parse(renderCloudflaredConfigYml({ ...prodWithExtrasConfig, appPort: 9001 }, ID));
        expect(doc.ingress.map((r: { hostname?: string; service: string }) => [r.hostname, r.service])).toEqual([
            ["nova-rondot.itspirit.ovh", "http://127.0.0.1:9001"],
            ["api.nova-rondot.itspirit.ovh", "http://127.0.0.1:9001"],
            ["nova.itspirit.ovh", "http://127.0.0.1:9001"],
            [undefined, "http_status:404"],
        ]);
    });

    it("starts with a comment saying it is for review and holds no credentials", () => {
        const text = renderCloudflaredConfigYml(prodTunnelConfig, ID);
        expect(text.startsWith("# cloudflared configuration equivalent to the tunnel's remote")).toBe(true);
        expect(parseDocument(text).commentBefore).toMatch(/not deployed/);
        const doc = parse(text);
        expect(Object.keys(doc)).toEqual(["tunnel", "ingress"]);
        expect(text).not.toMatch(/^credentials-file:/m);
        expect(text).not.toContain(OFFLINE_TUNNEL_TOKEN);
        expect(text).not.toContain(offlineTunnelSecret("nova"));
    });
});

describe("originRequestToYaml", () => {
    it("writes durations as Go durations and uses cloudflared's spelling of noTLSVerify", () => {
        expect(
            originRequestToYaml({
                connectTimeout: 30,
                tcpKeepAlive: 15,
                noTlsVerify: true,
                httpHostHeader: "origin.local",
                noHappyEyeballs: true,
            }),
        ).toEqual({
            connectTimeout: "30s",
            tcpKeepAlive: "15s",
            noTLSVerify: true,
            httpHostHeader: "origin.local",
            noHappyEyeballs: true,
        });
    });

    it("omits unset fields", () => {
        expect(originRequestToYaml({})).toEqual({});
    });
});
