import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bootstrapCommand, buildStdin, hostStdin, packStdin, unpackStdin } from "../../components/host/bootstrap";
import { documentFromArgs, localExitCode, main, settingsFromEnv } from "../../scripts/winrmRun";
import { startFakeWinrm, type FakeWinrm } from "../support/fake-winrm";
import { makeTestCert, type TestCert } from "../support/test-cert";
import { ROOT } from "../support/harness";

const USER = "nova-admin";
const PASSWORD = "Pa55-wörd-CLI";

let cert: TestCert;
let fake: FakeWinrm;
let httpFake: FakeWinrm;

beforeAll(async () => {
    cert = makeTestCert("winrm.test", "IP:127.0.0.1");
    fake = await startFakeWinrm({ user: USER, password: PASSWORD, tls: { key: cert.key, cert: cert.cert }, auth: "negotiate" });
    httpFake = await startFakeWinrm({ user: USER, password: PASSWORD, auth: "negotiate" });
});
afterAll(async () => {
    await fake?.close();
    await httpFake?.close();
    if (cert !== undefined) fs.rmSync(cert.dir, { recursive: true, force: true });
});
beforeEach(() => {
    fake.reset();
    httpFake.reset();
});

function env(over: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
        NOVA_WINRM_HOST: "127.0.0.1", NOVA_WINRM_PORT: String(fake.port), NOVA_WINRM_USER: USER, NOVA_WINRM_PASSWORD: PASSWORD,
        NOVA_WINRM_ALLOW_HTTP: "false", NOVA_WINRM_CA_FILE: cert.caFile, NOVA_WINRM_TIMEOUT_MS: "10000", ...over,
    };
}

