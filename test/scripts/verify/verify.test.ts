import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import type { AddressInfo, LookupFunction } from "net";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../../scripts/verify/main";
import { parseVerifyArgs } from "../../../scripts/verify/args";
import { findAssetPath } from "../../../scripts/shared/edge/assets";
import { checkHealth, checkTls, makeProbe, runChecks } from "../../../scripts/shared/edge/checks";
import { endpointFor, get } from "../../../scripts/shared/edge/http";
import { cloudflareErrorCode, EDGE_SIGNATURES, explainObservation, isRedirectLoop } from "../../../scripts/shared/edge/explain";
import { exitCodeFor, formatTable } from "../../../scripts/verify/report";
import { loadVerifyTarget } from "../../../scripts/shared/edge/target";
import type { CheckId, CheckResult, ConnectionOptions, Observation, VerifyTarget } from "../../../scripts/shared/edge/types";
import { acceptFor, closeFrame, readFrame } from "../../../scripts/shared/edge/websocket";
import { FakeEdge, HOSTNAME } from "../../support/fake-edge";
import { makeTestCert, TestCert } from "../../support/test-cert";

const TARGET: VerifyTarget = {
    hostname: HOSTNAME,
    ingressMode: "tunnel",
    rootPath: "redirect",
    paths: { spa: "/mail-to-biz", api: "/api", ws: "/ws", health: "/health", assets: "/mail-to-biz/assets" },
};

let cert: TestCert;
let edge: FakeEdge;
let stackDir: string;

beforeAll(async () => {
    cert = makeTestCert(HOSTNAME);
    edge = new FakeEdge(cert);
    await edge.listen();
    stackDir = fs.mkdtempSync(path.join(os.tmpdir(), "nova-verify-stack-"));
    const staging = fs.readFileSync(path.join(__dirname, "..", "..", "..", "Pulumi.staging.yaml"), "utf8");
    fs.writeFileSync(
        path.join(stackDir, "Pulumi.test.yaml"),
        staging.replace("nova:zoneName: itspirit.ovh", `nova:zoneName: ${HOSTNAME}`).replace("nova:hostname: nova-staging.itspirit.ovh", `nova:hostname: ${HOSTNAME}`).replace("nova:rootPath: rewrite", "nova:rootPath: redirect"),
    );
}, 20_000);

afterAll(async () => {
    await edge?.close();
    fs.rmSync(cert.dir, { recursive: true, force: true });
    fs.rmSync(stackDir, { recursive: true, force: true });
});

beforeEach(() => edge.reset());

function conn(over: Partial<ConnectionOptions> = {}): ConnectionOptions {
    return { baseUrl: edge.url("https"), httpBaseUrl: edge.url("http"), ca: cert.ca, timeoutMs: 2000, retries: 0, ...over };
}

async function run(target: Partial<VerifyTarget> = {}, over: Partial<ConnectionOptions> = {}): Promise<Map<CheckId, CheckResult>> {
    const results = await runChecks({ ...TARGET, ...target }, conn(over));
    return new Map(results.map((r) => [r.id, r]));
}

const response = (status: number, headers: Record<string, string> = {}, body = "", url = `https://${HOSTNAME}/health`): Observation => ({
    kind: "response", url, status, headers, body,
});
const network = (code: string): Observation => ({ kind: "network", url: `https://${HOSTNAME}/health`, code, message: code });
const CTX = { ingressMode: "direct" as const, timeoutMs: 300 };

