import { execFile } from "child_process";
import type { LookupFunction } from "net";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { main } from "../../../scripts/verify/main";
import type { CheckResult } from "../../../scripts/shared/edge/types";
import { HOSTNAME } from "../../support/fake-edge";
import { cert, edge, stackDir } from "./verifySupport";

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
