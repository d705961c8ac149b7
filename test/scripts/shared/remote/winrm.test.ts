import { execFileSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bootstrapCommand, buildStdin } from "../../../../components/host/bootstrap";
import { RemoteUnavailableError, type WinrmTarget } from "../../../../scripts/shared/remote/types";
import { CLEANUP_MS, runWinrm } from "../../../../scripts/shared/remote/winrm";
import { MAX_ENVELOPE_SIZE, STDIN_CHUNK } from "../../../../scripts/shared/remote/wsman";
import { startFakeWinrm, type FakeWinrm } from "../../../support/fake-winrm";
import { makeTestCert, type TestCert } from "../../../support/test-cert";

const USER = "Administrator";
const PASSWORD = "S3cret-pässword-42!";
const TERMINATE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate";

let cert: TestCert;
let otherCert: TestCert;
let httpsFake: FakeWinrm;
let httpFake: FakeWinrm;

beforeAll(async () => {
    cert = makeTestCert("winrm.test", "IP:127.0.0.1");
    otherCert = makeTestCert("winrm.test", "IP:127.0.0.1");
    httpsFake = await startFakeWinrm({ user: USER, password: PASSWORD, tls: { key: cert.key, cert: cert.cert } });
    httpFake = await startFakeWinrm({ user: USER, password: PASSWORD });
});
afterAll(async () => {
    await httpsFake?.close();
    await httpFake?.close();
    for (const c of [cert, otherCert]) if (c !== undefined) fs.rmSync(c.dir, { recursive: true, force: true });
});
beforeEach(() => {
    httpsFake.reset();
    httpFake.reset();
});

function httpsTarget(over: Partial<WinrmTarget> = {}): WinrmTarget {
    return { transport: "winrm", host: "127.0.0.1", port: httpsFake.port, user: USER, password: PASSWORD, auth: "basic", allowHttp: false, caPem: cert.ca.toString(), ...over };
}
function httpTarget(over: Partial<WinrmTarget> = {}): WinrmTarget {
    return { transport: "winrm", host: "127.0.0.1", port: httpFake.port, user: USER, password: PASSWORD, auth: "basic", allowHttp: true, ...over };
}

async function failure(p: Promise<unknown>): Promise<RemoteUnavailableError> {
    const err = await p.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteUnavailableError);
    return err as RemoteUnavailableError;
}

const SCRIPT = "param($NovaSecrets)\nWrite-Output 'Zürich — 東京 ✓'\nexit 0\n";
const STDIN = buildStdin(SCRIPT, { appSecret: "v@l \"quoted\" ünï", token: "eyJhIjoiYiJ9" });

