import { describe, expect, it } from "vitest";
import { buildIngress, CATCH_ALL_SERVICE, originServiceUrl, tunnelHostnames } from "../../../components/tunnel/ingress";
import { prodPort9001Config, prodTunnelConfig, prodWithExtrasConfig } from "../../support/fixtures/tunnelConfigs";

describe("buildIngress", () => {
    it("routes the stack hostname to the loopback origin, then the catch-all", () => {
        expect(buildIngress(prodTunnelConfig)).toEqual([
            {
                hostname: "nova-rondot.itspirit.ovh",
                service: "http://127.0.0.1:8000",
                originRequest: { connectTimeout: 10, keepAliveTimeout: 4, keepAliveConnections: 100, http2Origin: false },
            },
            { service: "http_status:404" },
        ]);
    });

    it("keeps the main hostname first and the extra hostnames in configured order", () => {
        expect(buildIngress(prodWithExtrasConfig).map((r) => r.hostname)).toEqual([
            "nova-rondot.itspirit.ovh",
            "api.nova-rondot.itspirit.ovh",
            "nova.itspirit.ovh",
            undefined,
        ]);
    });

    it("ends with exactly one catch-all, which has no hostname and no origin settings", () => {
        const rules = buildIngress(prodWithExtrasConfig);
        const catchAlls = rules.filter((r) => r.hostname === undefined);
        expect(catchAlls).toEqual([{ service: CATCH_ALL_SERVICE }]);
        expect(rules[rules.length - 1]).toEqual({ service: "http_status:404" });
    });

    it("uses the one configured port for every hostname", () => {
        const services = buildIngress({ ...prodWithExtrasConfig, appPort: 9001 })
            .filter((r) => r.hostname !== undefined)
            .map((r) => r.service);
        expect(services).toEqual(["http://127.0.0.1:9001", "http://127.0.0.1:9001", "http://127.0.0.1:9001"]);
    });

    it("gives each rule its own originRequest object", () => {
        const [a, b] = buildIngress(prodWithExtrasConfig);
        expect(a.originRequest).toEqual(b.originRequest);
        expect(a.originRequest).not.toBe(b.originRequest);
    });
});

describe("originServiceUrl / tunnelHostnames", () => {
    it("builds the loopback URL from appPort", () => {
        expect(originServiceUrl(prodPort9001Config)).toBe("http://127.0.0.1:9001");
    });

    it("lists the main hostname, then the extras", () => {
        expect(tunnelHostnames(prodWithExtrasConfig)).toEqual([
            "nova-rondot.itspirit.ovh",
            "api.nova-rondot.itspirit.ovh",
            "nova.itspirit.ovh",
        ]);
    });
});
