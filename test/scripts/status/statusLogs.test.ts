/** The pure parts of `npm run status` and `npm run logs`: arguments, NSSM's rotated names, exit codes, the report. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logSources, renderLogsQuery } from "../../../scripts/logs/hostQuery";
import { parseLogsArgs, parseSince } from "../../../scripts/logs/args";
import { parseStatusArgs } from "../../../scripts/status/args";
import { duration, exitCodeFor, formatText, type StatusReport } from "../../../scripts/status/report";
import { plan } from "../../support/harness";

describe("logs arguments", () => {
    it("reads durations and refuses the rest naming the option", () => {
        expect(parseSince("30s")).toBe(30);
        expect(parseSince("15m")).toBe(900);
        expect(parseSince("1h")).toBe(3600);
        expect(parseSince("2d")).toBe(172_800);
        for (const bad of ["1", "1w", "0h", "-1h", "1.5h", "h"]) expect(() => parseSince(bad)).toThrow(`--since: expected a duration like 30s, 15m, 1h or 2d: ${bad}`);
        expect(parseLogsArgs([])).toEqual({ service: "app", lines: 100, sinceSeconds: 0, follow: false, timeoutMs: 30_000 });
        expect(parseLogsArgs(["--service", "cloudflared", "--lines", "5", "--since", "1h", "--follow", "--host", "h"])).toEqual({ host: "h", service: "cloudflared", lines: 5, sinceSeconds: 3600, follow: true, timeoutMs: 30_000 });
        expect(() => parseLogsArgs(["--service", "nginx"])).toThrow("--service: expected app or cloudflared: nginx");
        expect(() => parseLogsArgs(["--lines", "0"])).toThrow("--lines: expected a number of lines between 1 and 10000: 0");
        expect(() => parseLogsArgs(["--lines", "2x"])).toThrow("--lines");
    });
});

describe("status arguments", () => {
    it("takes a timeout and an https base URL", () => {
        expect(parseStatusArgs([])).toEqual({ json: false, timeoutMs: 30_000 });
        expect(parseStatusArgs(["--host", "rondot", "--timeout", "5000", "--base-url", "https://127.0.0.1:8443"])).toEqual({ json: false, host: "rondot", timeoutMs: 5000, baseUrl: "https://127.0.0.1:8443" });
        expect(() => parseStatusArgs(["--base-url", "http://x"])).toThrow("--base-url: expected https://HOST[:PORT] without path: http://x");
        expect(() => parseStatusArgs(["--timeout", "0"])).toThrow("--timeout");
    });
});

describe("NSSM's rotated log names", () => {
    it("match the live file's name with NSSM's timestamp, and nothing else (the other stream's files included)", async () => {
        const cfg = (await plan("prod")).config;
        const [out, err] = logSources(cfg).map((s) => ({ ...s, re: new RegExp(s.rotated) }));
        expect(out.path).toBe("C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service.log");
        expect(err.path).toBe("C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service-error.log");
        expect(out.re.test("service-20261207T061500.123.log")).toBe(true);
        expect(err.re.test("service-error-20261207T061500.123.log")).toBe(true);
        for (const name of ["service.log", "service-error.log", "service-error-20261207T061500.123.log", "service-20261207T0615.log", "xservice-20261207T061500.123.log"]) expect(out.re.test(name), name).toBe(false);
        expect(err.re.test("service-20261207T061500.123.log")).toBe(false);
        // NSSM's format, %04u%02u%02uT%02u%02u%02u.%03u: every timestamp of that shape matches, sorted by time.
        fc.assert(fc.property(fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }), (d) => {
            const p = (n: number, w = 2) => String(n).padStart(w, "0");
            return out.re.test(`service-${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}.log`);
        }));
    });

    it("a log path with quotes reaches the script only quoted", async () => {
        const cfg = (await plan("prod")).config;
        const odd = { ...cfg, service: { ...cfg.service, logDirectory: "C:\\it's logs" } };
        const text = renderLogsQuery(odd, { service: "app", lines: 3, sinceSeconds: 0, from: { "C:\\it's logs\\service.log": 4 } });
        expect(text).toContain("Add-NovaLogSource 'C:\\it''s logs\\service.log' '^service-\\d{8}T\\d{6}\\.\\d{3}\\.log$'");
        expect(text).toContain("$NovaFrom = @{ 'C:\\it''s logs\\service.log' = 4 }");
    });
});

describe("the status report", () => {
    const edgeOk = { id: "health", expected: "GET /health -> 200", got: "200", verdict: "pass" } as const;
    const healthy: StatusReport = {
        stack: "prod",
        hosts: [{ host: "rondot", services: [{ name: "NOVA-Backend", state: "Running", startMode: "Auto", account: "LocalSystem", uptimeSeconds: 3700 }], health: { answer: "200", ok: true }, problems: [], errors: [] }],
        edge: edgeOk,
    };

    it("exit code: 1 when something could not be asked (even with problems), else 2 with a problem, else 0", () => {
        expect(exitCodeFor(healthy)).toBe(0);
        const degraded = { ...healthy, hosts: [{ ...healthy.hosts[0], problems: ["service NOVA-Backend is Stopped"] }] };
        expect(exitCodeFor(degraded)).toBe(2);
        expect(exitCodeFor({ ...degraded, tunnel: { name: "t", connections: [], problems: [], error: "Cloudflare API unreachable (ECONNREFUSED)" } })).toBe(1);
        expect(exitCodeFor({ ...healthy, edge: { ...edgeOk, verdict: "fail", got: "ENOTFOUND", unresolved: true } })).toBe(1);
        expect(exitCodeFor({ ...healthy, edge: { ...edgeOk, verdict: "fail", got: "521" } })).toBe(2);
    });

    it("durations and the table", () => {
        expect([0, 59, 61, 3700, 90_061].map(duration)).toEqual(["0s", "59s", "1m 1s", "1h 1m", "1d 1h"]);
        const text = formatText(healthy);
        expect(text).toMatch(/^rondot  NOVA-Backend          Running, start Auto, LocalSystem, up 1h 1m  ok$/m);
        expect(text.endsWith("Result: healthy (exit 0)\n")).toBe(true);
    });
});
