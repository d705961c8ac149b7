/**
 * `npm run status` and `npm run logs` end to end: the loopback OpenSSH server (test/support/sshd.ts)
 * whose `powershell.exe` is pwsh with the Windows host model (as test/components/host/psBootstrap.test.ts), a model host
 * converged by the prod stack's steps, the Cloudflare API stand-in (test/support/fake-cloudflare.ts)
 * for the tunnel's connections and the test edge (test/support/fake-edge.ts) for the edge check.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { sdkEdgeApi } from "../../../scripts/shared/cloudflare/api";
import { main as logs, onSigint, type LogsDeps } from "../../../scripts/logs/main";
import { runRemote } from "../../../scripts/shared/remote/run";
import { main as status, type StatusDeps } from "../../../scripts/status/main";
import { FakeEdge, HOSTNAME } from "../../support/fake-edge";
import { type FakeCloudflare, startFakeCloudflare } from "../../support/fake-cloudflare";
import { type ModelHost, modelHostUnavailable, startModelHost } from "../../support/modelHost";
import { freePort } from "../../support/sshd";
import { makeTestCert, type TestCert } from "../../support/test-cert";
import { REAL_ACCOUNT_ID } from "../../support/fixtures/siteValues";

const ROOT = resolve(__dirname, "../../..");
const unavailable = modelHostUnavailable();
const suite = unavailable === undefined ? describe : describe.skip;
if (unavailable !== undefined) {
    const why = `status/logs end to end: ${unavailable}`;
    if (process.env.NOVA_REQUIRE_PWSH === "1") it("status/logs end to end can run (NOVA_REQUIRE_PWSH=1)", () => { throw new Error(why); });
    else process.stdout.write(`${why}; skipped.\n`);
}

const TUNNEL_ID = "6ff42ae2-765d-4adf-8112-31c55c1551ef";
const LOGS = "C/Users/PPZ/NOVA-SERVER/logs";

suite("status and logs over ssh, on the host model", () => {
    let host: ModelHost;
    let hostRoot = "";
    let stackDir = "";
    let cf: FakeCloudflare;
    let cert: TestCert;
    let edge: FakeEdge;
    const secrets = () => ({ ...host.manifest.secrets });

    /** Pulumi.prod.yaml with the suite's app port and the host at `port`, the hostname the test edge serves. */
    function writeStack(port: number): void {
        const doc = parse(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        Object.assign(doc.config, {
            "nova:hosts": [{ name: "rondot", address: "127.0.0.1", port, transport: "ssh", user: host.sshd.user, hostKey: host.sshd.hostKeyLine }],
            "nova:accountId": REAL_ACCOUNT_ID,
            "nova:appPort": host.manifest.variants.prod.appPort,
            "nova:zoneName": HOSTNAME,
            "nova:hostname": HOSTNAME,
        });
        delete doc.config["nova:zoneHostnames"];
        writeFileSync(join(stackDir, "Pulumi.prod.yaml"), stringify(doc));
    }

    const stackSecrets = () => ({
        values: {
            "nova:sshPrivateKey": host.sshd.clientKey,
            "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: secrets()["env:ANTHROPIC_API_KEY"], OPENAI_API_KEY: secrets()["env:OPENAI_API_KEY"] }),
            "cloudflare:apiToken": cf.token,
        },
        tunnelToken: secrets().tunnelToken,
    });

    async function runStatus(argv: string[], timeoutMs = 60_000): Promise<{ code: number; out: string; err: string }> {
        let out = "";
        let err = "";
        const deps: StatusDeps = {
            rootDir: stackDir,
            stdout: (t) => (out += t),
            stderr: (t) => (err += t),
            readSecrets: async () => stackSecrets(),
            runRemote,
            readFile: (p) => readFileSync(p, "utf8"),
            edgeApi: (apiToken, t) => sdkEdgeApi({ apiToken, timeoutMs: t, maxRetries: 0, baseURL: cf.baseURL }),
            env: {},
            colour: false,
        };
        const code = await status(["--stack", "prod", "--base-url", edge.url("https"), "--ca", cert.caFile, "--timeout", String(timeoutMs), ...argv], deps);
        return { code, out, err };
    }

    function logsDeps(sink: { out: string; err: string }, onInterrupt: LogsDeps["onInterrupt"] = () => () => undefined): LogsDeps {
        return {
            rootDir: stackDir,
            stdout: (t) => (sink.out += t),
            stderr: (t) => (sink.err += t),
            readSecrets: async () => stackSecrets(),
            runRemote,
            readFile: (p) => readFileSync(p, "utf8"),
            onInterrupt,
            followIntervalMs: 200,
        };
    }

    beforeAll(async () => {
        host = await startModelHost("prod", ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall"]);
        hostRoot = host.root;
        stackDir = join(host.dir, "stack");
        mkdirSync(stackDir);
        cf = await startFakeCloudflare();
        cf.setData({
            zones: [], records: {}, pageRules: {}, entrypoints: {},
            tunnels: { [REAL_ACCOUNT_ID]: [{ id: TUNNEL_ID, name: "nova-prod", status: "healthy", config_src: "cloudflare" }] },
            connections: { [TUNNEL_ID]: [{ id: "c0ffee00-0000-4000-8000-000000000001", version: "2026.7.3", conns: [{ colo_name: "cdg01", client_version: "2026.7.3", opened_at: "2026-12-07T05:00:00Z" }, { colo_name: "ams02", client_version: "2026.7.3" }] }] },
        });
        cert = makeTestCert(HOSTNAME);
        edge = new FakeEdge(cert);
        await edge.listen();
        writeStack(host.sshd.port);
    }, 240_000);

    afterAll(async () => {
        await cf?.stop();
        await edge?.close();
        if (cert) rmSync(cert.dir, { recursive: true, force: true });
        await host?.stop();
    });

    it("a converged host, a connected tunnel and a healthy edge: exit 0, each part in the table", async () => {
        const r = await runStatus([]);
        expect(r.err).toBe("");
        expect(r.out).toMatch(/^rondot\s+NOVA-Backend\s+Running, start Auto, NT SERVICE\\NOVA-Backend, up \d+s\s+ok$/m);
        expect(r.out).toMatch(/^rondot\s+Cloudflared\s+Running, start Auto, LocalSystem, up \d+s\s+ok$/m);
        expect(r.out).toMatch(/^rondot\s+health \(on the host\)\s+200\s+ok$/m);
        expect(r.out).toMatch(/^rondot\s+firewall\s+no inbound rule \(tunnel mode\)\s+ok$/m);
        expect(r.out).toMatch(/^tunnel\s+nova-prod\s+healthy, 2 connections: cdg01 \(cloudflared 2026\.7\.3\), ams02 \(cloudflared 2026\.7\.3\)\s+ok$/m);
        expect(r.out).toMatch(/^edge\s+health\s+GET \/health -> 200: 200\s+ok$/m);
        expect(r.out).toContain("Result: healthy (exit 0)");
        expect(r.code).toBe(0);
        const json = JSON.parse((await runStatus(["--json"])).out);
        expect(json.exitCode).toBe(0);
        expect(json.hosts[0].services[0]).toMatchObject({ name: "NOVA-Backend", state: "Running", startMode: "Auto", account: "NT SERVICE\\NOVA-Backend" });
        expect(typeof json.hosts[0].services[0].uptimeSeconds).toBe("number");
        expect(json.tunnel.connections.map((c: { colo: string }) => c.colo)).toEqual(["cdg01", "ams02"]);
        expect(cf.requests().some((q) => q.path === `/accounts/${REAL_ACCOUNT_ID}/cfd_tunnel/${TUNNEL_ID}/connections`)).toBe(true);
    }, 120_000);

    it("logs: the app's files, rotated ones oldest first, then the live one; the stack's secrets masked", async () => {
        const token = secrets().tunnelToken;
        const key = secrets()["env:OPENAI_API_KEY"];
        writeFileSync(join(hostRoot, LOGS, "service-error-20261201T101500.000.log"), "older rotated line\n");
        writeFileSync(join(hostRoot, LOGS, "service-error-20261205T080000.250.log"), `newer rotated line with ${key}\n`);
        appendFileSync(join(hostRoot, LOGS, "service-error.log"), `Traceback: token=${token}\nlive error line\n`);
        const sink = { out: "", err: "" };
        expect(await logs(["--stack", "prod", "--host", "rondot", "--lines", "50"], logsDeps(sink))).toBe(0);
        expect(sink.out).not.toContain(token);
        expect(sink.out).not.toContain(key);
        expect(sink.out).toContain("Traceback: token=[secret]\n");
        expect(sink.out).toContain("newer rotated line with [secret]\n");
        const order = ["older rotated line", "newer rotated line", "live error line"].map((l) => sink.out.indexOf(l));
        expect(order.every((at) => at >= 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        expect(sink.out).toContain("==> C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service-error-20261201T101500.000.log <==\n");
        // --lines bounds what comes back: the last line only, from the live file
        const one = { out: "", err: "" };
        expect(await logs(["--stack", "prod", "--lines", "1"], logsDeps(one))).toBe(0);
        expect(one.out).toContain("live error line");
        expect(one.out).not.toContain("rotated line");
    }, 120_000);

    it("logs --follow shows lines written after it started and ends cleanly on SIGINT", async () => {
        const sink = { out: "", err: "" };
        appendFileSync(join(hostRoot, LOGS, "service-error.log"), "before follow line\n");
        const listeners = process.listenerCount("SIGINT");
        // the command's own Ctrl-C handling (what its entry gives it)
        const done = logs(["--stack", "prod", "--follow", "--lines", "5"], logsDeps(sink, onSigint));
        const until = async (cond: () => boolean): Promise<void> => { for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 100)); };
        await until(() => sink.out.includes("before follow line"));
        appendFileSync(join(hostRoot, LOGS, "service-error.log"), `followed line ${secrets()["env:ANTHROPIC_API_KEY"]}\n`);
        await until(() => sink.out.includes("followed line"));
        expect(sink.out).toContain("followed line [secret]\n");
        expect(process.listenerCount("SIGINT")).toBe(listeners + 1);
        process.emit("SIGINT", "SIGINT");
        const started = Date.now();
        expect(await done).toBe(0);
        expect(Date.now() - started).toBeLessThan(20_000);
        expect(sink.out.match(/before follow line/g)).toHaveLength(1);
        expect(process.listenerCount("SIGINT")).toBe(listeners);
    }, 120_000);

    it("logs --service cloudflared: the Cloudflared service's event log entries", async () => {
        const sink = { out: "", err: "" };
        expect(await logs(["--stack", "prod", "--service", "cloudflared"], logsDeps(sink))).toBe(0);
        expect(sink.out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ Information Cloudflared service starting$/m);
        expect(sink.out).toMatch(/Cloudflared service arguments: \[.*cloudflared\.exe tunnel run --token-file .*token\]/);
    }, 120_000);

    it("the app stopped: exit 2 naming it, with the stderr log's last lines, secrets masked", async () => {
        host.onHost("stop-app", "Stop-Service -Name 'NOVA-Backend'");
        appendFileSync(join(hostRoot, LOGS, "service-error.log"), `Traceback: token=${secrets().tunnelToken}\n`);
        const r = await runStatus([]);
        expect(r.out).toMatch(/^rondot\s+NOVA-Backend\s+Stopped, start Auto, NT SERVICE\\NOVA-Backend\s+PROBLEM$/m);
        expect(r.out).toContain("rondot: service NOVA-Backend is Stopped");
        expect(r.out).toMatch(/rondot: health on the host answered no answer: .*, not 200/);
        expect(r.out).toContain("rondot: last lines of the app's stderr log:\n");
        expect(r.out).toContain("  Traceback: token=[secret]\n");
        expect(r.out).not.toContain(secrets().tunnelToken);
        expect(r.out).toContain("Result: degraded (exit 2)");
        expect(r.code).toBe(2);
    }, 120_000);

    it("an unreachable host is a row saying so, within the time limit; a silent one too (exit 1)", async () => {
        writeStack(await freePort());
        const closed = await runStatus(["--json"]);
        expect(closed.code).toBe(1);
        expect(JSON.parse(closed.out).hosts[0].unreachable).toMatch(/127\.0\.0\.1:\d+: unreachable \(ECONNREFUSED\)/);
        const silent: Server = createServer(() => undefined);
        await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
        try {
            writeStack((silent.address() as { port: number }).port);
            const started = Date.now();
            const r = await runStatus([], 1_500);
            expect(Date.now() - started).toBeLessThan(8_000);
            expect(r.out).toMatch(/^rondot\s+host\s+not reached: .*(no SSH handshake within the time limit|no result within 1500 ms).*\s+UNKNOWN$/m);
            expect(r.out).toContain("Result: some parts could not be asked (exit 1)");
            expect(r.code).toBe(1);
        } finally {
            silent.close();
            writeStack(host.sshd.port);
        }
    }, 60_000);
});