describe("runWinrm over HTTPS", () => {
    it("runs exactly the bootstrap command line and delivers the stdin document byte for byte, then closes stdin", async () => {
        httpsFake.answer = { stdout: "Zürich — 東京 ✓\r\nfertig\r\n", stderr: "avertissement: é\r\n", exitCode: 0 };
        const result = await runWinrm(httpsTarget(), STDIN, 10_000);
        const rec = httpsFake.record;
        expect(rec.commandLines).toEqual([bootstrapCommand()]);
        expect(rec.commandLines[0]).not.toContain("Write-Output");
        expect(rec.stdin.equals(Buffer.from(STDIN, "utf8"))).toBe(true);
        expect(rec.stdinEnded).toBe(true);
        expect(rec.commandOptions).toEqual({ WINRS_CONSOLEMODE_STDIN: "FALSE", WINRS_SKIP_CMD_SHELL: "FALSE" });
        expect(result).toEqual({ exitCode: 0, stdout: "Zürich — 東京 ✓\r\nfertig\r\n", stderr: "avertissement: é\r\n" });
        expect(rec.actions.slice(0, 3)).toEqual(["Create", "Command", "Send"]);
        expect(rec.actions.slice(-2)).toEqual(["Signal", "Delete"]);
        expect(rec.signals).toEqual([TERMINATE]);
        expect(rec.deletedShells).toHaveLength(1);
    });

    it("keeps the password out of every message body and the command line", async () => {
        await runWinrm(httpsTarget(), STDIN, 10_000);
        expect(httpsFake.record.bodies.length).toBeGreaterThan(4);
        for (const body of httpsFake.record.bodies) expect(body).not.toContain(PASSWORD);
        expect(httpsFake.record.commandLines[0]).not.toContain(PASSWORD);
    });

    it("propagates a non-zero exit code, and asks again after a Receive that timed out on the server", async () => {
        httpsFake.answer = { stdout: "", stderr: "Access to the path is denied.\r\n", exitCode: 3 };
        httpsFake.behaviour = { mode: "normal", timedOutFirst: true };
        const result = await runWinrm(httpsTarget(), STDIN, 10_000);
        expect(result).toEqual({ exitCode: 3, stdout: "", stderr: "Access to the path is denied.\r\n" });
        expect(httpsFake.record.actions.filter((a) => a === "Receive").length).toBe(2);
    });

    it("sends a large stdin in several Sends, each envelope within the size limit, End only on the last", async () => {
        const big = buildStdin(`${"# ligne de commentaire é\n".repeat(12_000)}Write-Output ok\n`);
        expect(Buffer.byteLength(big)).toBeGreaterThan(2 * STDIN_CHUNK);
        await runWinrm(httpsTarget(), big, 10_000);
        const sends = httpsFake.record.bodies.filter((b) => b.includes("/windows/shell/Send<"));
        expect(sends.length).toBe(Math.ceil(Buffer.byteLength(big) / STDIN_CHUNK));
        for (const s of sends) expect(Buffer.byteLength(s)).toBeLessThan(MAX_ENVELOPE_SIZE);
        expect(sends.map((s) => s.includes('End="true"'))).toEqual(sends.map((_, i) => i === sends.length - 1));
        expect(httpsFake.record.stdin.equals(Buffer.from(big, "utf8"))).toBe(true);
    });

    it("refuses a listener whose certificate is not signed by the given CA (tls), and runs nothing", async () => {
        const err = await failure(runWinrm(httpsTarget({ caPem: otherCert.ca.toString() }), STDIN, 5_000));
        expect(err.reason).toBe("tls");
        expect(err.message).not.toContain(PASSWORD);
        expect(httpsFake.record.actions).toEqual([]);
    });

    it("refuses a self-signed listener when no CA is given (trust store only)", async () => {
        const err = await failure(runWinrm(httpsTarget({ caPem: undefined }), STDIN, 5_000));
        expect(err.reason).toBe("tls");
    });

    it("reports refused credentials as auth, without the password", async () => {
        const err = await failure(runWinrm(httpsTarget({ password: "wrong-Pässword-9" }), STDIN, 5_000));
        expect(err.reason).toBe("auth");
        expect(err.message).toContain(USER);
        expect(err.message).not.toContain("wrong-Pässword-9");
        expect(httpsFake.record.authFailures).toBe(1);
        expect(httpsFake.record.commandLines).toEqual([]);
    });

    it("says so when the service does not offer Basic authentication", async () => {
        httpsFake.behaviour = { mode: "normal", timedOutFirst: false, basicDisabled: true };
        const err = await failure(runWinrm(httpsTarget(), STDIN, 5_000));
        expect(err.reason).toBe("auth");
        expect(err.message).toContain("Basic authentication is not enabled on the WinRM service (it offers Negotiate, Kerberos)");
        expect(err.message).toContain("Set-Item WSMan:\\localhost\\Service\\Auth\\Basic $true");
    });

    it("reports a fault answered with HTTP 400 with its text, and still deletes the shell", async () => {
        httpsFake.behaviour = { mode: "normal", timedOutFirst: false, rejectSend: "The envelope size exceeds the maximum." };
        const err = await failure(runWinrm(httpsTarget(), STDIN, 5_000));
        expect(err.reason).toBe("protocol");
        expect(err.message).toMatch(/^WinRM at https:\/\/127\.0\.0\.1:\d+ refused the request: The envelope size exceeds the maximum\.$/);
        expect(httpsFake.record.deletedShells).toHaveLength(1);
    });

    it("reports an AccessDenied fault on Command as auth, and still deletes the shell", async () => {
        httpsFake.behaviour = { mode: "normal", timedOutFirst: false, denyCommand: "Access is denied." };
        const err = await failure(runWinrm(httpsTarget(), STDIN, 5_000));
        expect(err.reason).toBe("auth");
        expect(err.message).toContain("Access is denied.");
        expect(httpsFake.record.deletedShells).toHaveLength(1);
    });

    it("gives up within the bound when the command never finishes, terminating it and deleting the shell", async () => {
        httpsFake.behaviour = { mode: "never-done", timedOutFirst: false };
        const started = Date.now();
        const err = await failure(runWinrm(httpsTarget(), STDIN, 1_500));
        const elapsed = Date.now() - started;
        expect(err.reason).toBe("timeout");
        expect(elapsed).toBeGreaterThanOrEqual(1_400);
        expect(elapsed).toBeLessThan(1_500 + 2 * CLEANUP_MS + 500);
        expect(httpsFake.record.signals).toEqual([TERMINATE]);
        expect(httpsFake.record.deletedShells).toHaveLength(1);
    });

    it("gives up within the bound when the server holds Receive forever", async () => {
        httpsFake.behaviour = { mode: "hang", timedOutFirst: false };
        const started = Date.now();
        const err = await failure(runWinrm(httpsTarget(), STDIN, 1_500));
        expect(err.reason).toBe("timeout");
        expect(Date.now() - started).toBeLessThan(1_500 + 2 * CLEANUP_MS + 500);
    });
});