describe("explain table", () => {
    it("reads Cloudflare 1xxx codes from plain and HTML bodies only", () => {
        expect(cloudflareErrorCode("error code: 1016")).toBe(1016);
        expect(cloudflareErrorCode("<h1>Error 1001</h1> DNS resolution error")).toBe(1001);
        expect(cloudflareErrorCode("Error code 521")).toBeUndefined();
        expect(cloudflareErrorCode("all good")).toBeUndefined();
    });

    it("tells a redirect loop from a normal redirect", () => {
        expect(isRedirectLoop(response(301, { location: "/health" }))).toBe(true);
        expect(isRedirectLoop(response(301, { location: `http://${HOSTNAME}/health` }))).toBe(true);
        expect(isRedirectLoop(response(301, { location: "/mail-to-biz" }))).toBe(false);
        const plainUrl = `http://${HOSTNAME}/health`;
        expect(isRedirectLoop(response(301, { location: `https://${HOSTNAME}/health` }, "", plainUrl))).toBe(false);
        expect(isRedirectLoop(response(301, { location: plainUrl }, "", plainUrl))).toBe(true);
        expect(isRedirectLoop(response(200, { location: "/health" }))).toBe(false);
    });

    it("explains 521 by ingress mode", () => {
        const direct = explainObservation(response(521), CTX) ?? "";
        expect(direct).toMatch(/firewall/);
        expect(direct).toContain("APP_HOST=0.0.0.0");
        const tunnel = explainObservation(response(521), { ...CTX, ingressMode: "tunnel" }) ?? "";
        expect(tunnel).toMatch(/cloudflared service/);
        expect(tunnel).not.toContain("APP_HOST");
    });

    it.each([
        ["522", response(522), /522 Connection timed out.*slow or unreachable/],
        ["client timeout", network("TIMEOUT"), /No answer within 300 ms/],
        ["redirect loop", response(301, { location: "/health" }), /SSL\/TLS mode `flexible`.*`full`/],
        ["1016", response(409, {}, "error code: 1016"), /Cloudflare error 1016: origin DNS error.*deleted tunnel/],
        ["1001", response(409, {}, "error code: 1001"), /Cloudflare error 1001: .*record is missing/],
        ["1014", response(403, {}, "error code: 1014"), /Cloudflare error 1014: CNAME cross-user/],
        ["1033", response(530, {}, "error code: 1033"), /Cloudflare error 1033: .*cloudflared/],
        ["other 1xxx", response(403, {}, "error code: 1020"), /Cloudflare error 1020: Cloudflare refused.*proxied/],
        ["DNS not found", network("ENOTFOUND"), /does not resolve/],
        ["connection refused", network("ECONNREFUSED"), /not proxied/],
        ["certificate", network("ERR_TLS_CERT_ALTNAME_INVALID"), /certificate presented is not valid/],
        ["502", response(502), /Bad gateway/],
        ["500", response(500), /server error/],
    ])("explains %s", (_label, o, re) => {
        expect(explainObservation(o, CTX)).toMatch(re);
    });

    it("has no explanation for healthy answers, and unique signature ids", () => {
        expect(explainObservation(response(200), CTX)).toBeUndefined();
        expect(explainObservation(response(404), CTX)).toBeUndefined();
        expect(new Set(EDGE_SIGNATURES.map((s) => s.id)).size).toBe(EDGE_SIGNATURES.length);
    });
});

