"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const ingress_1 = require("../components/tunnel/ingress");
const tunnelConfigs_1 = require("./fixtures/tunnelConfigs");
(0, vitest_1.describe)("buildIngress", () => {
    (0, vitest_1.it)("routes the stack hostname to the loopback origin, then the catch-all", () => {
        (0, vitest_1.expect)((0, ingress_1.buildIngress)(tunnelConfigs_1.prodTunnelConfig)).toEqual([
            {
                hostname: "nova-rondot.itspirit.ovh",
                service: "http://127.0.0.1:8000",
                originRequest: { connectTimeout: 10, keepAliveTimeout: 4, keepAliveConnections: 100, http2Origin: false },
            },
            { service: "http_status:404" },
        ]);
    });
    (0, vitest_1.it)("keeps the main hostname first and the extra hostnames in configured order", () => {
        (0, vitest_1.expect)((0, ingress_1.buildIngress)(tunnelConfigs_1.prodWithExtrasConfig).map((r) => r.hostname)).toEqual([
            "nova-rondot.itspirit.ovh",
            "api.nova-rondot.itspirit.ovh",
            "nova.itspirit.ovh",
            undefined,
        ]);
    });
    (0, vitest_1.it)("ends with exactly one catch-all, which has no hostname and no origin settings", () => {
        const rules = (0, ingress_1.buildIngress)(tunnelConfigs_1.prodWithExtrasConfig);
        const catchAlls = rules.filter((r) => r.hostname === undefined);
        (0, vitest_1.expect)(catchAlls).toEqual([{ service: ingress_1.CATCH_ALL_SERVICE }]);
        (0, vitest_1.expect)(rules[rules.length - 1]).toEqual({ service: "http_status:404" });
    });
    (0, vitest_1.it)("uses the one configured port for every hostname", () => {
        const services = (0, ingress_1.buildIngress)({ ...tunnelConfigs_1.prodWithExtrasConfig, appPort: 9001 })
            .filter((r) => r.hostname !== undefined)
            .map((r) => r.service);
        (0, vitest_1.expect)(services).toEqual(["http://127.0.0.1:9001", "http://127.0.0.1:9001", "http://127.0.0.1:9001"]);
    });
    (0, vitest_1.it)("gives each rule its own originRequest object", () => {
        const [a, b] = (0, ingress_1.buildIngress)(tunnelConfigs_1.prodWithExtrasConfig);
        (0, vitest_1.expect)(a.originRequest).toEqual(b.originRequest);
        (0, vitest_1.expect)(a.originRequest).not.toBe(b.originRequest);
    });
});
(0, vitest_1.describe)("originServiceUrl / tunnelHostnames", () => {
    (0, vitest_1.it)("builds the loopback URL from appPort", () => {
        (0, vitest_1.expect)((0, ingress_1.originServiceUrl)(tunnelConfigs_1.prodPort9001Config)).toBe("http://127.0.0.1:9001");
    });
    (0, vitest_1.it)("lists the main hostname, then the extras", () => {
        (0, vitest_1.expect)((0, ingress_1.tunnelHostnames)(tunnelConfigs_1.prodWithExtrasConfig)).toEqual([
            "nova-rondot.itspirit.ovh",
            "api.nova-rondot.itspirit.ovh",
            "nova.itspirit.ovh",
        ]);
    });
});