describe("runWinrm with a self-signed listener certificate", () => {
    it("trusts the exported certificate itself given as the CA (what New-SelfSignedCertificate produces: a leaf, not a CA)", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nova-winrm-"));
        execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", path.join(dir, "k.pem"),
            "-out", path.join(dir, "c.pem"), "-days", "2", "-subj", "/CN=winrm-host", "-addext", "subjectAltName=IP:127.0.0.1",
            "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth"], { stdio: "pipe" });
        const leaf = fs.readFileSync(path.join(dir, "c.pem"));
        const selfSigned = await startFakeWinrm({ user: USER, password: PASSWORD, tls: { key: fs.readFileSync(path.join(dir, "k.pem")), cert: leaf } });
        try {
            selfSigned.answer = { stdout: "ok", stderr: "", exitCode: 0 };
            const result = await runWinrm(httpsTarget({ port: selfSigned.port, caPem: leaf.toString() }), STDIN, 10_000);
            expect(result.stdout).toBe("ok");
            const err = await failure(runWinrm(httpsTarget({ port: selfSigned.port, caPem: undefined }), STDIN, 5_000));
            expect(err.reason).toBe("tls");
        } finally {
            await selfSigned.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("runWinrm over plain HTTP", () => {
    it("is refused unless allowHttp: HTTPS to a plain listener fails as tls", async () => {
        const err = await failure(runWinrm(httpTarget({ allowHttp: false }), STDIN, 5_000));
        expect(err.reason).toBe("tls");
        expect(err.message).toContain("winrmAllowHttp");
        expect(httpFake.record.actions).toEqual([]);
    });

    it("runs the bootstrap with the stdin document when allowHttp is set", async () => {
        httpFake.answer = { stdout: "ok\r\n", stderr: "", exitCode: 0 };
        const result = await runWinrm(httpTarget(), STDIN, 10_000);
        expect(result).toEqual({ exitCode: 0, stdout: "ok\r\n", stderr: "" });
        expect(httpFake.record.commandLines).toEqual([bootstrapCommand()]);
        expect(httpFake.record.stdin.toString("utf8")).toBe(STDIN);
    });

    it("rejects a CA together with plain HTTP", async () => {
        await expect(runWinrm(httpTarget({ caPem: cert.ca.toString() }), STDIN, 5_000)).rejects.toThrow(/HTTPS only/);
        expect(httpFake.record.actions).toEqual([]);
    });
});

describe("runWinrm with nothing listening", () => {
    it("reports the host as unreachable", async () => {
        const port = await new Promise<number>((resolve) => {
            const s = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (s.address() as net.AddressInfo).port;
                s.close(() => resolve(p));
            });
        });
        const err = await failure(runWinrm(httpsTarget({ port }), STDIN, 5_000));
        expect(err.reason).toBe("unreachable");
        expect(err.message).toContain(`127.0.0.1:${port}`);
        expect(err.message).not.toContain(PASSWORD);
    });
});
