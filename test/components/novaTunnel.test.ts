import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { NovaTunnel } from "../../components/novaTunnel";
import { MockRun } from "../../scripts/shared/planning/mockRuntime";
import { fakeUuid, OFFLINE_TUNNEL_TOKEN } from "../../scripts/shared/planning/offlineFixtures";
import { isSecretWire, revealWire } from "../../scripts/shared/planning/redact";
import { FAKE_ACCOUNT_ID, offlineTunnelSecret, prodPort9001Config, prodTunnelConfig, prodWithExtrasConfig } from "../support/fixtures/tunnelConfigs";
import { one, runComponents } from "../support/harness";

const COMPONENT = "nova:tunnel:NovaTunnel";
const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";
const CONFIG = "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig";
const BYTES = "random:index/randomBytes:RandomBytes";
const TUNNEL_TOKEN_INVOKE = "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken";
const SECRET_SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;

const ORIGIN = { connectTimeout: 10, keepAliveTimeout: 4, keepAliveConnections: 100, http2Origin: false };

/** Builds one NovaTunnel; its outputs become the stack outputs. */
function runTunnel(name: string, config = prodTunnelConfig): Promise<MockRun> {
    return runComponents("prod", () => {
        const tunnel = new NovaTunnel(name, { config });
        return { tunnelId: tunnel.tunnelId, token: tunnel.token };
    });
}

describe("NovaTunnel (prod)", () => {
    let run: MockRun;
    const inputsOf = (name: string, type: string) => one(run, type, name).inputs;
    const TUNNEL_ID = fakeUuid("nova-tunnel");

    beforeAll(async () => {
        run = await runTunnel("nova");
    });

    it("registers the component and exactly its three children, named after it", () => {
        const mine = run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
        expect(mine.map((r) => [r.type, r.name])).toEqual([
            [COMPONENT, "nova"],
            [BYTES, "nova-secret"],
            [TUNNEL, "nova-tunnel"],
            [CONFIG, "nova-config"],
        ]);
    });

    it("parents every child to the component", () => {
        const component = one(run, COMPONENT, "nova");
        expect(component.urn).toMatch(/^urn:pulumi:prod::nova::.*nova:tunnel:NovaTunnel::nova$/);
        for (const [child, type] of [["nova-secret", BYTES], ["nova-tunnel", TUNNEL], ["nova-config", CONFIG]]) {
            expect(one(run, type, child).parent).toBe(component.urn);
        }
    });

    it("deletes the old tunnel before creating a replacement (names are unique in the account)", () => {
        expect(one(run, TUNNEL, "nova-tunnel").deleteBeforeReplace).toBe(true);
        expect(one(run, CONFIG, "nova-config").deleteBeforeReplace).toBeUndefined();
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

    it("sends the random bytes' base64 to the engine as tunnelSecret, marked secret", () => {
        const inputs = inputsOf("nova-tunnel", TUNNEL);
        const base64 = offlineTunnelSecret("nova");
        expect(isSecretWire(inputs.tunnelSecret)).toBe(true);
        expect(inputs.tunnelSecret).toEqual({ [SECRET_SIG_KEY]: SECRET_SIG, value: base64 });
        expect(Buffer.from(base64, "base64")).toHaveLength(32);
        expect(JSON.stringify(inputs)).not.toContain(`"tunnelSecret":"`);
    });

    it("configures the tunnel's ingress: hostname to the local port, catch-all last", () => {
        const inputs = inputsOf("nova-config", CONFIG);
        expect(inputs.accountId).toBe(FAKE_ACCOUNT_ID);
        expect(inputs.tunnelId).toBe(TUNNEL_ID);
        expect(inputs.config).toEqual({
            ingresses: [
                { hostname: "nova-rondot.itspirit.ovh", service: "http://127.0.0.1:8000", originRequest: ORIGIN },
                { service: "http_status:404" },
            ],
        });
    });

    it("exposes the tunnel resource's id as tunnelId", () => {
        expect(one(run, TUNNEL, "nova-tunnel").id).toBe(TUNNEL_ID);
        expect(revealWire(run.outputs.tunnelId)).toBe(TUNNEL_ID);
    });

    it("looks the token up for this tunnel and account", () => {
        const calls = run.invokes.filter((c) => c.token === TUNNEL_TOKEN_INVOKE);
        expect(calls).toContainEqual({
            token: TUNNEL_TOKEN_INVOKE,
            inputs: { accountId: FAKE_ACCOUNT_ID, tunnelId: TUNNEL_ID },
        });
    });

    it("exposes the token only as a secret", () => {
        expect(isSecretWire(run.outputs.token)).toBe(true);
        expect(revealWire(run.outputs.token)).toBe(OFFLINE_TUNNEL_TOKEN);
    });

    it("calls no other data source", () => {
        expect(run.invokes.filter((c) => c.refused !== undefined)).toEqual([]);
        expect(run.invokes.map((c) => c.token)).toEqual([TUNNEL_TOKEN_INVOKE]);
    });

    it("keeps the tunnel id a plain (non-secret) output", () => {
        expect(isSecretWire(run.outputs.tunnelId)).toBe(false);
    });
});

describe("the mock runtime", () => {
    it("refuses, and records, any data source the offline fixtures do not answer", async () => {
        const token = "cloudflare:index/getAccounts:getAccounts";
        let outcome = "";
        const run = await runComponents("prod", async () => {
            outcome = await pulumi.runtime.invoke(token, {}).then(() => "answered", () => "refused");
        });
        expect(outcome).toBe("refused");
        expect(run.invokes).toEqual([{ token, inputs: {}, refused: `offline fixtures: no answer for invoke ${token}` }]);
    });
});

describe("NovaTunnel with extra hostnames and another port", () => {
    it("routes every extra hostname, in order, before the catch-all", async () => {
        const run = await runTunnel("extras", prodWithExtrasConfig);
        const config = one(run, CONFIG, "extras-config").inputs.config as { ingresses: { hostname?: string; service: string }[] };
        expect(config.ingresses.map((i) => [i.hostname, i.service])).toEqual([
            ["nova-rondot.itspirit.ovh", "http://127.0.0.1:8000"],
            ["api.nova-rondot.itspirit.ovh", "http://127.0.0.1:8000"],
            ["nova.itspirit.ovh", "http://127.0.0.1:8000"],
            [undefined, "http_status:404"],
        ]);
    });

    it("points the origin at the configured appPort", async () => {
        const run = await runTunnel("port", prodPort9001Config);
        const config = one(run, CONFIG, "port-config").inputs.config as { ingresses: { service: string }[] };
        expect(config.ingresses[0].service).toBe("http://127.0.0.1:9001");
    });
});
