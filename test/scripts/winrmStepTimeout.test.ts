/**
 * A step that hangs over WinRM ends at nova:stepTimeoutSeconds with an error naming the host, the step
 * and the bound: the WinRM runner (scripts/winrmRun.ts) with the environment the program gives a step's
 * local.Command (winrmEnvironment: NOVA_WINRM_TIMEOUT_MS, NOVA_WINRM_STEP, NOVA_WINRM_HOST_NAME) against
 * the WinRM test server (test/support/fake-winrm.ts) whose command never finishes. A bound of 2 s keeps
 * it fast. (The host's own watchdog, the same bound inside the stdin script, is shown over ssh on the
 * host model: test/stepTimeout.ssh.test.ts.)
 */
import { spawn } from "child_process";
import * as fs from "fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildStdin } from "../../components/host/bootstrap";
import { stepTimeoutMessage } from "../../components/host/stepBound";
import { winrmEnvironment, winrmRunnerCommand } from "../../components/host/winrmRunner";
import { main } from "../../scripts/winrmRun";
import { winrmHost } from "../support/fixtures/configs";
import { startFakeWinrm, type FakeWinrm } from "../support/fake-winrm";
import { makeTestCert, type TestCert } from "../support/test-cert";
import { ROOT } from "../support/harness";

const PASSWORD = "Pa55-step-bound";
const DOC = buildStdin("param($NovaSecrets)\nStart-Sleep -Seconds 3600\n");
const MESSAGE = stepTimeoutMessage({ host: "rondot-winrm", step: "service", seconds: 2 });

let cert: TestCert;
let fake: FakeWinrm;
beforeAll(async () => {
    cert = makeTestCert("winrm.test", "IP:127.0.0.1");
    fake = await startFakeWinrm({ user: winrmHost.user, password: PASSWORD, tls: { key: cert.key, cert: cert.cert }, auth: "negotiate" });
});
afterAll(async () => {
    await fake?.close();
    if (cert !== undefined) fs.rmSync(cert.dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

/** The step's environment as the program registers it (2 s bound), pointed at the test server. */
function stepEnv(): Record<string, string> {
    const env = winrmEnvironment({ ...winrmHost, address: "127.0.0.1", port: fake.port }, ROOT, 2, "service");
    return { ...env, NOVA_WINRM_CA_FILE: cert.caFile, NOVA_WINRM_PASSWORD: PASSWORD };
}

describe("a hanging step over WinRM", () => {
    it("the environment names the step and the host next to the bound", () => {
        expect(stepEnv()).toMatchObject({ NOVA_WINRM_TIMEOUT_MS: "2000", NOVA_WINRM_STEP: "service", NOVA_WINRM_HOST_NAME: "rondot-winrm" });
    });

    it.each(["never-done", "hang"] as const)("%s: ends at the bound with exit 1 and one line naming host, step and bound", async (mode) => {
        fake.behaviour = { mode, timedOutFirst: false };
        let err = "";
        const started = Date.now();
        const code = await main([], stepEnv(), { readStdin: async () => DOC, stdout: () => undefined, stderr: (t) => { err += t; } });
        const elapsed = (Date.now() - started) / 1000;
        expect(code).toBe(1);
        expect(err).toMatch(new RegExp(`^winrmRun: ${MESSAGE.replace(/[()]/g, "\\$&")} \\(the command did not finish on .+ in time\\)\\n$`));
        expect(elapsed).toBeGreaterThanOrEqual(1.9);
        expect(elapsed).toBeLessThan(15);
    }, 30_000);

    it("as the process local.Command starts (the runner's command line and the step's environment)", async () => {
        fake.behaviour = { mode: "never-done", timedOutFirst: false };
        const [node, ...args] = winrmRunnerCommand(ROOT).split(" ").map((a) => a.replace(/^"|"$/g, ""));
        const child = spawn(node === "node" ? process.execPath : node, args, { cwd: ROOT, env: { PATH: process.env.PATH, ...stepEnv() }, stdio: ["pipe", "pipe", "pipe"] });
        let err = "";
        child.stderr.on("data", (c: Buffer) => { err += c.toString("utf8"); });
        child.stdin.end(DOC);
        const code = await new Promise<number | null>((resolve) => {
            const timer = setTimeout(() => child.kill(), 40_000);
            child.on("close", (c) => { clearTimeout(timer); resolve(c); });
        });
        expect(code).toBe(1);
        expect(err).toContain(`winrmRun: ${MESSAGE}`);
    }, 45_000);

    it("without a step (a runner started by hand) the timeout says what it said before", async () => {
        fake.behaviour = { mode: "never-done", timedOutFirst: false };
        let err = "";
        const { NOVA_WINRM_STEP: _s, NOVA_WINRM_HOST_NAME: _h, ...env } = stepEnv();
        const code = await main([], env, { readStdin: async () => DOC, stdout: () => undefined, stderr: (t) => { err += t; } });
        expect(code).toBe(1);
        expect(err).toMatch(/^winrmRun: the command did not finish on .+ in time \[timeout\]\n$/);
    }, 30_000);
});
