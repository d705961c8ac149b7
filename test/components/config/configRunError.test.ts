/**
 * A configuration error as `pulumi preview` shows it: the program run by the Node language host's
 * runner (@pulumi/pulumi/cmd/run, what the CLI starts), against a resource monitor on 127.0.0.1,
 * with the config passed the way the language host passes it (PULUMI_CONFIG and its secret keys).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT, ROOT } from "../../support/harness";
import { siteStack } from "../../support/fixtures/siteValues";
import { FakeMonitor, startFakeMonitor } from "../../support/fakeMonitor";

let monitor: FakeMonitor;
beforeAll(async () => {
    monitor = await startFakeMonitor(PROJECT, "prod");
});
afterAll(async () => {
    await monitor?.stop();
});

/** Runs index.ts as the CLI's language host does, with `config` (full keys) and these secret keys. */
function runLikeTheCli(config: Record<string, string>, secretKeys: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const args = [join(ROOT, "node_modules/@pulumi/pulumi/cmd/run"), `--monitor=${monitor.address}`, `--project=${PROJECT}`, "--stack=prod", "--dry-run", `--pwd=${ROOT}`, "."];
    const env = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretKeys),
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    };
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill(), 200_000);
        child.on("error", reject);
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}

describe("a configuration error under the language host's runner", () => {
    it("prints our problem list once, without a stack trace, and registers only the stack", async () => {
        const stack = siteStack("prod", { "nova:appPrt": "8001", "nova:appPort": "0" }, { "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o"}' });
        const { code, stdout, stderr } = await runLikeTheCli(stack.values, stack.secretKeys);
        const out = stdout + stderr;
        expect(code).not.toBe(0);
        expect(out).toContain("invalid configuration (3 problems):");
        expect(out).toContain("nova:appPrt: unknown key; did you mean nova:appPort?");
        expect(out).toContain('nova:appPort: expected an integer 1-65535, got "0"');
        expect(out).toContain("nova:sshPrivateKey: required secret is not set");
        expect(out.split("invalid configuration").length - 1).toBe(1);
        expect(out).not.toMatch(/unhandled exception|^\s+at /m);
        expect(monitor.registered).toEqual(["pulumi:pulumi:Stack"]);
    }, 240_000);

    it("reads which values are secrets from the language host (a plaintext secret is refused)", async () => {
        const stack = siteStack("prod", { "nova:sshPrivateKey": "k" }, { "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o"}' });
        const { code, stdout, stderr } = await runLikeTheCli(stack.values, stack.secretKeys);
        expect(code).not.toBe(0);
        expect(stdout + stderr).toContain("nova:sshPrivateKey: set in plain text (value not shown)");
    }, 240_000);
});
