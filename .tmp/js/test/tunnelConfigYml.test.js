"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const yaml_1 = require("yaml");
const configYml_1 = require("../components/tunnel/configYml");
const tunnelConfigs_1 = require("./fixtures/tunnelConfigs");
const tunnelMocks_1 = require("./tunnelMocks");
const ID = "f70ff985-a4ef-4643-bbbc-4a0ed4fc8415";
const ORIGIN_YAML = { connectTimeout: "10s", keepAliveTimeout: "4s", keepAliveConnections: 100, http2Origin: false };
(0, vitest_1.describe)("renderCloudflaredConfigYml", () => {
    (0, vitest_1.it)("renders tunnel and ingress in cloudflared's keys, catch-all last", () => {
        (0, vitest_1.expect)((0, yaml_1.parse)((0, configYml_1.renderCloudflaredConfigYml)(tunnelConfigs_1.prodTunnelConfig, ID))).toEqual({
            tunnel: ID,
            ingress: [
                { hostname: "nova-rondot.itspirit.ovh", service: "http://127.0.0.1:8000", originRequest: ORIGIN_YAML },
                { service: "http_status:404" },
            ],
        });
    });
    (0, vitest_1.it)("lists the extra hostnames in order, each to the same origin", () => {
        const doc = (0, yaml_1.parse)((0, configYml_1.renderCloudflaredConfigYml)({ ...tunnelConfigs_1.prodWithExtrasConfig, appPort: 9001 }, ID));
        (0, vitest_1.expect)(doc.ingress.map((r) => [r.hostname, r.service])).toEqual([
            ["nova-rondot.itspirit.ovh", "http://127.0.0.1:9001"],
            ["api.nova-rondot.itspirit.ovh", "http://127.0.0.1:9001"],
            ["nova.itspirit.ovh", "http://127.0.0.1:9001"],
            [undefined, "http_status:404"],
        ]);
    });
    (0, vitest_1.it)("starts with a comment saying it is for review and holds no credentials", () => {
        const text = (0, configYml_1.renderCloudflaredConfigYml)(tunnelConfigs_1.prodTunnelConfig, ID);
        (0, vitest_1.expect)(text.startsWith("# cloudflared configuration equivalent to the tunnel's remote")).toBe(true);
        (0, vitest_1.expect)((0, yaml_1.parseDocument)(text).commentBefore).toMatch(/not deployed/);
        const doc = (0, yaml_1.parse)(text);
        (0, vitest_1.expect)(Object.keys(doc)).toEqual(["tunnel", "ingress"]);
        (0, vitest_1.expect)(text).not.toMatch(/^credentials-file:/m);
        (0, vitest_1.expect)(text).not.toContain(tunnelMocks_1.FAKE_TUNNEL_TOKEN);
        (0, vitest_1.expect)(text).not.toContain(tunnelMocks_1.FAKE_SECRET_BASE64);
    });
});
(0, vitest_1.describe)("originRequestToYaml", () => {
    (0, vitest_1.it)("writes durations as Go durations and uses cloudflared's spelling of noTLSVerify", () => {
        (0, vitest_1.expect)((0, configYml_1.originRequestToYaml)({
            connectTimeout: 30,
            tcpKeepAlive: 15,
            noTlsVerify: true,
            httpHostHeader: "origin.local",
            noHappyEyeballs: true,
        })).toEqual({
            connectTimeout: "30s",
            tcpKeepAlive: "15s",
            noTLSVerify: true,
            httpHostHeader: "origin.local",
            noHappyEyeballs: true,
        });
    });
    (0, vitest_1.it)("omits unset fields", () => {
        (0, vitest_1.expect)((0, configYml_1.originRequestToYaml)({})).toEqual({});
    });
});
