import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
    FAKE_SECRET_BASE64,
    FAKE_TUNNEL_ID,
    FAKE_TUNNEL_TOKEN,
    installTunnelMocks,
    isSecretInput,
    SECRET_SIG,
    SECRET_SIG_KEY,
    TUNNEL_TOKEN_INVOKE,
    TunnelMocks,
    valueOf,
} from "./tunnelMocks";
import { FAKE_ACCOUNT_ID, prodPort9001Config, prodTunnelConfig, prodWithExtrasConfig } from "./fixtures/tunnelConfigs";

const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";
const CONFIG = "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig";
const BYTES = "random:index/randomBytes:RandomBytes";

const ORIGIN = { connectTimeout: 10, keepAliveTimeout: 4, keepAliveConnections: 100, http2Origin: false };

let mocks: TunnelMocks;
let NovaTunnel: typeof import("../components/novaTunnel").NovaTunnel;

beforeAll(async () => {
    mocks = installTunnelMocks();
    ({ NovaTunnel } = await import("../components/novaTunnel"));
});

function inputsOf(name: string, type: string): Record<string, unknown> {
    const found = mocks.resources.filter((r) => r.name === name && r.type === type);
    expect(found).toHaveLength(1);
    return found[0].inputs;
}

describe("NovaTunnel (prod)", () => {
    let tunnel: InstanceType<typeof NovaTunnel>;

    beforeAll(async () => {
        tunnel = new NovaTunnel("nova", { config: prodTunnelConfig });
        await Promise.all([mocks.registered("nova-config"), valueOf(tunnel.token)]);
    });

    it("registers the component and exactly its three children, named after it", () => {
        const mine = mocks.resources.filter((r) => r.name === "nova" || r.name.startsWith("nova-"));
        expect(mine.map((r) => [r.type, r.name])).toEqual([
            ["nova:tunnel:NovaTunnel", "nova"],
            [BYTES, "nova-secret"],
            [TUNNEL, "nova-tunnel"],
            [CONFIG, "nova-config"],
        ]);
    });

    it("parents every child to the component", () => {
        for (const child of ["nova-secret", "nova-tunnel", "nova-config"]) {
            expect(mocks.raw.find((r) => r.name === child)?.parent).toBe("urn:pulumi:prod::nova-infra::nova:tunnel:NovaTunnel::nova");
        }
    });

    it("deletes the old tunnel before creating a replacement (names are unique in the account)", () => {
        expect(mocks.raw.find((r) => r.name === "nova-tunnel")?.deleteBeforeReplace).toBe(true);
        expect(mocks.raw.find((r) => r.name === "nova-config")?.deleteBeforeReplace).toBe(false);
    });

    it("asks for 32 random bytes", () => {
        expect(inputsOf("nova-secret", BYTES)).toEqual({ length: 32 });
    });

    it("creates a remotely-managed tunnel with the configured name and account", () => {
        const inputs = inputsOf("nova-tunnel", TUNNEL);
        expect(inputs.configSrc).toBe("cloudflare");
        expect(inputs.name).toBe("nova-prod");
        expect(inputs.accountId).toBe(FAKE_ACCOUNT_ID);
    });

    it("passes the random bytes' base64 as tunnelSecret, marked secret", () => {
        const secret = inputsOf("nova-tunnel", TUNNEL).tunnelSecret;
        expect(isSecretInput(secret)).toBe(true);
        expect(secret).toEqual({ [SECRET_SIG_KEY]: SECRET_SIG, value: FAKE_SECRET_BASE64 });
        expect(Buffer.from(FAKE_SECRET_BASE64, "base64")).toHaveLength(32);
    });

    it("sends tunnelSecret to the engine as a secret (raw serialized request)", () => {
        const raw = mocks.raw.find((r) => r.name === "nova-tunnel");
        expect(raw?.object.tunnelSecret).toEqual({ [SECRET_SIG_KEY]: SECRET_SIG, value: FAKE_SECRET_BASE64 });
        expect(JSON.stringify(raw?.object)).not.toContain(`"tunnelSecret":"`);
    });

    it("configures the tunnel's ingress: hostname to the local port, catch-all last", () => {
        const inputs = inputsOf("nova-config", CONFIG);
        expect(inputs.accountId).toBe(FAKE_ACCOUNT_ID);
        expect(inputs.tunnelId).toBe(FAKE_TUNNEL_ID);
        expect(inputs.config).toEqual({
            ingresses: [
                { hostname: "nova-rondot.itspirit.ovh", service: "http://127.0.0.1:8000", originRequest: ORIGIN },
                { service: "http_status:404" },
            ],
        });
    });

    it("exposes the tunnel resource's id as tunnelId", async () => {
        expect(await valueOf(tunnel.tunnelId)).toBe(FAKE_TUNNEL_ID);
    });

    it("looks the token up for this tunnel and account", () => {
        const calls = mocks.invokes.filter((c) => c.token === TUNNEL_TOKEN_INVOKE);
        expect(calls).toContainEqual({
            token: TUNNEL_TOKEN_INVOKE,
            inputs: { accountId: FAKE_ACCOUNT_ID, tunnelId: FAKE_TUNNEL_ID },
        });
    });

    it("exposes the token only as a secret", async () => {
        expect(await pulumi.isSecret(tunnel.token)).toBe(true);
        expect(await valueOf(tunnel.token)).toBe(FAKE_TUNNEL_TOKEN);
    });

    it("calls no other data source", () => {
        expect(mocks.unexpectedInvokes).toEqual([]);
        expect(mocks.invokes.map((c) => c.token)).toEqual([TUNNEL_TOKEN_INVOKE]);
    });

    it("keeps the tunnel id a plain (non-secret) output", async () => {
        expect(await pulumi.isSecret(tunnel.tunnelId)).toBe(false);
    });
});

describe("tunnel mocks", () => {
    it("reject any data source other than the tunnel token", async () => {
        const before = mocks.unexpectedInvokes.length;
        await expect(pulumi.runtime.invoke("cloudflare:index/getZone:getZone", { zoneId: "z" })).rejects.toThrow();
        expect(mocks.unexpectedInvokes.slice(before)).toEqual(["cloudflare:index/getZone:getZone"]);
    });
});

describe("NovaTunnel with extra hostnames and another port", () => {
    it("routes every extra hostname, in order, before the catch-all", async () => {
        const t = new NovaTunnel("extras", { config: prodWithExtrasConfig });
        await Promise.all([mocks.registered("extras-config"), valueOf(t.tunnelId)]);
        const config = inputsOf("extras-config", CONFIG).config as { ingresses: { hostname?: string; service: string }[] };
        expect(config.ingresses.map((i) => [i.hostname, i.service])).toEqual([
            ["nova-rondot.itspirit.ovh", "http://127.0.0.1:8000"],
            ["api.nova-rondot.itspirit.ovh", "http://127.0.0.1:8000"],
            ["nova.itspirit.ovh", "http://127.0.0.1:8000"],
            [undefined, "http_status:404"],
        ]);
    });

    it("points the origin at the configured appPort", async () => {
        const t = new NovaTunnel("port", { config: prodPort9001Config });
        await Promise.all([mocks.registered("port-config"), valueOf(t.tunnelId)]);
        const config = inputsOf("port-config", CONFIG).config as { ingresses: { service: string }[] };
        expect(config.ingresses[0].service).toBe("http://127.0.0.1:9001");
    });
});
