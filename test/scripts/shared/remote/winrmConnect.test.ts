/**
 * An unreachable WinRM host fails in bounded time: a connection that does not open (here: a listener
 * on 127.0.0.1 that accepts TCP and never answers the TLS handshake, as a host behind a filtering
 * firewall would) is given up after the connect timeout, not after the command's whole timeout.
 */
import * as http from "http";
import * as https from "https";
import * as net from "net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RemoteUnavailableError } from "../../../../scripts/shared/remote/types";
import { WINRM_CONNECT_TIMEOUT_MS, post, type WsmanEndpoint } from "../../../../scripts/shared/remote/winrmHttp";
import { SSH_DIAL_TIMEOUT_SECONDS } from "../../../../components/host/commands";

let silent: net.Server;
let port = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
    silent = net.createServer((s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    port = (silent.address() as net.AddressInfo).port;
});
afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
});

function endpoint(allowHttp: boolean, connectTimeoutMs: number): WsmanEndpoint {
    const scheme = allowHttp ? "http" : "https";
    return {
        url: `${scheme}://127.0.0.1:${port}/wsman`,
        label: `${scheme}://127.0.0.1:${port}`,
        user: "Administrator",
        allowHttp,
        agent: allowHttp ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : new https.Agent({ keepAlive: true, maxSockets: 1 }),
        auth: "basic",
        password: "y",
        connectTimeoutMs,
    };
}

describe("WinRM connect timeout", () => {
    it("matches the ssh hosts' per-dial timeout by default", () => {
        expect(WINRM_CONNECT_TIMEOUT_MS).toBe(SSH_DIAL_TIMEOUT_SECONDS * 1000);
    });

    it("gives up a TLS handshake that never completes after the connect timeout, well before the request timeout", async () => {
        const ep = endpoint(false, 300);
        const started = Date.now();
        const error = await post(ep, "<x/>", 60_000).catch((e: unknown) => e);
        const took = Date.now() - started;
        ep.agent.destroy();
        expect(error).toBeInstanceOf(RemoteUnavailableError);
        expect((error as RemoteUnavailableError).reason).toBe("unreachable");
        expect((error as Error).message).toBe(`cannot reach WinRM at https://127.0.0.1:${port} (no connection within 0.3 s)`);
        expect(took).toBeGreaterThanOrEqual(290);
        expect(took).toBeLessThan(5_000);
    });

    it("does not cut an open plain-HTTP connection that is waiting for its reply (the request timeout applies)", async () => {
        const ep = endpoint(true, 100);
        const error = await post(ep, "<x/>", 600).catch((e: unknown) => e);
        ep.agent.destroy();
        expect((error as RemoteUnavailableError).reason).toBe("timeout");
    });
});
