/**
 * The bootstrap end to end: the exact create command line and stdin of a step as the program registers
 * it (the offline plan of prod, with the PowerShell suites' fixture pins and app port), sent over SSH to
 * the loopback OpenSSH server (test/support/sshd.ts) whose `powershell.exe` is a wrapper running pwsh
 * with the Windows host model (test/ps/model/powershell-host.ps1). The result must be the one of running
 * the same script directly in the model: exit code and JSON line; no secret in any argv (the wrapper
 * records its own, the model's native programs theirs) nor in the output.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapCommand, hostStdin } from "../../../components/host/bootstrap";
import { withStepBound } from "../../../components/host/stepBound";
import { planOffline } from "../../../scripts/shared/planning/plan";
import { readStackFile } from "../../../components/config/stackFile";
import { withValues } from "../../../scripts/shared/planning/stackVariants";
import { runSsh } from "../../../scripts/shared/remote/ssh";
import { program } from "../../support/harness";
import { preparePsSuite, type SuiteManifest } from "../../ps/prepare";
import { SSHD, type SshdFixture, startSshd } from "../../support/sshd";

const ROOT = resolve(__dirname, "../../..");
const PWSH = join(ROOT, ".tools/pwsh/pwsh");
const MODEL = join(__dirname, "../../ps/model");
const ready = existsSync(PWSH) && existsSync(SSHD);
const required = process.env.NOVA_REQUIRE_PWSH === "1";

interface Direct {
    exitCode: number;
    stdout: string;
    error: string | null;
}

/** The value of a recorded input (a secret input is recorded wrapped). */
function plain(value: unknown): string {
    if (typeof value === "string") return value;
    const v = value as { value?: unknown };
    if (v && typeof v.value === "string") return v.value;
    throw new Error(`unexpected input ${JSON.stringify(value)?.slice(0, 80)}`);
}

const suite = ready ? describe : describe.skip;
if (!ready) {
    const why = `bootstrap end to end: ${existsSync(PWSH) ? "" : "pwsh not installed (npm run setup:pwsh) "}${existsSync(SSHD) ? "" : "no OpenSSH server (apt-get install openssh-server)"}`;
    if (required) it("bootstrap end to end can run (NOVA_REQUIRE_PWSH=1)", () => { throw new Error(why); });
    else process.stdout.write(`${why}; skipped.\n`);
}

