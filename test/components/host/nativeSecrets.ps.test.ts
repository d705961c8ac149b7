/**
 * A failing native program's stdout/stderr reach the step's error text only with every value of the
 * step's secrets document masked (Hide-NovaSecretText in Invoke-NovaNative, components/host/script.ts):
 * the value, each line of a multi-line one, its base64 and URL-encoded forms. Executed under pwsh with
 * a native that prints the secrets it was given in each of those forms (test/ps/model/natives/leaky_native.py).
 */
import { join } from "node:path";
import { expect, it } from "vitest";
import { renderHostStep } from "../../../components/host/steps";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost } from "../../support/fixtures/configs";
import { SCENARIO_SECRETS } from "../../ps/prepare";
import { describePwsh, stepProgram, withTrap } from "../../support/pwsh";
import { pwshQueue } from "../../support/pwshBatch";

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
/** The environment variables the steps' setup reads (Join-Path needs an existing drive here). */
const WINDOWS_ENV = ["ProgramData", "ProgramFiles", "SystemRoot", "SystemDrive"].map((n) => `$env:${n} = [System.IO.Path]::GetTempPath()`).join("\n");
const LEAKY = join(__dirname, "..", "..", "ps", "model", "natives", "leaky_native.py");
const FORMS = ["raw", "base64", "url", "last-line"] as const;
type Form = (typeof FORMS)[number];

/** What leaky_native.py prints of `value` in `form` (Python's urllib.parse.quote(safe="") is RFC 3986). */
function printed(value: string, form: Form): string {
    if (form === "base64") return Buffer.from(value, "utf8").toString("base64");
    if (form === "url") return [...Buffer.from(value, "utf8")].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
    if (form === "last-line") return value.split(/\r?\n/).pop()!;
    return value.replace(/\r\n/g, "\n");
}

/** The programs are made while the tests are collected and run in one pwsh before them (test/support/pwshBatch.ts). */
const runPwsh = pwshQueue();

/**
 * Queues `step`'s create prelude with `secrets` as its document (or none), then, for each form, a failing
 * native that prints every secret in that form; each failure's message goes to stderr after `--<form>:`.
 * Gives the run's result with the messages by form.
 */
function failNative(step: "cloudflared" | "service", secrets: Record<string, string>, opts: { document?: boolean; hide?: boolean; forms?: readonly Form[] } = {}) {
    const create = renderHostStep(step, prodConfig, sshHost, inputs).create;
    const keys = Object.keys(secrets);
    const json = JSON.stringify(secrets).replace(/'/g, "''");
    const pre = [
        WINDOWS_ENV,
        `$NovaLeak = ConvertFrom-Json -InputObject '${json}'`,
        opts.document === false ? "" : "$NovaSecrets = $NovaLeak",
        ...keys.map((k, i) => `$env:NOVA_LEAK_${i} = [string]$NovaLeak.PSObject.Properties['${k}'].Value`),
        `$env:NOVA_LEAK_VARIABLES = '${keys.map((_, i) => `NOVA_LEAK_${i}`).join(",")}'`,
    ].join("\n");
    const calls = (opts.forms ?? FORMS).map(
        (f) => `$env:NOVA_LEAK_FORM = '${f}'\ntry { Invoke-NovaNative '/usr/bin/python3' @('${LEAKY}', 'service', 'install')${opts.hide ? " -HideOutput" : ""} | Out-Null } catch { [Console]::Error.WriteLine('--${f}: ' + $_.Exception.Message) }`,
    );
    const run = runPwsh(withTrap(stepProgram(create, calls.join("\n"), [], pre)));
    return () => {
        const r = run();
        const messages: Partial<Record<Form, string>> = {};
        for (const part of r.stderr.split(/^--/m).slice(1)) {
            const m = /^([a-z0-9-]+): ([\s\S]*)$/.exec(part);
            if (m) messages[m[1] as Form] = m[2];
        }
        return { ...r, messages };
    };
}

describePwsh("a failing native program's output in the step's error", () => {
    const token = SCENARIO_SECRETS.tunnelToken;
    const tokenRun = failNative("cloudflared", { tunnelToken: token }, { forms: ["raw", "base64", "url"] });
    it("cloudflared step: the tunnel token is masked in every form the program prints, on both streams, the rest of its text kept", () => {
        const r = tokenRun();
        for (const form of ["raw", "base64", "url"] as const) {
            const message = r.messages[form];
            // The two streams arrive merged in either order.
            expect(message, form).toContain("failed with exit code 3: ");
            expect(message, form).toContain("stdout: given service install (hidden)");
            expect(message, form).toContain("stderr: failed with service install (hidden)");
            expect(message, form).not.toContain(printed(token, form));
        }
        expect(r.stdout).not.toContain(token);
    });

    const secrets = {
        "env:ANTHROPIC_API_KEY": "first-line-secret\r\nsecond line/with+more=é",
        "env:OPENAI_API_KEY": SCENARIO_SECRETS["env:OPENAI_API_KEY"],
    };
    const serviceRun = failNative("service", secrets);
    it("service step: every app secret, multi-line (CRLF) and with characters URL encoding escapes, is masked whole, by line, as base64 and URL-encoded", () => {
        const r = serviceRun();
        for (const form of FORMS) {
            const message = r.messages[form];
            expect(message, form).toBeDefined();
            expect(message, form).toContain("stdout: given service install (hidden) (hidden)");
            for (const value of Object.values(secrets)) expect(message, `${form} of ${value}`).not.toContain(printed(value, form));
        }
        // The per-line masking also covers the other lines when the whole value is printed.
        expect(r.stderr).not.toContain("first-line-secret");
        expect(r.stderr + r.stdout).not.toContain("second line/with+more");
    });

    const hiddenRun = failNative("cloudflared", { tunnelToken: SCENARIO_SECRETS.tunnelToken }, { hide: true, forms: ["raw"] });
    it("-HideOutput still hides the whole output", () => {
        const r = hiddenRun();
        expect(r.messages.raw?.trim()).toMatch(/failed with exit code 3: \(output hidden\)$/);
    });

    const unmasked = { "env:ANTHROPIC_API_KEY": "first-line-secret\r\nsecond line/with+more=é" };
    const unmaskedRun = failNative("service", unmasked, { document: false });
    it("without a secrets document nothing is masked: the native really prints each form", () => {
        const r = unmaskedRun();
        for (const form of FORMS) expect(r.messages[form], form).toContain(printed(unmasked["env:ANTHROPIC_API_KEY"], form));
    });

    it("delete scripts, which get no secrets, carry no masking; create scripts that run natives do", () => {
        const scripts = renderHostStep("cloudflared", prodConfig, sshHost, inputs);
        expect(scripts.delete).toContain("function Invoke-NovaNative");
        expect(scripts.delete).not.toContain("Hide-NovaSecretText");
        expect(scripts.create).toContain("$text = Hide-NovaSecretText $text");
    });
});
