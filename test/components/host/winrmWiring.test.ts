/**
 * End to end over the WinRM path: the exact command lines and environment the staging plan gives its
 * local.Command steps are run by a shell, as pulumi-command would, against a fake WinRM server on
 * 127.0.0.1. Proves that the component, the runner command and the runner agree.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapCommand, unpackStdin } from "../../../components/host/bootstrap";
import { revealWire } from "../../../scripts/shared/planning/redact";
import { one, plan } from "../../support/harness";
import { startFakeWinrm, type FakeWinrm } from "../../support/fake-winrm";

const USER = "Administrator";
const PASSWORD = "winrm-Pa55-FAKE";
const LOCAL = "command:local:Command";
let fake: FakeWinrm;

beforeAll(async () => {
    fake = await startFakeWinrm({ user: USER, password: PASSWORD, auth: "negotiate" });
});
afterAll(async () => {
    await fake?.close();
});

const reveal = (v: unknown): string => revealWire<string>(v);

/** Runs a command line through a shell with stdin and environment, as local.Command does (asynchronously: the fake server lives in this process). */
function runLikePulumiCommand(commandLine: string, env: Record<string, string>, stdin: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    // Point the step at the fake server on loopback, over plain HTTP (the opt-in), keeping every other setting.
    const local = { ...env, NOVA_WINRM_HOST: "127.0.0.1", NOVA_WINRM_PORT: String(fake.port), NOVA_WINRM_ALLOW_HTTP: "true", NOVA_WINRM_PASSWORD: PASSWORD };
    return new Promise((resolve, reject) => {
        const child = spawn("/bin/sh", ["-c", commandLine], { env: { ...process.env, ...local }, timeout: 60_000 });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
        child.stdin.end(stdin);
    });
}

describe("WinRM steps as pulumi-command runs them", () => {
    it("create sends the fixed bootstrap and the step's stdin; delete sends its own script and none of the create's secrets", async () => {
        const p = await plan("staging", {}, { "nova:winrmPassword": PASSWORD, "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: "anthropic-FAKE", OPENAI_API_KEY: "openai-FAKE" }) });
        const service = one(p, LOCAL, "staging-service");
        const env = Object.fromEntries(Object.entries(service.inputs.environment as Record<string, unknown>).map(([k, v]) => [k, reveal(v)]));
        const stdin = reveal(service.inputs.stdin);
        expect(unpackStdin(stdin)).toContain("anthropic-FAKE");

        fake.reset();
        fake.answer = { stdout: '{"step":"service","changed":[]}\r\n', stderr: "", exitCode: 0 };
        const created = await runLikePulumiCommand(service.inputs.create as string, env, stdin);
        expect(created.stderr).toBe("");
        expect(created).toMatchObject({ status: 0, stdout: '{"step":"service","changed":[]}\r\n' });
        expect(fake.record.commandLines).toEqual([bootstrapCommand()]);
        expect(fake.record.stdin.toString("utf8")).toBe(stdin);

        fake.reset();
        const deleted = await runLikePulumiCommand(service.inputs.delete as string, env, stdin);
        expect(deleted.status).toBe(0);
        expect(fake.record.commandLines).toEqual([bootstrapCommand()]);
        const sent = unpackStdin(fake.record.stdin.toString("utf8"));
        expect(sent).toContain("nssm");
        expect(sent).not.toContain("anthropic-FAKE");
        expect(sent).not.toContain("openai-FAKE");
    }, 120_000);

    it("a failing step fails the command with the remote exit code", async () => {
        const p = await plan("staging", {}, { "nova:winrmPassword": PASSWORD });
        const preflight = one(p, LOCAL, "staging-preflight");
        const env = Object.fromEntries(Object.entries(preflight.inputs.environment as Record<string, unknown>).map(([k, v]) => [k, reveal(v)]));
        fake.reset();
        fake.answer = { stdout: "", stderr: "preflight failed: python-exe missing\r\n", exitCode: 1 };
        const r = await runLikePulumiCommand(preflight.inputs.create as string, env, reveal(preflight.inputs.stdin));
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("preflight failed: python-exe missing");
    }, 120_000);
});