describe("pure helpers", () => {
    it("computes Sec-WebSocket-Accept as in RFC 6455", () => {
        expect(acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    });

    it("builds a masked close frame that parses back to code 1000", () => {
        const frame = closeFrame(1000, Buffer.from([1, 2, 3, 4]));
        expect([...frame]).toEqual([0x88, 0x82, 1, 2, 3, 4, 0x03 ^ 1, 0xe8 ^ 2]);
        const parsed = readFrame(frame);
        expect(parsed?.opcode).toBe(8);
        expect(parsed?.payload.readUInt16BE(0)).toBe(1000);
        expect(readFrame(frame.subarray(0, 5))).toBeUndefined();
    });

    it("finds the first asset under the prefix in the SPA HTML", () => {
        const page = `https://${HOSTNAME}/mail-to-biz/`;
        const html = `<link rel="icon" href="/favicon.ico"><script src='assets/a.js?v=2'></script><link href="/mail-to-biz/assets/b.css">`;
        expect(findAssetPath(html, page, "/mail-to-biz/assets")).toBe("/mail-to-biz/assets/a.js?v=2");
        expect(findAssetPath(`<script src="https://cdn.example/mail-to-biz/assets/x.js"></script>`, page, "/mail-to-biz/assets")).toBeUndefined();
        expect(findAssetPath(`<img src="/mail-to-biz/assets/x.png">`, page, "/mail-to-biz/assets")).toBeUndefined();
        expect(findAssetPath(`<link href=/mail-to-biz/assets/c.css>`, page, "/mail-to-biz/assets")).toBe("/mail-to-biz/assets/c.css");
    });

    it("maps results to exit codes", () => {
        const r = (verdict: CheckResult["verdict"], unresolved?: boolean): CheckResult => ({ id: "health", expected: "", got: "", verdict, unresolved });
        expect(exitCodeFor([r("pass"), r("skip")])).toBe(0);
        expect(exitCodeFor([r("pass"), r("fail")])).toBe(2);
        expect(exitCodeFor([r("fail", true), r("fail", true), r("skip")])).toBe(1);
        expect(exitCodeFor([r("fail", true), r("fail")])).toBe(2);
    });

    it("formats a table with explained failures", () => {
        const out = formatTable([
            { id: "health", expected: "GET /health -> 200", got: "200", verdict: "pass" },
            { id: "root", expected: "skipped", got: "-", verdict: "skip" },
            { id: "websocket", expected: "101", got: "403", verdict: "fail", explanation: "enable websockets" },
        ]);
        expect(out).toBe(
            [
                "check      expected            got  verdict",
                "---------  ------------------  ---  -------",
                "health     GET /health -> 200  200  PASS",
                "root       skipped             -    SKIP",
                "websocket  101                 403  FAIL",
                "",
                "Failures:",
                "- websocket: enable websockets",
                "",
                "1 passed, 1 failed, 1 skipped",
                "",
            ].join("\n"),
        );
    });
});

describe("loadVerifyTarget", () => {
    const root = path.resolve(__dirname, "../../..");

    it("reads the committed stacks through the program's configuration parser", () => {
        expect(loadVerifyTarget("prod", root)).toEqual({
            hostname: "nova-rondot.itspirit.ovh",
            ingressMode: "tunnel",
            rootPath: "redirect",
            paths: { spa: "/mail-to-biz", api: "/api", ws: "/ws", health: "/health", assets: "/mail-to-biz/assets" },
        });
        expect(loadVerifyTarget("staging", root)).toMatchObject({ hostname: "nova-staging.itspirit.ovh", ingressMode: "direct", rootPath: "redirect" });
    });

    it("refuses a stack whose configuration is invalid, naming the key", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nova-verify-target-"));
        fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8").replace("nova:rootPath: redirect", "nova:rootPath: proxy"));
        expect(() => loadVerifyTarget("bad", dir)).toThrow(/nova:rootPath: expected one of redirect, rewrite, none, got "proxy"/);
    });

    it("rejects a missing file and path-like stack names", () => {
        expect(() => loadVerifyTarget("nope", stackDir)).toThrow(/Pulumi\.nope\.yaml/);
        expect(() => loadVerifyTarget("../x", stackDir)).toThrow(/expected a stack name/);
    });
});

describe("parseVerifyArgs", () => {
    it("leaves the stack to the default when not given", () => {
        expect(parseVerifyArgs([])).toEqual({
            json: false, timeoutMs: 10_000,
            caFile: undefined, baseUrl: undefined, httpBaseUrl: undefined, assetPath: undefined,
        });
    });

    it("reads every option", () => {
        const a = parseVerifyArgs([
            "--stack", "staging", "--json", "--timeout", "500", "--ca", "ca.pem",
            "--base-url", "https://127.0.0.1:8443", "--http-base-url", "http://127.0.0.1:8080", "--asset", "/app/assets/x.js",
        ]);
        expect(a).toEqual({
            stack: "staging", json: true, timeoutMs: 500, caFile: "ca.pem",
            baseUrl: "https://127.0.0.1:8443", httpBaseUrl: "http://127.0.0.1:8080", assetPath: "/app/assets/x.js",
        });
    });

    it.each([
        [["--bogus"], /unknown option "--bogus"/],
        [["--ca"], /--ca: expects a value \(FILE\)/],
        [["--timeout", "0"], /--timeout/],
        [["--timeout", "abc"], /--timeout/],
        [["--base-url", "http://127.0.0.1"], /--base-url: expected https:/],
        [["--base-url", "https://127.0.0.1/x"], /without path/],
        [["--http-base-url", "https://h"], /--http-base-url: expected http:/],
        [["--asset", "x.js"], /--asset/],
        [["extra"], /unexpected argument/],
    ])("rejects %j", (argv, re) => {
        expect(() => parseVerifyArgs(argv)).toThrow(re);
    });
});

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

