/**
 * A step that hangs ends at its bound (nova:stepTimeoutSeconds, components/host/stepBound.ts) with an
 * error naming the host, the step and the bound, over SSH: the loopback OpenSSH server whose
 * `powershell.exe` is pwsh with the Windows host model (test/support/modelHost.ts, as
 * test/psBootstrap.test.ts), the fixed bootstrap command, and the service step's create as the program
 * sends it (bound line, secrets document) while the model's nssm.exe hangs. A bound of 3 s keeps it fast.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostStdin } from "../../../components/host/bootstrap";
import { stepTimeoutMessage, withStepBound } from "../../../components/host/stepBound";
import { runSsh } from "../../../scripts/shared/remote/ssh";
import { type ModelHost, modelHostUnavailable, startModelHost } from "../../support/modelHost";

const unavailable = modelHostUnavailable();
const suite = unavailable === undefined ? describe : describe.skip;
if (unavailable !== undefined) {
    const why = `step bound over ssh: ${unavailable}`;
    if (process.env.NOVA_REQUIRE_PWSH === "1") it("step bound over ssh can run (NOVA_REQUIRE_PWSH=1)", () => { throw new Error(why); });
    else process.stdout.write(`${why}; skipped.\n`);
}

suite("a hanging step over ssh, on the host model", () => {
    let host: ModelHost;
    beforeAll(async () => {
        host = await startModelHost("prod", ["preflight", "tools", "dotenv"]);
    }, 240_000);
    afterAll(async () => {
        await host?.stop();
    });

    function setHang(program: string, seconds: number): void {
        const file = join(host.root, "state.json");
        const state = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        writeFileSync(file, JSON.stringify({ ...state, hangs: { [program]: seconds } }));
    }

    function serviceStdin(seconds: number): string {
        const step = host.manifest.variants.prod.steps.find((s) => s.step === "service")!;
        const secrets = Object.fromEntries(step.secretKeys.map((k) => [k, host.manifest.secrets[k]]));
        return hostStdin(withStepBound(readFileSync(step.create, "utf8"), { host: "rondot", step: "service", seconds }), secrets);
    }

    const target = () => ({ transport: "ssh" as const, host: "127.0.0.1", port: host.sshd.port, user: host.sshd.user, hostKey: host.sshd.hostKeyLine, privateKey: host.sshd.clientKey });

    it("ends at the bound with one line naming host, step and bound, exit 1, while nssm.exe hangs", async () => {
        setHang("nssm.exe", 60);
        const started = Date.now();
        const r = await runSsh(target(), serviceStdin(3), 90_000);
        const elapsed = (Date.now() - started) / 1000;
        // The bound's line comes first; the step's own failure of the native it ended may follow it.
        const lines = r.stderr.trim().split("\n");
        expect({ exitCode: r.exitCode, first: lines[0] }).toEqual({
            exitCode: 1,
            first: stepTimeoutMessage({ host: "rondot", step: "service", seconds: 3 }),
        });
        expect(lines[0]).toBe("step service on host rondot did not finish within nova:stepTimeoutSeconds (3 s)");
        expect(lines.length, r.stderr).toBeLessThanOrEqual(2);
        // Not before the bound, and long before the hang (60 s) would have ended (pwsh starts in a few seconds here).
        expect(elapsed).toBeGreaterThanOrEqual(3);
        expect(elapsed).toBeLessThan(40);
        // It did hang in nssm: the model recorded the call it never returned from.
        const state = JSON.parse(readFileSync(join(host.root, "state.json"), "utf8")) as { calls: { program: string }[] };
        expect(state.calls.map((c) => c.program)).toContain("nssm.exe");
        for (const value of Object.values(host.manifest.secrets)) expect(r.stdout + r.stderr).not.toContain(value);
    }, 120_000);

    it("a step that finishes within its bound is not cut: the same step with nothing hanging and a bound of 60 s succeeds", async () => {
        setHang("nssm.exe", 0);
        const r = await runSsh(target(), serviceStdin(60), 110_000);
        expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: "" });
        expect(r.stdout).toContain('"step":"service"');
    }, 120_000);
});
