import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parseVerifyArgs } from "../../../scripts/verify/args";
import { findAssetPath } from "../../../scripts/shared/edge/assets";
import { cloudflareErrorCode, EDGE_SIGNATURES, explainObservation, isRedirectLoop } from "../../../scripts/shared/edge/explain";
import { exitCodeFor, formatTable } from "../../../scripts/verify/report";
import { loadVerifyTarget } from "../../../scripts/shared/edge/target";
import type { CheckResult } from "../../../scripts/shared/edge/types";
import { acceptFor, closeFrame, readFrame } from "../../../scripts/shared/edge/websocket";
import { HOSTNAME } from "../../support/fake-edge";
import { stackDir, response, network, CTX } from "./verifySupport";

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
