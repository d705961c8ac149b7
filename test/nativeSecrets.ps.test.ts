/**
 * A failing native program's stdout/stderr reach the step's error text only with every value of the
 * step's secrets document masked (Invoke-NovaNative, components/host/script.ts), executed under pwsh
 * with a native that prints the secrets it was given (test/ps/model/natives/leaky_native.py).
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { renderHostStep } from "../components/host/steps";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost } from "./fixtures/configs";
import { SCENARIO_SECRETS } from "./ps/prepare";
import { describePwsh, runPwsh, stepProgram, withTrap } from "./support/pwsh";

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
/** The environment variables the steps' setup reads (Join-Path needs an existing drive here). */
const WINDOWS_ENV = ["ProgramData", "ProgramFiles", "SystemRoot", "SystemDrive"].map((n) => `$env:${n} = [System.IO.Path]::GetTempPath()`).join("\n");
const LEAKY = join(__dirname, "ps", "model", "natives", "leaky_native.py");

/** Runs `step`'s create prelude with `secrets` as its document, then a failing native printing them. */
function failNative(step: "cloudflared" | "service", secrets: Record<string, string>, hide = false) {
    const create = renderHostStep(step, prodConfig, sshHost, inputs).create;
    const names = Object.keys(secrets).map((_, i) => `NOVA_LEAK_${i}`);
    const env = Object.values(secrets).map((v, i) => `$env:${names[i]} = '${v}'`);
    const pre = [WINDOWS_ENV, `$NovaSecrets = ConvertFrom-Json -InputObject '${JSON.stringify(secrets)}'`, `$env:NOVA_LEAK_VARIABLES = '${names.join(",")}'`, ...env].join("\n");
    const call = `Invoke-NovaNative '/usr/bin/python3' @('${LEAKY}', 'service', 'install')${hide ? " -HideOutput" : ""} | Out-Null`;
    return runPwsh(withTrap(stepProgram(create, call, [], pre)));
}

describePwsh("a failing native program's output in the step's error", () => {
    it("cloudflared step: the tunnel token the program prints is masked on both streams, the rest of its text kept", () => {
        const token = SCENARIO_SECRETS.tunnelToken;
        const r = failNative("cloudflared", { tunnelToken: token });
        expect(r.status).toBe(1);
        expect(r.stderr).not.toContain(token);
        expect(r.stderr).toContain("failed with exit code 3");
        expect(r.stderr).toContain("stdout: given service install (hidden)");
        expect(r.stderr).toContain("stderr: failed with service install (hidden)");
        expect(r.stdout).not.toContain(token);
    });

    it("service step: every app secret of the document is masked", () => {
        const secrets = { "env:ANTHROPIC_API_KEY": SCENARIO_SECRETS["env:ANTHROPIC_API_KEY"], "env:OPENAI_API_KEY": SCENARIO_SECRETS["env:OPENAI_API_KEY"] };
        const r = failNative("service", secrets);
        expect(r.status).toBe(1);
        for (const value of Object.values(secrets)) expect(r.stderr + r.stdout).not.toContain(value);
        expect(r.stderr).toContain("given service install (hidden) (hidden)");
    });

    it("-HideOutput still hides the whole output", () => {
        const r = failNative("cloudflared", { tunnelToken: SCENARIO_SECRETS.tunnelToken }, true);
        expect(r.stderr.trim()).toMatch(/failed with exit code 3: \(output hidden\)$/);
    });

    it("without a secrets document nothing is masked: the native really prints the token", () => {
        const token = SCENARIO_SECRETS.tunnelToken;
        const create = renderHostStep("cloudflared", prodConfig, sshHost, inputs).create;
        const pre = `${WINDOWS_ENV}\n$env:NOVA_LEAK_0 = '${token}'\n$env:NOVA_LEAK_VARIABLES = 'NOVA_LEAK_0'`;
        const r = runPwsh(withTrap(stepProgram(create, `Invoke-NovaNative '/usr/bin/python3' @('${LEAKY}', 'service') | Out-Null`, [], pre)));
        expect(r.stderr).toContain(token);
    });
});
