"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
const pulumi = __importStar(require("@pulumi/pulumi"));
const vitest_1 = require("vitest");
const tunnelMocks_1 = require("./tunnelMocks");
const tunnelConfigs_1 = require("./fixtures/tunnelConfigs");
const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";
const CONFIG = "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig";
const BYTES = "random:index/randomBytes:RandomBytes";
const ORIGIN = { connectTimeout: 10, keepAliveTimeout: 4, keepAliveConnections: 100, http2Origin: false };
let mocks;
let NovaTunnel;
(0, vitest_1.beforeAll)(async () => {
    mocks = (0, tunnelMocks_1.installTunnelMocks)();
    ({ NovaTunnel } = await Promise.resolve().then(() => __importStar(require("../components/novaTunnel"))));
});
function inputsOf(name, type) {
    const found = mocks.resources.filter((r) => r.name === name && r.type === type);
    (0, vitest_1.expect)(found).toHaveLength(1);
    return found[0].inputs;
}
(0, vitest_1.describe)("NovaTunnel (prod)", () => {
    let tunnel;
    (0, vitest_1.beforeAll)(async () => {
        tunnel = new NovaTunnel("nova", { config: tunnelConfigs_1.prodTunnelConfig });
        await Promise.all([mocks.registered("nova-config"), (0, tunnelMocks_1.valueOf)(tunnel.token)]);
    });
    (0, vitest_1.it)("registers the component and exactly its three children, named after it", () => {
        const mine = mocks.resources.filter((r) => r.name === "nova" || r.name.startsWith("nova-"));
        (0, vitest_1.expect)(mine.map((r) => [r.type, r.name])).toEqual([
            ["nova:tunnel:NovaTunnel", "nova"],
            [BYTES, "nova-secret"],
            [TUNNEL, "nova-tunnel"],
            [CONFIG, "nova-config"],
        ]);
    });
    (0, vitest_1.it)("parents every child to the component", () => {
        for (const child of ["nova-secret", "nova-tunnel", "nova-config"]) {
            (0, vitest_1.expect)(mocks.raw.find((r) => r.name === child)?.parent).toBe("urn:pulumi:prod::nova-infra::nova:tunnel:NovaTunnel::nova");
        }
    });
    (0, vitest_1.it)("deletes the old tunnel before creating a replacement (names are unique in the account)", () => {
        (0, vitest_1.expect)(mocks.raw.find((r) => r.name === "nova-tunnel")?.deleteBeforeReplace).toBe(true);
        (0, vitest_1.expect)(mocks.raw.find((r) => r.name === "nova-config")?.deleteBeforeReplace).toBe(false);
    });
    (0, vitest_1.it)("asks for 32 random bytes", () => {
        (0, vitest_1.expect)(inputsOf("nova-secret", BYTES)).toEqual({ length: 32 });
    });
    (0, vitest_1.it)("creates a remotely-managed tunnel with the configured name and account", () => {
        const inputs = inputsOf("nova-tunnel", TUNNEL);
        (0, vitest_1.expect)(inputs.configSrc).toBe("cloudflare");
        (0, vitest_1.expect)(inputs.name).toBe("nova-prod");
        (0, vitest_1.expect)(inputs.accountId).toBe(tunnelConfigs_1.FAKE_ACCOUNT_ID);
    });
    (0, vitest_1.it)("passes the random bytes' base64 as tunnelSecret, marked secret", () => {
        const secret = inputsOf("nova-tunnel", TUNNEL).tunnelSecret;
        (0, vitest_1.expect)((0, tunnelMocks_1.isSecretInput)(secret)).toBe(true);
        (0, vitest_1.expect)(secret).toEqual({ [tunnelMocks_1.SECRET_SIG_KEY]: tunnelMocks_1.SECRET_SIG, value: tunnelMocks_1.FAKE_SECRET_BASE64 });
        (0, vitest_1.expect)(Buffer.from(tunnelMocks_1.FAKE_SECRET_BASE64, "base64")).toHaveLength(32);
    });
    (0, vitest_1.it)("sends tunnelSecret to the engine as a secret (raw serialized request)", () => {
        const raw = mocks.raw.find((r) => r.name === "nova-tunnel");
        (0, vitest_1.expect)(raw?.object.tunnelSecret).toEqual({ [tunnelMocks_1.SECRET_SIG_KEY]: tunnelMocks_1.SECRET_SIG, value: tunnelMocks_1.FAKE_SECRET_BASE64 });
        (0, vitest_1.expect)(JSON.stringify(raw?.object)).not.toContain(`"tunnelSecret":"`);
    });
    (0, vitest_1.it)("configures the tunnel's ingress: hostname to the local port, catch-all last", () => {
        const inputs = inputsOf("nova-config", CONFIG);
        (0, vitest_1.expect)(inputs.accountId).toBe(tunnelConfigs_1.FAKE_ACCOUNT_ID);
        (0, vitest_1.expect)(inputs.tunnelId).toBe(tunnelMocks_1.FAKE_TUNNEL_ID);
        (0, vitest_1.expect)(inputs.config).toEqual({
            ingresses: [
                { hostname: "nova-rondot.itspirit.ovh", service: "http://127.0.0.1:8000", originRequest: ORIGIN },
                { service: "http_status:404" },
            ],
        });
    });
    (0, vitest_1.it)("exposes the tunnel resource's id as tunnelId", async () => {
        (0, vitest_1.expect)(await (0, tunnelMocks_1.valueOf)(tunnel.tunnelId)).toBe(tunnelMocks_1.FAKE_TUNNEL_ID);
    });
    (0, vitest_1.it)("looks the token up for this tunnel and account", () => {
        const calls = mocks.invokes.filter((c) => c.token === tunnelMocks_1.TUNNEL_TOKEN_INVOKE);
        (0, vitest_1.expect)(calls).toContainEqual({
            token: tunnelMocks_1.TUNNEL_TOKEN_INVOKE,
            inputs: { accountId: tunnelConfigs_1.FAKE_ACCOUNT_ID, tunnelId: tunnelMocks_1.FAKE_TUNNEL_ID },
        });
    });
    (0, vitest_1.it)("exposes the token only as a secret", async () => {
        (0, vitest_1.expect)(await pulumi.isSecret(tunnel.token)).toBe(true);
        (0, vitest_1.expect)(await (0, tunnelMocks_1.valueOf)(tunnel.token)).toBe(tunnelMocks_1.FAKE_TUNNEL_TOKEN);
    });
    (0, vitest_1.it)("calls no other data source", () => {
        (0, vitest_1.expect)(mocks.unexpectedInvokes).toEqual([]);
        (0, vitest_1.expect)(mocks.invokes.map((c) => c.token)).toEqual([tunnelMocks_1.TUNNEL_TOKEN_INVOKE]);
    });
    (0, vitest_1.it)("keeps the tunnel id a plain (non-secret) output", async () => {
        (0, vitest_1.expect)(await pulumi.isSecret(tunnel.tunnelId)).toBe(false);
    });
});
(0, vitest_1.describe)("tunnel mocks", () => {
    (0, vitest_1.it)("reject any data source other than the tunnel token", async () => {
        const before = mocks.unexpectedInvokes.length;
        await (0, vitest_1.expect)(pulumi.runtime.invoke("cloudflare:index/getZone:getZone", { zoneId: "z" })).rejects.toThrow();
        (0, vitest_1.expect)(mocks.unexpectedInvokes.slice(before)).toEqual(["cloudflare:index/getZone:getZone"]);
    });
});
(0, vitest_1.describe)("NovaTunnel with extra hostnames and another port", () => {
    (0, vitest_1.it)("routes every extra hostname, in order, before the catch-all", async () => {
        const t = new NovaTunnel("extras", { config: tunnelConfigs_1.prodWithExtrasConfig });
        await Promise.all([mocks.registered("extras-config"), (0, tunnelMocks_1.valueOf)(t.tunnelId)]);
        const config = inputsOf("extras-config", CONFIG).config;
        (0, vitest_1.expect)(config.ingresses.map((i) => [i.hostname, i.service])).toEqual([
            ["nova-rondot.itspirit.ovh", "http://127.0.0.1:8000"],
            ["api.nova-rondot.itspirit.ovh", "http://127.0.0.1:8000"],
            ["nova.itspirit.ovh", "http://127.0.0.1:8000"],
            [undefined, "http_status:404"],
        ]);
    });
    (0, vitest_1.it)("points the origin at the configured appPort", async () => {
        const t = new NovaTunnel("port", { config: tunnelConfigs_1.prodPort9001Config });
        await Promise.all([mocks.registered("port-config"), (0, tunnelMocks_1.valueOf)(t.tunnelId)]);
        const config = inputsOf("port-config", CONFIG).config;
        (0, vitest_1.expect)(config.ingresses[0].service).toBe("http://127.0.0.1:9001");
    });
});