async function run(e: Record<string, string | undefined>, stdin: string, argv: string[] = []): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await main(argv, e, { readStdin: async () => stdin, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    return { code, out, err };
}

const DOC = buildStdin("param($NovaSecrets)\nWrite-Output 'Café ✓'\n", { appSecret: "s€cret" });
/** What the program registers as the step's stdin (and pulumi-command pipes to the runner): DOC packed. */
const STDIN = packStdin(DOC);

describe("winrmRun main", () => {
    it("runs the stdin document with the bootstrap, writes the output through and exits with the remote code", async () => {
        fake.answer = { stdout: "Café ✓\r\n", stderr: "warning\r\n", exitCode: 7 };
        const r = await run(env(), STDIN);
        expect(r).toEqual({ code: 7, out: "Café ✓\r\n", err: "warning\r\n" });
        expect(fake.record.commandLines).toEqual([bootstrapCommand()]);
        expect(fake.record.stdin.toString("utf8")).toBe(STDIN);
        expect(unpackStdin(fake.record.stdin.toString("utf8"))).toBe(DOC);
    });

    it("sends a plain document (the stdin of a state written before the packing) packed", async () => {
        fake.answer = { stdout: "", stderr: "", exitCode: 0 };
        expect((await run(env(), DOC)).code).toBe(0);
        expect(fake.record.stdin.toString("utf8")).toBe(STDIN);
    });

    it("--delete sends only the delete part of the stored stdin, packed, without the secrets", async () => {
        fake.answer = { stdout: "", stderr: "", exitCode: 0 };
        const stored = hostStdin("param($NovaSecrets)\nWrite-Output 'up'\n", { appSecret: "s€cret" }, "param($NovaSecrets)\nWrite-Output 'bye'\n");
        expect((await run(env(), stored, ["--delete"])).code).toBe(0);
        const sent = unpackStdin(fake.record.stdin.toString("utf8"));
        expect(sent).toBe(buildStdin("param($NovaSecrets)\nWrite-Output 'bye'\n"));
        expect(sent).not.toContain("s€cret");
        expect(unpackStdin(stored)).toContain("s€cret");
    });

    it("takes the document from --script-b64 and then ignores stdin (a delete gets the create's stdin, secrets included)", async () => {
        const deleteDoc = buildStdin("param($NovaSecrets)\nWrite-Output 'bye'\n");
        const r = await run(env(), STDIN, ["--script-b64", Buffer.from(deleteDoc, "utf8").toString("base64")]);
        expect(r.code).toBe(0);
        expect(unpackStdin(fake.record.stdin.toString("utf8"))).toBe(deleteDoc);
        expect(unpackStdin(fake.record.stdin.toString("utf8"))).not.toContain("s€cret");
    });

    it("exits 1 with one plain line when the credentials are refused, without the password", async () => {
        const r = await run(env({ NOVA_WINRM_PASSWORD: "not-it-Ü" }), DOC);
        expect(r.code).toBe(1);
        expect(r.out).toBe("");
        expect(r.err).toMatch(/^winrmRun: WinRM at https:\/\/127\.0\.0\.1:\d+ refused user "nova-admin" \(HTTP 401\).*\[auth\]\n$/);
        expect(r.err).not.toContain("not-it-Ü");
    });

    it("exits 1 when the host is unreachable", async () => {
        const port = await new Promise<number>((resolve) => {
            const s = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (s.address() as net.AddressInfo).port;
                s.close(() => resolve(p));
            });
        });
        const r = await run(env({ NOVA_WINRM_PORT: String(port) }), DOC);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/cannot reach WinRM at https:\/\/127\.0\.0\.1:\d+ .*\[unreachable\]/);
    });

    it("exits 1 on a plain HTTP listener unless NOVA_WINRM_ALLOW_HTTP=true", async () => {
        const base = env({ NOVA_WINRM_PORT: String(httpFake.port), NOVA_WINRM_CA_FILE: undefined });
        const refused = await run(base, DOC);
        expect(refused.code).toBe(1);
        expect(refused.err).toContain("[tls]");
        expect(httpFake.record.actions).toEqual([]);
        httpFake.answer = { stdout: "ok", stderr: "", exitCode: 0 };
        const allowed = await run({ ...base, NOVA_WINRM_ALLOW_HTTP: "true" }, DOC);
        expect(allowed).toEqual({ code: 0, out: "ok", err: "" });
    });

    it("maps remote exit codes outside 0..255 to 1 and says so", async () => {
        fake.answer = { stdout: "", stderr: "", exitCode: 4294967295 };
        const r = await run(env(), DOC);
        expect(r.code).toBe(1);
        expect(r.err).toBe("winrmRun: the remote command exited with 4294967295\n");
        expect([0, 1, 255, 256, -1].map(localExitCode)).toEqual([0, 1, 255, 1, 1]);
    });

    it.each([
        [{ NOVA_WINRM_HOST: undefined }, "NOVA_WINRM_HOST is not set"],
        [{ NOVA_WINRM_HOST: "host name" }, "NOVA_WINRM_HOST must be a host name or address"],
        [{ NOVA_WINRM_PORT: undefined }, "NOVA_WINRM_PORT is not set"],
        [{ NOVA_WINRM_PORT: "70000" }, "NOVA_WINRM_PORT must be an integer from 1 to 65535"],
        [{ NOVA_WINRM_PORT: "59 86" }, "NOVA_WINRM_PORT must be an integer"],
        [{ NOVA_WINRM_USER: "" }, "NOVA_WINRM_USER is not set"],
        [{ NOVA_WINRM_USER: "a:b" }, "NOVA_WINRM_USER must not contain ':'"],
        [{ NOVA_WINRM_PASSWORD: undefined }, "NOVA_WINRM_PASSWORD is not set"],
        [{ NOVA_WINRM_ALLOW_HTTP: "yes" }, 'NOVA_WINRM_ALLOW_HTTP must be "true" or "false"'],
        [{ NOVA_WINRM_ALLOW_HTTP: "true" }, "NOVA_WINRM_CA_FILE applies to HTTPS only"],
        [{ NOVA_WINRM_CA_FILE: "/nonexistent/ca.pem" }, "NOVA_WINRM_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)"],
        [{ NOVA_WINRM_CA_FILE: path.join(ROOT, "package.json") }, `NOVA_WINRM_CA_FILE: ${path.join(ROOT, "package.json")} holds no PEM certificate`],
        [{ NOVA_WINRM_TIMEOUT_MS: "soon" }, "NOVA_WINRM_TIMEOUT_MS must be an integer"],
    ])("rejects %o before connecting", async (over, message) => {
        const r = await run(env(over), DOC);
        expect(r.code).toBe(1);
        expect(r.err).toContain(`winrmRun: ${message}`);
        expect(r.err).not.toContain(PASSWORD);
        expect(fake.record.actions).toEqual([]);
    });

    it("rejects a missing or malformed document before connecting", async () => {
        expect((await run(env(), "")).err).toBe("winrmRun: no script: standard input is empty and --script-b64 is not given\n");
        expect((await run(env(), "", ["--script-b64", "not base64!"])).err).toBe("winrmRun: --script-b64 is not valid base64\n");
        expect(() => documentFromArgs(["--script-b64", Buffer.from([0xff, 0xfe]).toString("base64")])).toThrow("does not decode to UTF-8");
        expect(fake.record.actions).toEqual([]);
    });

    it("rejects arguments", async () => {
        let err = "";
        expect(await main(["--host", "x"], env(), { readStdin: async () => DOC, stdout: () => undefined, stderr: (t) => { err += t; } })).toBe(1);
        expect(err).toContain("takes no arguments but --delete or --script-b64 <base64>");
    });

    it("defaults to HTTPS and a 30-minute timeout", () => {
        const s = settingsFromEnv(env({ NOVA_WINRM_ALLOW_HTTP: undefined, NOVA_WINRM_TIMEOUT_MS: undefined, NOVA_WINRM_CA_FILE: undefined }), () => "");
        expect(s).toEqual({ target: { transport: "winrm", host: "127.0.0.1", port: fake.port, user: USER, password: PASSWORD, auth: "negotiate", allowHttp: false }, timeoutMs: 1_800_000 });
    });
});

describe("winrmRun as a process", () => {
    it("reads the document on stdin and exits with the remote exit code", async () => {
        fake.answer = { stdout: "from the host ✓\r\n", stderr: "", exitCode: 4 };
        const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts/winrmRun.ts")], {
            cwd: ROOT, env: { PATH: process.env.PATH, ...env() } as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => { out += c.toString("utf8"); });
        child.stderr.on("data", (c: Buffer) => { err += c.toString("utf8"); });
        child.stdin.end(STDIN);
        const code = await new Promise<number | null>((resolve) => {
            const timer = setTimeout(() => child.kill(), 25_000);
            child.on("close", (c) => { clearTimeout(timer); resolve(c); });
        });
        expect({ code, out, err }).toEqual({ code: 4, out: "from the host ✓\r\n", err: "" });
        expect(fake.record.stdin.toString("utf8")).toBe(STDIN);
    }, 30_000);
});