describe("verify command", () => {
    async function cli(argv: string[], lookup?: LookupFunction): Promise<{ code: number; out: string; err: string }> {
        let out = "";
        let err = "";
        const code = await main(argv, { rootDir: stackDir, stdout: (t) => (out += t), stderr: (t) => (err += t), lookup });
        return { code, out, err };
    }
    const local = (): string[] => ["--stack", "test", "--ca", cert.caFile, "--base-url", edge.url("https"), "--http-base-url", edge.url("http"), "--timeout", "2000"];

    it("exits 0 and prints the table when every check passes", async () => {
        const { code, out, err } = await cli(local());
        expect(code).toBe(0);
        expect(err).toBe("");
        expect(out).toMatch(/^Verifying nova\.test \(stack test, direct mode\)\n\ncheck {2,}expected {2,}got {2,}verdict\n/);
        expect(out.match(/ PASS$/gm)).toHaveLength(9);
        expect(out).toContain("9 passed, 0 failed, 0 skipped");
    });

    it("exits 2 with explanations when some checks fail, also in JSON", async () => {
        edge.reset({ all: "521" });
        const table = await cli(local());
        expect(table.code).toBe(2);
        expect(table.out).toMatch(/^health +GET \/health -> 200 +521 +FAIL$/m);
        expect(table.out).toMatch(/^- health: 521 Web server is down: .*APP_HOST=0\.0\.0\.0/m);
        const json = await cli([...local(), "--json"]);
        expect(json.code).toBe(2);
        const report = JSON.parse(json.out);
        expect(report).toMatchObject({ stack: "test", hostname: HOSTNAME, exitCode: 2 });
        expect(report.results.find((r: CheckResult) => r.id === "health")).toMatchObject({ verdict: "fail", got: "521" });
        expect(report.results.find((r: CheckResult) => r.id === "tls-1.2-accepted")).toMatchObject({ verdict: "pass" });
    });

    it("exits 1 on bad arguments, an unknown stack or an unreadable CA file", async () => {
        for (const argv of [["--nope"], ["--stack", "missing"], ["--stack", "test", "--ca", path.join(stackDir, "absent.pem")]]) {
            const r = await cli(argv);
            expect(r.code).toBe(1);
            expect(r.out).toBe("");
            expect(r.err).toMatch(/^verify: .*\nusage: npm run verify -- /);
        }
    });

    it("exits 1 when the hostname resolves for no check", async () => {
        const calls: string[] = [];
        const notFound: LookupFunction = (hostname, _opts, cb) => {
            calls.push(hostname);
            const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
            (cb as (err: NodeJS.ErrnoException) => void)(e);
        };
        const r = await cli(["--stack", "test", "--ca", cert.caFile, "--timeout", "2000"], notFound);
        expect(r.code).toBe(1);
        expect(new Set(calls)).toEqual(new Set([HOSTNAME]));
        expect(r.out).toMatch(/^health +GET \/health -> 200 +ENOTFOUND +FAIL$/m);
        expect(r.out).toContain("does not resolve");
        expect(r.err).toContain("could not be resolved");
    });

    it("runs as a child process through ts-node and sets the exit code", async () => {
        const script = path.resolve(__dirname, "../../../scripts/verify/main.ts");
        const tsNode = require.resolve("ts-node/dist/bin.js");
        const child = (argv: string[]): Promise<{ code: number; out: string }> =>
            new Promise((resolve) => {
                execFile(process.execPath, [tsNode, "--transpile-only", script, ...argv], { cwd: stackDir, timeout: 30_000 }, (err, stdout) =>
                    resolve({ code: err ? Number((err as { code?: number }).code) : 0, out: stdout }),
                );
            });
        const ok = await child(local());
        expect(ok.code).toBe(0);
        expect(ok.out).toContain("9 passed, 0 failed, 0 skipped");
        edge.reset({ ws: "refuse" });
        const failed = await child(local());
        expect(failed.code).toBe(2);
        expect(failed.out).toMatch(/^websocket +.* +403 +FAIL$/m);
        expect((await child(["--stack", "missing"])).code).toBe(1);
    }, 60_000);
});