suite("bootstrap end to end over ssh, on the host model", () => {
    let dir = "";
    let manifest: SuiteManifest;
    let sshd: SshdFixture;
    const roots = { direct: "", ssh: "" };
    const secrets = { ANTHROPIC_API_KEY: "sk-ant-e2e-0000-not-real", OPENAI_API_KEY: "sk-e2e-1111-not-real" };
    const secretValues = Object.values(secrets);
    let plan: Awaited<ReturnType<typeof planOffline>>;

    function tool(args: string[]): string {
        const r = spawnSync(PWSH, ["-NoProfile", "-NonInteractive", "-File", join(MODEL, "host-tool.ps1"), ...args], {
            env: { ...process.env, NOVA_PS_SUITE: dir },
            encoding: "utf8",
            timeout: 120_000,
        });
        if (r.status !== 0) throw new Error(`host-tool ${args.join(" ")}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
        return r.stdout;
    }

    function appProcesses(root: string): number[] {
        const file = join(root, "state.json");
        return existsSync(file) ? ((JSON.parse(readFileSync(file, "utf8")) as { app: { processes: number[] } }).app.processes ?? []) : [];
    }

    beforeAll(async () => {
        dir = mkdtempSync(join(tmpdir(), "nova-ps-e2e-"));
        manifest = await preparePsSuite(dir);
        roots.direct = join(dir, "host-direct");
        roots.ssh = join(dir, "host-ssh");
        mkdirSync(join(dir, "argv"));
        const wrapper = join(dir, "powershell-wrapper.sh");
        // Records its argv (one file per call), then runs pwsh with the model on the ssh host's sandbox.
        writeFileSync(
            wrapper,
            `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(dir, "argv")}'/$$\nNOVA_PS_SUITE='${dir}' exec '${PWSH}' -NoProfile -NonInteractive -File '${join(MODEL, "powershell-host.ps1")}' -Root '${roots.ssh}' "$@"\n`,
        );
        chmodSync(wrapper, 0o755);
        sshd = await startSshd({ powershell: wrapper });
        const v = manifest.variants.prod;
        const stack = withValues(
            readStackFile("prod", ROOT),
            { "nova:appPort": String(v.appPort), "nova:healthTimeoutSeconds": "5", "nova:nssmSha256": manifest.sha256.nssmZip, "nova:cloudflaredSha256": manifest.sha256.cloudflaredExe },
            { "nova:appSecretEnv": JSON.stringify(secrets) },
        );
        plan = await planOffline(stack, program);
        for (const root of [roots.direct, roots.ssh]) tool(["-Do", "prepare", "-Root", root, "-Variant", "prod", "-Steps", "preflight,tools"]);
    }, 170_000);

    afterAll(async () => {
        await sshd?.stop();
        for (const root of [roots.direct, roots.ssh]) for (const pid of appProcesses(root)) { try { process.kill(pid); } catch { /* gone */ } }
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const step of ["dotenv", "service"] as const) {
        it(`${step}: the registered create command and stdin over ssh give the direct run's exit code and JSON line`, async () => {
            const resource = plan.run.resources.find((r) => r.name === `rondot-${step}`);
            expect(resource?.type).toBe("command:remote:Command");
            const command = plain(resource!.inputs.create);
            const stdin = plain(resource!.inputs.stdin);
            expect(command).toBe(bootstrapCommand());
            // the plan document shows the secret step's stdin only as [secret]
            const shown = (plan.document.resources.find((r) => r.name === `rondot-${step}`) as { inputs: Record<string, unknown> }).inputs.stdin;
            expect(shown === "[secret]").toBe(step === "service");
            // the same script the suites run directly, with the step's bound line (stepBound.ts) after its param line
            const files = manifest.variants.prod.steps.find((s) => s.step === step)!;
            const script = files.create;
            const doc = step === "service" ? { "env:ANTHROPIC_API_KEY": secrets.ANTHROPIC_API_KEY, "env:OPENAI_API_KEY": secrets.OPENAI_API_KEY } : undefined;
            const bound = { host: "rondot", step, seconds: plan.config.stepTimeoutSeconds };
            // ... and the step's delete script, which a destroy runs from the stored stdin (bootstrap.ts)
            const deleteScript = files.delete === undefined ? undefined : readFileSync(files.delete, "utf8");
            expect(stdin).toBe(hostStdin(withStepBound(readFileSync(script, "utf8"), bound), doc, deleteScript));

            const secretsFile = join(dir, `${step}.secrets.json`);
            writeFileSync(secretsFile, JSON.stringify(doc ?? {}));
            const direct = JSON.parse(tool(["-Do", "run", "-Root", roots.direct, "-Script", script, "-SecretsFile", secretsFile])) as Direct;
            rmSync(secretsFile);
            // both model hosts are on this machine: the direct host's app frees the port for the other's
            for (const pid of appProcesses(roots.direct)) { try { process.kill(pid); } catch { /* gone */ } }

            sshd.clear();
            const before = new Set(readdirSync(join(dir, "argv")));
            const viaSsh = await runSsh({ transport: "ssh", host: "127.0.0.1", port: sshd.port, user: sshd.user, hostKey: sshd.hostKeyLine, privateKey: sshd.clientKey }, stdin, 120_000);
            expect(sshd.commands()).toEqual([command]);
            expect(direct.error).toBeNull();
            expect(viaSsh.stderr).toBe("");
            expect(viaSsh.exitCode).toBe(direct.exitCode);
            expect(viaSsh.stdout.trim()).toBe(direct.stdout.trim());
            const line = JSON.parse(viaSsh.stdout.trim()) as { step: string; changed: string[] };
            expect(line.step).toBe(step);
            expect(line.changed.length).toBeGreaterThan(0);

            const argvFiles = readdirSync(join(dir, "argv")).filter((f) => !before.has(f));
            expect(argvFiles).toHaveLength(1);
            const argv = readFileSync(join(dir, "argv", argvFiles[0]), "utf8").trim().split("\n");
            expect(argv.slice(0, 5)).toEqual(["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand"]);
            const calls = (JSON.parse(readFileSync(join(roots.ssh, "state.json"), "utf8")) as { calls: { program: string; argv: string[] }[] }).calls;
            if (step === "service") expect(calls.filter((c) => c.program === "nssm.exe").length).toBeGreaterThan(0);
            for (const secret of secretValues) {
                expect(argv.join(" ")).not.toContain(secret);
                expect(calls.map((c) => c.argv.join(" ")).join("\n")).not.toContain(secret);
                expect(viaSsh.stdout + viaSsh.stderr).not.toContain(secret);
            }
        }, 170_000);
    }
});
