/**
 * `npm run verify` against the local test edge when the edge reaches a real loopback origin the way
 * Cloudflare does in direct mode (test/support/origin-link.ts): the guide's setup (no Origin Rule,
 * plain HTTP backend on 8000, SSL Full) answers 521, routing the port without origin TLS answers 525,
 * and the program's setup (Origin Rule, TLS with an Origin CA certificate, SSL Strict, Authenticated
 * Origin Pulls) passes every check.
 */
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import * as net from "net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChecks } from "../../../scripts/shared/edge/checks";
import type { CheckId, CheckResult, VerifyTarget } from "../../../scripts/shared/edge/types";
import { FakeEdge, HOSTNAME } from "../../support/fake-edge";
import type { OriginLink } from "../../support/origin-link";
import { makeTestCert, TestCert } from "../../support/test-cert";

const TARGET: VerifyTarget = {
    hostname: HOSTNAME,
    ingressMode: "direct",
    rootPath: "redirect",
    paths: { spa: "/mail-to-biz", api: "/api", ws: "/ws", health: "/health", assets: "/mail-to-biz/assets" },
};

/** The edge's public certificate, the Origin CA's certificate for the origin, Cloudflare's origin-pull client certificate, a stranger's. */
let edgeCert: TestCert, originCert: TestCert, pullCert: TestCert, otherCert: TestCert;
let edge: FakeEdge;
/** The guide's backend: plain HTTP on the app port. */
let plainOrigin: http.Server;
/** The program's backend: HTTPS with the Origin CA certificate, Cloudflare's client certificate required. */
let tlsOrigin: https.Server;
let closed443: number;

const portOf = (s: net.Server) => (s.address() as AddressInfo).port;
const listen = (s: net.Server) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
const answer = (_req: http.IncomingMessage, res: http.ServerResponse) => void res.writeHead(200, { "content-type": "text/plain" }).end("ok");

beforeAll(async () => {
    [edgeCert, originCert, pullCert, otherCert] = [makeTestCert(HOSTNAME), makeTestCert(HOSTNAME), makeTestCert("origin-pull.test"), makeTestCert(HOSTNAME)];
    edge = new FakeEdge(edgeCert);
    plainOrigin = http.createServer(answer);
    tlsOrigin = https.createServer({ key: originCert.key, cert: originCert.cert, requestCert: true, rejectUnauthorized: true, ca: pullCert.ca }, answer);
    await Promise.all([edge.listen(), listen(plainOrigin), listen(tlsOrigin)]);
    // Nothing listens on the origin's 443 (the app is on its own port): a port that was just freed.
    const probe = net.createServer();
    await listen(probe);
    closed443 = portOf(probe);
    await new Promise<void>((r) => probe.close(() => r()));
}, 30_000);

afterAll(async () => {
    await edge?.close();
    await Promise.all([plainOrigin, tlsOrigin].map((s) => new Promise<void>((r) => (s ? s.close(() => r()) : r()))));
    for (const c of [edgeCert, originCert, pullCert, otherCert]) if (c) fs.rmSync(c.dir, { recursive: true, force: true });
});

async function verifyWith(origin: Partial<OriginLink>): Promise<Map<CheckId, CheckResult>> {
    edge.reset({ origin: { port443: closed443, sslMode: "full", originCa: originCert.ca, ...origin } });
    const results = await runChecks(TARGET, { baseUrl: edge.url("https"), httpBaseUrl: edge.url("http"), ca: edgeCert.ca, timeoutMs: 3000, retries: 0 });
    return new Map(results.map((r) => [r.id, r]));
}

describe("verify against an edge that reaches the origin as Cloudflare does", () => {
    it("the guide's setup (no Origin Rule, backend on 8000 in plain HTTP, SSL Full): 521, the missing Origin Rule named", async () => {
        const r = await verifyWith({ sslMode: "full" });
        expect(r.get("health")).toMatchObject({ verdict: "fail", got: "521" });
        expect(r.get("websocket")).toMatchObject({ verdict: "fail", got: "521" });
        expect(r.get("health")?.explanation).toMatch(/Without an Origin Rule Cloudflare connects on the visitor's port \(443\)/);
    });

    it("the port routed but the backend in plain HTTP behind Full: 525, origin TLS named", async () => {
        const r = await verifyWith({ originRulePort: portOf(plainOrigin), sslMode: "full" });
        expect(r.get("health")).toMatchObject({ verdict: "fail", got: "525" });
        expect(r.get("spa")).toMatchObject({ verdict: "fail", got: "525" });
        expect(r.get("health")?.explanation).toMatch(/^525 SSL handshake failed: .*uvicorn --ssl-certfile/);
    });

    it("TLS at the origin but AOP off at the edge while the backend requires Cloudflare's client certificate: 525, AOP named", async () => {
        const r = await verifyWith({ originRulePort: portOf(tlsOrigin), sslMode: "strict" });
        expect(r.get("health")).toMatchObject({ verdict: "fail", got: "525" });
        expect(r.get("health")?.explanation).toMatch(/Authenticated Origin Pulls must be on/);
    });

    it("Strict with a certificate the Origin CA did not issue: 526", async () => {
        const r = await verifyWith({ originRulePort: portOf(tlsOrigin), sslMode: "strict", originCa: otherCert.ca, clientCertificate: { key: pullCert.key, cert: pullCert.cert } });
        expect(r.get("health")).toMatchObject({ verdict: "fail", got: "526" });
        expect(r.get("health")?.explanation).toMatch(/^526 Invalid SSL certificate/);
    });

    it("the program's setup (Origin Rule to the app port, Origin CA certificate, SSL Strict, AOP): every check passes", async () => {
        const r = await verifyWith({ originRulePort: portOf(tlsOrigin), sslMode: "strict", clientCertificate: { key: pullCert.key, cert: pullCert.cert } });
        expect([...r.values()].map((c) => [c.id, c.verdict])).toEqual([...r.keys()].map((id) => [id, "pass"]));
        expect(r.size).toBe(9);
    });
});
