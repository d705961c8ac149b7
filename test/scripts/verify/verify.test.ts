import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import { describe, expect, it } from "vitest";
import { checkHealth, checkTls, makeProbe } from "../../../scripts/shared/edge/checks";
import { endpointFor, get } from "../../../scripts/shared/edge/http";
import { HOSTNAME } from "../../support/fake-edge";
import { TARGET, cert, edge, conn, run } from "./verifySupport";

describe("checks against a healthy edge", () => {
    it("passes every check with the expected observations", async () => {
        const r = await run();
        expect([...r.values()].map((c) => [c.id, c.verdict, c.got])).toEqual([
            ["health", "pass", "200"],
            ["root", "pass", `301 -> https://${HOSTNAME}/mail-to-biz`],
            ["spa", "pass", "200"],
            ["assets-cache", "pass", "200, cf-cache-status HIT"],
            ["api-no-cache", "pass", "404, cf-cache-status DYNAMIC"],
            ["websocket", "pass", "101, accept valid, close clean 1000"],
            ["tls-1.1-refused", "pass", "refused (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION)"],
            ["tls-1.2-accepted", "pass", "accepted (TLSv1.2)"],
            ["http-to-https", "pass", `301 -> https://${HOSTNAME}/health`],
        ]);
        // The asset came from the SPA's HTML, fetched twice; the API twice; no redirect followed.
        expect(edge.hits.get("/mail-to-biz/assets/index-3f2a.js")).toBe(2);
        expect(edge.hits.get("/api/")).toBe(2);
        expect(edge.hits.get("/mail-to-biz")).toBeUndefined();
        expect(edge.hits.get("http:/health")).toBe(1);
    });

    it("uses --asset instead of discovering one", async () => {
        const r = await run({}, { assetPath: "/mail-to-biz/assets/logo.svg" });
        expect(r.get("assets-cache")).toMatchObject({ verdict: "pass", expected: "GET /mail-to-biz/assets/logo.svg x2 -> 200, cf-cache-status HIT" });
        expect(edge.hits.get("/mail-to-biz/assets/logo.svg")).toBe(2);
        expect(edge.hits.get("/mail-to-biz/assets/index-3f2a.js")).toBeUndefined();
    });

    it("accepts a rewritten root in rewrite mode and skips it in none mode", async () => {
        edge.reset({ root: "rewrite" });
        expect((await run({ rootPath: "rewrite" })).get("root")).toMatchObject({ verdict: "pass", got: "200" });
        expect((await run({ rootPath: "none" })).get("root")).toMatchObject({ verdict: "skip" });
        expect(edge.hits.get("/")).toBe(1);
    });

    it("rejects the certificate when the CA is not given (verification stays on)", async () => {
        const r = await run({}, { ca: undefined });
        expect(r.get("health")).toMatchObject({ verdict: "fail", got: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
        expect(r.get("health")?.explanation).toMatch(/certificate presented is not valid/);
        expect(r.get("tls-1.2-accepted")).toMatchObject({ verdict: "fail", got: "no connection (UNABLE_TO_VERIFY_LEAF_SIGNATURE)" });
    });
});

describe("checks against broken edges", () => {
    it.each([
        ["direct", /APP_HOST=0\.0\.0\.0/],
        ["tunnel", /cloudflared service/],
    ] as const)("521 in %s mode: origin down, explained for the mode", async (mode, re) => {
        edge.reset({ all: "521" });
        const r = await run({ ingressMode: mode });
        for (const id of ["health", "root", "spa", "api-no-cache", "websocket"] as const) {
            expect(r.get(id)?.verdict).toBe("fail");
            expect(r.get(id)?.explanation).toMatch(re);
        }
        expect(r.get("health")?.got).toBe("521");
        expect(r.get("websocket")?.got).toBe("521");
        expect(r.get("assets-cache")).toMatchObject({ verdict: "fail", got: "SPA page unavailable" });
        expect(r.get("assets-cache")?.explanation).toMatch(re);
        // The HTTP answer is final: no retry.
        expect(edge.hits.get("/health")).toBe(1);
    });

    it("522 from the edge: connection timed out", async () => {
        edge.reset({ all: "522" });
        const r = await run();
        expect(r.get("health")).toMatchObject({ verdict: "fail", got: "522" });
        expect(r.get("health")?.explanation).toMatch(/522 Connection timed out/);
    });

    it("an edge that never answers: bounded by the time limit and the retry count", async () => {
        edge.reset({ all: "hang" });
        const started = Date.now();
        const r = await run({}, { timeoutMs: 200, retries: 1 });
        expect(Date.now() - started).toBeLessThan(3000);
        expect(r.get("health")).toMatchObject({ verdict: "fail", got: "no answer within 200 ms" });
        expect(r.get("health")?.explanation).toMatch(/No answer within 200 ms.*522/);
        expect(r.get("websocket")?.explanation).toMatch(/No answer within 200 ms/);
        expect(edge.hits.get("/health")).toBe(2);
    });

    it("cuts a body that stalls after the headers at the time limit", async () => {
        const stall = http.createServer((_req, res) => {
            res.writeHead(200);
            res.write("partial");
        });
        await new Promise<void>((res) => stall.listen(0, "127.0.0.1", res));
        try {
            const ep = endpointFor(HOSTNAME, "http", `http://127.0.0.1:${(stall.address() as AddressInfo).port}`);
            const o = await get(ep, "/health", { timeoutMs: 150, retries: 0 });
            expect(o).toMatchObject({ kind: "network", code: "TIMEOUT", url: `http://${HOSTNAME}/health` });
        } finally {
            stall.closeAllConnections();
            await new Promise<void>((res) => stall.close(() => res()));
        }
    });

    it("retries network errors only, a fixed number of times", async () => {
        edge.reset({ resetConnections: 1 });
        expect(await checkHealth(makeProbe(TARGET, conn({ retries: 1 })))).toMatchObject({ verdict: "pass" });
        expect(edge.hits.get("/health")).toBe(1);
        edge.reset({ resetConnections: 2 });
        const failed = await checkHealth(makeProbe(TARGET, conn({ retries: 1 })));
        expect(failed).toMatchObject({ verdict: "fail", got: "ECONNRESET" });
        expect(edge.hits.get("/health")).toBeUndefined();
    });

    it.each([
        ["self-redirect", `301 -> https://${HOSTNAME}/health`],
        ["downgrade", `302 -> http://${HOSTNAME}/health`],
    ] as const)("redirect loop (%s): SSL mode flexible", async (health, got) => {
        edge.reset({ health });
        const r = await run();
        expect(r.get("health")).toMatchObject({ verdict: "fail", got });
        expect(r.get("health")?.explanation).toMatch(/flexible.*set the SSL mode to `full`/);
        expect(edge.hits.get("/health")).toBe(1);
    });

    it("root redirecting to itself is a loop; elsewhere is a wrong target", async () => {
        edge.reset({ root: "loop" });
        expect((await run()).get("root")?.explanation).toMatch(/Redirect loop/);
        edge.reset({ root: "elsewhere" });
        expect((await run()).get("root")).toMatchObject({ verdict: "fail", got: `301 -> https://${HOSTNAME}/login` });
        expect((await run()).get("root")?.explanation).toMatch(/redirects elsewhere than \/mail-to-biz/);
    });

    it("root mode mismatch: rewrite expected but redirected, redirect expected but served", async () => {
        const rewrite = (await run({ rootPath: "rewrite" })).get("root");
        expect(rewrite).toMatchObject({ verdict: "fail", got: `301 -> https://${HOSTNAME}/mail-to-biz` });
        expect(rewrite?.explanation).toMatch(/rewrite rule for `\/`/);
        edge.reset({ root: "rewrite" });
        const redirect = (await run()).get("root");
        expect(redirect).toMatchObject({ verdict: "fail", got: "200" });
        expect(redirect?.explanation).toMatch(/redirect rule for `\/`/);
    });

    it.each([
        ["cf1016", "409", /1016: origin DNS error/],
        ["cf1001", "409", /1001: .*record is missing/],
        ["cf1014", "409", /1014: CNAME cross-user/],
        ["cf1033", "530", /1033: .*cloudflared/],
    ] as const)("Cloudflare %s error body: DNS/proxy setup", async (all, got, re) => {
        edge.reset({ all });
        const r = await run();
        expect(r.get("health")).toMatchObject({ verdict: "fail", got });
        expect(r.get("health")?.explanation).toMatch(re);
        expect(r.get("health")?.explanation).toMatch(/proxied/);
    });

    it("health path missing on the backend", async () => {
        edge.reset({ health: "404" });
        const h = (await run()).get("health");
        expect(h).toMatchObject({ verdict: "fail", got: "404" });
        expect(h?.explanation).toMatch(/\/health did not answer as expected/);
    });

    it.each([
        ["dynamic", "200, cf-cache-status DYNAMIC", /cache rule for the assets prefix/],
        ["absent", "200, cf-cache-status absent", /No cf-cache-status header/],
    ] as const)("assets not cached (%s)", async (assets, got, re) => {
        edge.reset({ assets });
        const a = (await run()).get("assets-cache");
        expect(a).toMatchObject({ verdict: "fail", got });
        expect(a?.explanation).toMatch(re);
    });

    it("no asset in the SPA HTML", async () => {
        edge.reset({ spaHtml: "<html><script src=/other/x.js></script></html>" });
        const r = await run();
        expect(r.get("spa")?.verdict).toBe("pass");
        expect(r.get("assets-cache")).toMatchObject({ verdict: "fail", got: "no asset found" });
        expect(r.get("assets-cache")?.explanation).toMatch(/--asset PATH/);
    });

    it("API answered from the edge cache", async () => {
        edge.reset({ api: "hit" });
        const a = (await run()).get("api-no-cache");
        expect(a).toMatchObject({ verdict: "fail", got: "404, cf-cache-status HIT" });
        expect(a?.explanation).toMatch(/bypass rule for the API prefix/);
    });

    it("API redirecting is fine unless it loops", async () => {
        edge.reset({ api: "redirect" });
        expect((await run()).get("api-no-cache")).toMatchObject({ verdict: "pass", got: "307, cf-cache-status DYNAMIC" });
        edge.reset({ api: "loop" });
        const a = (await run()).get("api-no-cache");
        expect(a).toMatchObject({ verdict: "fail", got: `307 -> https://${HOSTNAME}/api/` });
        expect(a?.explanation).toMatch(/Redirect loop/);
    });

    it.each([
        ["refuse", "403", /enable the zone's `websockets` setting/],
        ["bad-accept", "101, accept INVALID, close clean 1000", /Sec-WebSocket-Accept header is wrong/],
        ["drop", "101, accept valid, close dropped", /did not close cleanly/],
    ] as const)("WebSocket %s", async (ws, got, re) => {
        edge.reset({ ws });
        const w = (await run()).get("websocket");
        expect(w).toMatchObject({ verdict: "fail", got });
        expect(w?.explanation).toMatch(re);
    });

    it("an edge that still accepts TLS 1.1", async () => {
        const r = await run({}, { baseUrl: edge.url("legacyHttps") });
        expect(r.get("tls-1.1-refused")).toMatchObject({ verdict: "fail", got: "accepted (TLSv1.1)" });
        expect(r.get("tls-1.1-refused")?.explanation).toMatch(/min_tls_version\) to 1\.2/);
        expect(r.get("tls-1.2-accepted")?.verdict).toBe("pass");
        expect(r.get("health")?.verdict).toBe("pass");
    });

    it("an edge that refuses TLS 1.2", async () => {
        const strict = https.createServer({ key: cert.key, cert: cert.cert, minVersion: "TLSv1.3" });
        await new Promise<void>((res) => strict.listen(0, "127.0.0.1", res));
        try {
            const port = (strict.address() as AddressInfo).port;
            const [r11, r12] = await checkTls(makeProbe(TARGET, conn({ baseUrl: `https://127.0.0.1:${port}` })));
            expect(r12).toMatchObject({ verdict: "fail", got: "refused (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION)" });
            expect(r12.explanation).toMatch(/minimum TLS version is set to 1\.3/);
            expect(r11.verdict).toBe("pass");
        } finally {
            strict.closeAllConnections();
            await new Promise<void>((res) => strict.close(() => res()));
        }
    });

    it.each([
        ["serve", "200", /Always Use HTTPS/],
        ["loop", `301 -> http://${HOSTNAME}/health`, /Redirect loop/],
    ] as const)("plain HTTP %s", async (http, got, re) => {
        edge.reset({ http });
        const h = (await run()).get("http-to-https");
        expect(h).toMatchObject({ verdict: "fail", got });
        expect(h?.explanation).toMatch(re);
    });
});
