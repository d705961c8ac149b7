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
const child_process_1 = require("child_process");
const fs = __importStar(require("fs"));
const http = __importStar(require("http"));
const https = __importStar(require("https"));
const os = __importStar(require("os"));
const path = __importStar(require("path"));
const vitest_1 = require("vitest");
const verify_1 = require("../scripts/verify");
const args_1 = require("../scripts/verify/args");
const assets_1 = require("../scripts/verify/assets");
const checks_1 = require("../scripts/verify/checks");
const http_1 = require("../scripts/verify/http");
const explain_1 = require("../scripts/verify/explain");
const report_1 = require("../scripts/verify/report");
const target_1 = require("../scripts/verify/target");
const websocket_1 = require("../scripts/verify/websocket");
const fake_edge_1 = require("./support/fake-edge");
const test_cert_1 = require("./support/test-cert");
const TARGET = {
    hostname: fake_edge_1.HOSTNAME,
    ingressMode: "tunnel",
    rootPath: "redirect",
    paths: { spa: "/mail-to-biz", api: "/api", ws: "/ws", health: "/health", assets: "/mail-to-biz/assets" },
};
let cert;
let edge;
let stackDir;
(0, vitest_1.beforeAll)(async () => {
    cert = (0, test_cert_1.makeTestCert)(fake_edge_1.HOSTNAME);
    edge = new fake_edge_1.FakeEdge(cert);
    await edge.listen();
    stackDir = fs.mkdtempSync(path.join(os.tmpdir(), "nova-verify-stack-"));
    const staging = fs.readFileSync(path.join(__dirname, "..", "Pulumi.staging.yaml"), "utf8");
    fs.writeFileSync(path.join(stackDir, "Pulumi.test.yaml"), staging.replace("nova:zoneName: itspirit.ovh", `nova:zoneName: ${fake_edge_1.HOSTNAME}`).replace("nova:hostname: nova-staging.itspirit.ovh", `nova:hostname: ${fake_edge_1.HOSTNAME}`).replace("nova:rootPath: rewrite", "nova:rootPath: redirect"));
}, 20_000);
(0, vitest_1.afterAll)(async () => {
    await edge?.close();
    fs.rmSync(cert.dir, { recursive: true, force: true });
    fs.rmSync(stackDir, { recursive: true, force: true });
});
(0, vitest_1.beforeEach)(() => edge.reset());
function conn(over = {}) {
    return { baseUrl: edge.url("https"), httpBaseUrl: edge.url("http"), ca: cert.ca, timeoutMs: 2000, retries: 0, ...over };
}
async function run(target = {}, over = {}) {
    const results = await (0, checks_1.runChecks)({ ...TARGET, ...target }, conn(over));
    return new Map(results.map((r) => [r.id, r]));
}
const response = (status, headers = {}, body = "", url = `https://${fake_edge_1.HOSTNAME}/health`) => ({
    kind: "response", url, status, headers, body,
});
const network = (code) => ({ kind: "network", url: `https://${fake_edge_1.HOSTNAME}/health`, code, message: code });
const CTX = { ingressMode: "direct", timeoutMs: 300 };
(0, vitest_1.describe)("explain table", () => {
    (0, vitest_1.it)("reads Cloudflare 1xxx codes from plain and HTML bodies only", () => {
        (0, vitest_1.expect)((0, explain_1.cloudflareErrorCode)("error code: 1016")).toBe(1016);
        (0, vitest_1.expect)((0, explain_1.cloudflareErrorCode)("<h1>Error 1001</h1> DNS resolution error")).toBe(1001);
        (0, vitest_1.expect)((0, explain_1.cloudflareErrorCode)("Error code 521")).toBeUndefined();
        (0, vitest_1.expect)((0, explain_1.cloudflareErrorCode)("all good")).toBeUndefined();
    });
    (0, vitest_1.it)("tells a redirect loop from a normal redirect", () => {
        (0, vitest_1.expect)((0, explain_1.isRedirectLoop)(response(301, { location: "/health" }))).toBe(true);
        (0, vitest_1.expect)((0, explain_1.isRedirectLoop)(response(301, { location: `http://${fake_edge_1.HOSTNAME}/health` }))).toBe(true);
        (0, vitest_1.expect)((0, explain_1.isRedirectLoop)(response(301, { location: "/mail-to-biz" }))).toBe(false);
        const plainUrl = `http://${fake_edge_1.HOSTNAME}/health`;
        (0, vitest_1.expect)((0, explain_1.isRedirectLoop)(response(301, { location: `https://${fake_edge_1.HOSTNAME}/health` }, "", plainUrl))).toBe(false);
        (0, vitest_1.expect)((0, explain_1.isRedirectLoop)(response(301, { location: plainUrl }, "", plainUrl))).toBe(true);
        (0, vitest_1.expect)((0, explain_1.isRedirectLoop)(response(200, { location: "/health" }))).toBe(false);
    });
    (0, vitest_1.it)("explains 521 by ingress mode", () => {
        const direct = (0, explain_1.explainObservation)(response(521), CTX) ?? "";
        (0, vitest_1.expect)(direct).toMatch(/firewall/);
        (0, vitest_1.expect)(direct).toContain("APP_HOST=0.0.0.0");
        const tunnel = (0, explain_1.explainObservation)(response(521), { ...CTX, ingressMode: "tunnel" }) ?? "";
        (0, vitest_1.expect)(tunnel).toMatch(/cloudflared service/);
        (0, vitest_1.expect)(tunnel).not.toContain("APP_HOST");
    });
    vitest_1.it.each([
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
        (0, vitest_1.expect)((0, explain_1.explainObservation)(o, CTX)).toMatch(re);
    });
    (0, vitest_1.it)("has no explanation for healthy answers, and unique signature ids", () => {
        (0, vitest_1.expect)((0, explain_1.explainObservation)(response(200), CTX)).toBeUndefined();
        (0, vitest_1.expect)((0, explain_1.explainObservation)(response(404), CTX)).toBeUndefined();
        (0, vitest_1.expect)(new Set(explain_1.EDGE_SIGNATURES.map((s) => s.id)).size).toBe(explain_1.EDGE_SIGNATURES.length);
    });
});
(0, vitest_1.describe)("pure helpers", () => {
    (0, vitest_1.it)("computes Sec-WebSocket-Accept as in RFC 6455", () => {
        (0, vitest_1.expect)((0, websocket_1.acceptFor)("dGhlIHNhbXBsZSBub25jZQ==")).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    });
    (0, vitest_1.it)("builds a masked close frame that parses back to code 1000", () => {
        const frame = (0, websocket_1.closeFrame)(1000, Buffer.from([1, 2, 3, 4]));
        (0, vitest_1.expect)([...frame]).toEqual([0x88, 0x82, 1, 2, 3, 4, 0x03 ^ 1, 0xe8 ^ 2]);
        const parsed = (0, websocket_1.readFrame)(frame);
        (0, vitest_1.expect)(parsed?.opcode).toBe(8);
        (0, vitest_1.expect)(parsed?.payload.readUInt16BE(0)).toBe(1000);
        (0, vitest_1.expect)((0, websocket_1.readFrame)(frame.subarray(0, 5))).toBeUndefined();
    });
    (0, vitest_1.it)("finds the first asset under the prefix in the SPA HTML", () => {
        const page = `https://${fake_edge_1.HOSTNAME}/mail-to-biz/`;
        const html = `<link rel="icon" href="/favicon.ico"><script src='assets/a.js?v=2'></script><link href="/mail-to-biz/assets/b.css">`;
        (0, vitest_1.expect)((0, assets_1.findAssetPath)(html, page, "/mail-to-biz/assets")).toBe("/mail-to-biz/assets/a.js?v=2");
        (0, vitest_1.expect)((0, assets_1.findAssetPath)(`<script src="https://cdn.example/mail-to-biz/assets/x.js"></script>`, page, "/mail-to-biz/assets")).toBeUndefined();
        (0, vitest_1.expect)((0, assets_1.findAssetPath)(`<img src="/mail-to-biz/assets/x.png">`, page, "/mail-to-biz/assets")).toBeUndefined();
        (0, vitest_1.expect)((0, assets_1.findAssetPath)(`<link href=/mail-to-biz/assets/c.css>`, page, "/mail-to-biz/assets")).toBe("/mail-to-biz/assets/c.css");
    });
    (0, vitest_1.it)("maps results to exit codes", () => {
        const r = (verdict, unresolved) => ({ id: "health", expected: "", got: "", verdict, unresolved });
        (0, vitest_1.expect)((0, report_1.exitCodeFor)([r("pass"), r("skip")])).toBe(0);
        (0, vitest_1.expect)((0, report_1.exitCodeFor)([r("pass"), r("fail")])).toBe(2);
        (0, vitest_1.expect)((0, report_1.exitCodeFor)([r("fail", true), r("fail", true), r("skip")])).toBe(1);
        (0, vitest_1.expect)((0, report_1.exitCodeFor)([r("fail", true), r("fail")])).toBe(2);
    });
    (0, vitest_1.it)("formats a table with explained failures", () => {
        const out = (0, report_1.formatTable)([
            { id: "health", expected: "GET /health -> 200", got: "200", verdict: "pass" },
            { id: "root", expected: "skipped", got: "-", verdict: "skip" },
            { id: "websocket", expected: "101", got: "403", verdict: "fail", explanation: "enable websockets" },
        ]);
        (0, vitest_1.expect)(out).toBe([
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
        ].join("\n"));
    });
});
(0, vitest_1.describe)("loadVerifyTarget", () => {
    const root = path.resolve(__dirname, "..");
    (0, vitest_1.it)("reads the committed stacks through the program's configuration parser", () => {
        (0, vitest_1.expect)((0, target_1.loadVerifyTarget)("prod", root)).toEqual({
            hostname: "nova-rondot.itspirit.ovh",
            ingressMode: "tunnel",
            rootPath: "redirect",
            paths: { spa: "/mail-to-biz", api: "/api", ws: "/ws", health: "/health", assets: "/mail-to-biz/assets" },
        });
        (0, vitest_1.expect)((0, target_1.loadVerifyTarget)("staging", root)).toMatchObject({ hostname: "nova-staging.itspirit.ovh", ingressMode: "direct", rootPath: "rewrite" });
    });
    (0, vitest_1.it)("refuses a stack whose configuration is invalid, naming the key", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nova-verify-target-"));
        fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), fs.readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8").replace("nova:rootPath: redirect", "nova:rootPath: proxy"));
        (0, vitest_1.expect)(() => (0, target_1.loadVerifyTarget)("bad", dir)).toThrow(/nova:rootPath: expected one of redirect, rewrite, none, got "proxy"/);
    });
    (0, vitest_1.it)("rejects a missing file and path-like stack names", () => {
        (0, vitest_1.expect)(() => (0, target_1.loadVerifyTarget)("nope", stackDir)).toThrow(/Pulumi\.nope\.yaml/);
        (0, vitest_1.expect)(() => (0, target_1.loadVerifyTarget)("../x", stackDir)).toThrow(/expected a stack name/);
    });
});
(0, vitest_1.describe)("parseVerifyArgs", () => {
    (0, vitest_1.it)("defaults to the prod stack", () => {
        (0, vitest_1.expect)((0, args_1.parseVerifyArgs)([])).toEqual({
            stack: "prod", json: false, timeoutMs: 10_000,
            caFile: undefined, baseUrl: undefined, httpBaseUrl: undefined, assetPath: undefined,
        });
    });
    (0, vitest_1.it)("reads every option", () => {
        const a = (0, args_1.parseVerifyArgs)([
            "--stack", "staging", "--json", "--timeout", "500", "--ca", "ca.pem",
            "--base-url", "https://127.0.0.1:8443", "--http-base-url", "http://127.0.0.1:8080", "--asset", "/app/assets/x.js",
        ]);
        (0, vitest_1.expect)(a).toEqual({
            stack: "staging", json: true, timeoutMs: 500, caFile: "ca.pem",
            baseUrl: "https://127.0.0.1:8443", httpBaseUrl: "http://127.0.0.1:8080", assetPath: "/app/assets/x.js",
        });
    });
    vitest_1.it.each([
        [["--bogus"], /Unknown option/],
        [["--timeout", "0"], /--timeout/],
        [["--timeout", "abc"], /--timeout/],
        [["--base-url", "http://127.0.0.1"], /--base-url: expected https:/],
        [["--base-url", "https://127.0.0.1/x"], /without path/],
        [["--http-base-url", "https://h"], /--http-base-url: expected http:/],
        [["--asset", "x.js"], /--asset/],
        [["extra"], /unexpected argument/],
    ])("rejects %j", (argv, re) => {
        (0, vitest_1.expect)(() => (0, args_1.parseVerifyArgs)(argv)).toThrow(re);
    });
});
(0, vitest_1.describe)("checks against a healthy edge", () => {
    (0, vitest_1.it)("passes every check with the expected observations", async () => {
        const r = await run();
        (0, vitest_1.expect)([...r.values()].map((c) => [c.id, c.verdict, c.got])).toEqual([
            ["health", "pass", "200"],
            ["root", "pass", `301 -> https://${fake_edge_1.HOSTNAME}/mail-to-biz`],
            ["spa", "pass", "200"],
            ["assets-cache", "pass", "200, cf-cache-status HIT"],
            ["api-no-cache", "pass", "404, cf-cache-status DYNAMIC"],
            ["websocket", "pass", "101, accept valid, close clean 1000"],
            ["tls-1.1-refused", "pass", "refused (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION)"],
            ["tls-1.2-accepted", "pass", "accepted (TLSv1.2)"],
            ["http-to-https", "pass", `301 -> https://${fake_edge_1.HOSTNAME}/health`],
        ]);
        // The asset came from the SPA's HTML, fetched twice; the API twice; no redirect followed.
        (0, vitest_1.expect)(edge.hits.get("/mail-to-biz/assets/index-3f2a.js")).toBe(2);
        (0, vitest_1.expect)(edge.hits.get("/api/")).toBe(2);
        (0, vitest_1.expect)(edge.hits.get("/mail-to-biz")).toBeUndefined();
        (0, vitest_1.expect)(edge.hits.get("http:/health")).toBe(1);
    });
    (0, vitest_1.it)("uses --asset instead of discovering one", async () => {
        const r = await run({}, { assetPath: "/mail-to-biz/assets/logo.svg" });
        (0, vitest_1.expect)(r.get("assets-cache")).toMatchObject({ verdict: "pass", expected: "GET /mail-to-biz/assets/logo.svg x2 -> 200, cf-cache-status HIT" });
        (0, vitest_1.expect)(edge.hits.get("/mail-to-biz/assets/logo.svg")).toBe(2);
        (0, vitest_1.expect)(edge.hits.get("/mail-to-biz/assets/index-3f2a.js")).toBeUndefined();
    });
    (0, vitest_1.it)("accepts a rewritten root in rewrite mode and skips it in none mode", async () => {
        edge.reset({ root: "rewrite" });
        (0, vitest_1.expect)((await run({ rootPath: "rewrite" })).get("root")).toMatchObject({ verdict: "pass", got: "200" });
        (0, vitest_1.expect)((await run({ rootPath: "none" })).get("root")).toMatchObject({ verdict: "skip" });
        (0, vitest_1.expect)(edge.hits.get("/")).toBe(1);
    });
    (0, vitest_1.it)("rejects the certificate when the CA is not given (verification stays on)", async () => {
        const r = await run({}, { ca: undefined });
        (0, vitest_1.expect)(r.get("health")).toMatchObject({ verdict: "fail", got: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
        (0, vitest_1.expect)(r.get("health")?.explanation).toMatch(/certificate presented is not valid/);
        (0, vitest_1.expect)(r.get("tls-1.2-accepted")).toMatchObject({ verdict: "fail", got: "no connection (UNABLE_TO_VERIFY_LEAF_SIGNATURE)" });
    });
});
(0, vitest_1.describe)("checks against broken edges", () => {
    vitest_1.it.each([
        ["direct", /APP_HOST=0\.0\.0\.0/],
        ["tunnel", /cloudflared service/],
    ])("521 in %s mode: origin down, explained for the mode", async (mode, re) => {
        edge.reset({ all: "521" });
        const r = await run({ ingressMode: mode });
        for (const id of ["health", "root", "spa", "api-no-cache", "websocket"]) {
            (0, vitest_1.expect)(r.get(id)?.verdict).toBe("fail");
            (0, vitest_1.expect)(r.get(id)?.explanation).toMatch(re);
        }
        (0, vitest_1.expect)(r.get("health")?.got).toBe("521");
        (0, vitest_1.expect)(r.get("websocket")?.got).toBe("521");
        (0, vitest_1.expect)(r.get("assets-cache")).toMatchObject({ verdict: "fail", got: "SPA page unavailable" });
        (0, vitest_1.expect)(r.get("assets-cache")?.explanation).toMatch(re);
        // The HTTP answer is final: no retry.
        (0, vitest_1.expect)(edge.hits.get("/health")).toBe(1);
    });
    (0, vitest_1.it)("522 from the edge: connection timed out", async () => {
        edge.reset({ all: "522" });
        const r = await run();
        (0, vitest_1.expect)(r.get("health")).toMatchObject({ verdict: "fail", got: "522" });
        (0, vitest_1.expect)(r.get("health")?.explanation).toMatch(/522 Connection timed out/);
    });
    (0, vitest_1.it)("an edge that never answers: bounded by the time limit and the retry count", async () => {
        edge.reset({ all: "hang" });
        const started = Date.now();
        const r = await run({}, { timeoutMs: 200, retries: 1 });
        (0, vitest_1.expect)(Date.now() - started).toBeLessThan(3000);
        (0, vitest_1.expect)(r.get("health")).toMatchObject({ verdict: "fail", got: "no answer within 200 ms" });
        (0, vitest_1.expect)(r.get("health")?.explanation).toMatch(/No answer within 200 ms.*522/);
        (0, vitest_1.expect)(r.get("websocket")?.explanation).toMatch(/No answer within 200 ms/);
        (0, vitest_1.expect)(edge.hits.get("/health")).toBe(2);
    });
    (0, vitest_1.it)("cuts a body that stalls after the headers at the time limit", async () => {
        const stall = http.createServer((_req, res) => {
            res.writeHead(200);
            res.write("partial");
        });
        await new Promise((res) => stall.listen(0, "127.0.0.1", res));
        try {
            const ep = (0, http_1.endpointFor)(fake_edge_1.HOSTNAME, "http", `http://127.0.0.1:${stall.address().port}`);
            const o = await (0, http_1.get)(ep, "/health", { timeoutMs: 150, retries: 0 });
            (0, vitest_1.expect)(o).toMatchObject({ kind: "network", code: "TIMEOUT", url: `http://${fake_edge_1.HOSTNAME}/health` });
        }
        finally {
            stall.closeAllConnections();
            await new Promise((res) => stall.close(() => res()));
        }
    });
    (0, vitest_1.it)("retries network errors only, a fixed number of times", async () => {
        edge.reset({ resetConnections: 1 });
        (0, vitest_1.expect)(await (0, checks_1.checkHealth)((0, checks_1.makeProbe)(TARGET, conn({ retries: 1 })))).toMatchObject({ verdict: "pass" });
        (0, vitest_1.expect)(edge.hits.get("/health")).toBe(1);
        edge.reset({ resetConnections: 2 });
        const failed = await (0, checks_1.checkHealth)((0, checks_1.makeProbe)(TARGET, conn({ retries: 1 })));
        (0, vitest_1.expect)(failed).toMatchObject({ verdict: "fail", got: "ECONNRESET" });
        (0, vitest_1.expect)(edge.hits.get("/health")).toBeUndefined();
    });
    vitest_1.it.each([
        ["self-redirect", `301 -> https://${fake_edge_1.HOSTNAME}/health`],
        ["downgrade", `302 -> http://${fake_edge_1.HOSTNAME}/health`],
    ])("redirect loop (%s): SSL mode flexible", async (health, got) => {
        edge.reset({ health });
        const r = await run();
        (0, vitest_1.expect)(r.get("health")).toMatchObject({ verdict: "fail", got });
        (0, vitest_1.expect)(r.get("health")?.explanation).toMatch(/flexible.*set the SSL mode to `full`/);
        (0, vitest_1.expect)(edge.hits.get("/health")).toBe(1);
    });
    (0, vitest_1.it)("root redirecting to itself is a loop; elsewhere is a wrong target", async () => {
        edge.reset({ root: "loop" });
        (0, vitest_1.expect)((await run()).get("root")?.explanation).toMatch(/Redirect loop/);
        edge.reset({ root: "elsewhere" });
        (0, vitest_1.expect)((await run()).get("root")).toMatchObject({ verdict: "fail", got: `301 -> https://${fake_edge_1.HOSTNAME}/login` });
        (0, vitest_1.expect)((await run()).get("root")?.explanation).toMatch(/redirects elsewhere than \/mail-to-biz/);
    });
    (0, vitest_1.it)("root mode mismatch: rewrite expected but redirected, redirect expected but served", async () => {
        const rewrite = (await run({ rootPath: "rewrite" })).get("root");
        (0, vitest_1.expect)(rewrite).toMatchObject({ verdict: "fail", got: `301 -> https://${fake_edge_1.HOSTNAME}/mail-to-biz` });
        (0, vitest_1.expect)(rewrite?.explanation).toMatch(/rewrite rule for `\/`/);
        edge.reset({ root: "rewrite" });
        const redirect = (await run()).get("root");
        (0, vitest_1.expect)(redirect).toMatchObject({ verdict: "fail", got: "200" });
        (0, vitest_1.expect)(redirect?.explanation).toMatch(/redirect rule for `\/`/);
    });
    vitest_1.it.each([
        ["cf1016", "409", /1016: origin DNS error/],
        ["cf1001", "409", /1001: .*record is missing/],
        ["cf1014", "409", /1014: CNAME cross-user/],
        ["cf1033", "530", /1033: .*cloudflared/],
    ])("Cloudflare %s error body: DNS/proxy setup", async (all, got, re) => {
        edge.reset({ all });
        const r = await run();
        (0, vitest_1.expect)(r.get("health")).toMatchObject({ verdict: "fail", got });
        (0, vitest_1.expect)(r.get("health")?.explanation).toMatch(re);
        (0, vitest_1.expect)(r.get("health")?.explanation).toMatch(/proxied/);
    });
    (0, vitest_1.it)("health path missing on the backend", async () => {
        edge.reset({ health: "404" });
        const h = (await run()).get("health");
        (0, vitest_1.expect)(h).toMatchObject({ verdict: "fail", got: "404" });
        (0, vitest_1.expect)(h?.explanation).toMatch(/\/health did not answer as expected/);
    });
    vitest_1.it.each([
        ["dynamic", "200, cf-cache-status DYNAMIC", /cache rule for the assets prefix/],
        ["absent", "200, cf-cache-status absent", /No cf-cache-status header/],
    ])("assets not cached (%s)", async (assets, got, re) => {
        edge.reset({ assets });
        const a = (await run()).get("assets-cache");
        (0, vitest_1.expect)(a).toMatchObject({ verdict: "fail", got });
        (0, vitest_1.expect)(a?.explanation).toMatch(re);
    });
    (0, vitest_1.it)("no asset in the SPA HTML", async () => {
        edge.reset({ spaHtml: "<html><script src=/other/x.js></script></html>" });
        const r = await run();
        (0, vitest_1.expect)(r.get("spa")?.verdict).toBe("pass");
        (0, vitest_1.expect)(r.get("assets-cache")).toMatchObject({ verdict: "fail", got: "no asset found" });
        (0, vitest_1.expect)(r.get("assets-cache")?.explanation).toMatch(/--asset PATH/);
    });
    (0, vitest_1.it)("API answered from the edge cache", async () => {
        edge.reset({ api: "hit" });
        const a = (await run()).get("api-no-cache");
        (0, vitest_1.expect)(a).toMatchObject({ verdict: "fail", got: "404, cf-cache-status HIT" });
        (0, vitest_1.expect)(a?.explanation).toMatch(/bypass rule for the API prefix/);
    });
    (0, vitest_1.it)("API redirecting is fine unless it loops", async () => {
        edge.reset({ api: "redirect" });
        (0, vitest_1.expect)((await run()).get("api-no-cache")).toMatchObject({ verdict: "pass", got: "307, cf-cache-status DYNAMIC" });
        edge.reset({ api: "loop" });
        const a = (await run()).get("api-no-cache");
        (0, vitest_1.expect)(a).toMatchObject({ verdict: "fail", got: `307 -> https://${fake_edge_1.HOSTNAME}/api/` });
        (0, vitest_1.expect)(a?.explanation).toMatch(/Redirect loop/);
    });
    vitest_1.it.each([
        ["refuse", "403", /enable the zone's `websockets` setting/],
        ["bad-accept", "101, accept INVALID, close clean 1000", /Sec-WebSocket-Accept header is wrong/],
        ["drop", "101, accept valid, close dropped", /did not close cleanly/],
    ])("WebSocket %s", async (ws, got, re) => {
        edge.reset({ ws });
        const w = (await run()).get("websocket");
        (0, vitest_1.expect)(w).toMatchObject({ verdict: "fail", got });
        (0, vitest_1.expect)(w?.explanation).toMatch(re);
    });
    (0, vitest_1.it)("an edge that still accepts TLS 1.1", async () => {
        const r = await run({}, { baseUrl: edge.url("legacyHttps") });
        (0, vitest_1.expect)(r.get("tls-1.1-refused")).toMatchObject({ verdict: "fail", got: "accepted (TLSv1.1)" });
        (0, vitest_1.expect)(r.get("tls-1.1-refused")?.explanation).toMatch(/min_tls_version\) to 1\.2/);
        (0, vitest_1.expect)(r.get("tls-1.2-accepted")?.verdict).toBe("pass");
        (0, vitest_1.expect)(r.get("health")?.verdict).toBe("pass");
    });
    (0, vitest_1.it)("an edge that refuses TLS 1.2", async () => {
        const strict = https.createServer({ key: cert.key, cert: cert.cert, minVersion: "TLSv1.3" });
        await new Promise((res) => strict.listen(0, "127.0.0.1", res));
        try {
            const port = strict.address().port;
            const [r11, r12] = await (0, checks_1.checkTls)((0, checks_1.makeProbe)(TARGET, conn({ baseUrl: `https://127.0.0.1:${port}` })));
            (0, vitest_1.expect)(r12).toMatchObject({ verdict: "fail", got: "refused (ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION)" });
            (0, vitest_1.expect)(r12.explanation).toMatch(/minimum TLS version is set to 1\.3/);
            (0, vitest_1.expect)(r11.verdict).toBe("pass");
        }
        finally {
            strict.closeAllConnections();
            await new Promise((res) => strict.close(() => res()));
        }
    });
    vitest_1.it.each([
        ["serve", "200", /Always Use HTTPS/],
        ["loop", `301 -> http://${fake_edge_1.HOSTNAME}/health`, /Redirect loop/],
    ])("plain HTTP %s", async (http, got, re) => {
        edge.reset({ http });
        const h = (await run()).get("http-to-https");
        (0, vitest_1.expect)(h).toMatchObject({ verdict: "fail", got });
        (0, vitest_1.expect)(h?.explanation).toMatch(re);
    });
});
(0, vitest_1.describe)("verify command", () => {
    async function cli(argv, lookup) {
        let out = "";
        let err = "";
        const code = await (0, verify_1.main)(argv, { rootDir: stackDir, stdout: (t) => (out += t), stderr: (t) => (err += t), lookup });
        return { code, out, err };
    }
    const local = () => ["--stack", "test", "--ca", cert.caFile, "--base-url", edge.url("https"), "--http-base-url", edge.url("http"), "--timeout", "2000"];
    (0, vitest_1.it)("exits 0 and prints the table when every check passes", async () => {
        const { code, out, err } = await cli(local());
        (0, vitest_1.expect)(code).toBe(0);
        (0, vitest_1.expect)(err).toBe("");
        (0, vitest_1.expect)(out).toMatch(/^Verifying nova\.test \(stack test, direct mode\)\n\ncheck {2,}expected {2,}got {2,}verdict\n/);
        (0, vitest_1.expect)(out.match(/ PASS$/gm)).toHaveLength(9);
        (0, vitest_1.expect)(out).toContain("9 passed, 0 failed, 0 skipped");
    });
    (0, vitest_1.it)("exits 2 with explanations when some checks fail, also in JSON", async () => {
        edge.reset({ all: "521" });
        const table = await cli(local());
        (0, vitest_1.expect)(table.code).toBe(2);
        (0, vitest_1.expect)(table.out).toMatch(/^health +GET \/health -> 200 +521 +FAIL$/m);
        (0, vitest_1.expect)(table.out).toMatch(/^- health: 521 Web server is down: .*APP_HOST=0\.0\.0\.0/m);
        const json = await cli([...local(), "--json"]);
        (0, vitest_1.expect)(json.code).toBe(2);
        const report = JSON.parse(json.out);
        (0, vitest_1.expect)(report).toMatchObject({ stack: "test", hostname: fake_edge_1.HOSTNAME, exitCode: 2 });
        (0, vitest_1.expect)(report.results.find((r) => r.id === "health")).toMatchObject({ verdict: "fail", got: "521" });
        (0, vitest_1.expect)(report.results.find((r) => r.id === "tls-1.2-accepted")).toMatchObject({ verdict: "pass" });
    });
    (0, vitest_1.it)("exits 1 on bad arguments, an unknown stack or an unreadable CA file", async () => {
        for (const argv of [["--nope"], ["--stack", "missing"], ["--stack", "test", "--ca", path.join(stackDir, "absent.pem")]]) {
            const r = await cli(argv);
            (0, vitest_1.expect)(r.code).toBe(1);
            (0, vitest_1.expect)(r.out).toBe("");
            (0, vitest_1.expect)(r.err).toMatch(/^verify: .*\nusage: verify /);
        }
    });
    (0, vitest_1.it)("exits 1 when the hostname resolves for no check", async () => {
        const calls = [];
        const notFound = (hostname, _opts, cb) => {
            calls.push(hostname);
            const e = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
            cb(e);
        };
        const r = await cli(["--stack", "test", "--ca", cert.caFile, "--timeout", "2000"], notFound);
        (0, vitest_1.expect)(r.code).toBe(1);
        (0, vitest_1.expect)(new Set(calls)).toEqual(new Set([fake_edge_1.HOSTNAME]));
        (0, vitest_1.expect)(r.out).toMatch(/^health +GET \/health -> 200 +ENOTFOUND +FAIL$/m);
        (0, vitest_1.expect)(r.out).toContain("does not resolve");
        (0, vitest_1.expect)(r.err).toContain("could not be resolved");
    });
    (0, vitest_1.it)("runs as a child process through ts-node and sets the exit code", async () => {
        const script = path.resolve(__dirname, "../scripts/verify.ts");
        const tsNode = require.resolve("ts-node/dist/bin.js");
        const child = (argv) => new Promise((resolve) => {
            (0, child_process_1.execFile)(process.execPath, [tsNode, "--transpile-only", script, ...argv], { cwd: stackDir, timeout: 30_000 }, (err, stdout) => resolve({ code: err ? Number(err.code) : 0, out: stdout }));
        });
        const ok = await child(local());
        (0, vitest_1.expect)(ok.code).toBe(0);
        (0, vitest_1.expect)(ok.out).toContain("9 passed, 0 failed, 0 skipped");
        edge.reset({ ws: "refuse" });
        const failed = await child(local());
        (0, vitest_1.expect)(failed.code).toBe(2);
        (0, vitest_1.expect)(failed.out).toMatch(/^websocket +.* +403 +FAIL$/m);
        (0, vitest_1.expect)((await child(["--stack", "missing"])).code).toBe(1);
    }, 60_000);
});
