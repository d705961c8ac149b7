/**
 * A host model reached over the loopback OpenSSH server: the PowerShell suite's artefacts and scripts
 * (test/ps/prepare.ts), one model host converged by a variant's steps, and sshd whose `powershell.exe`
 * is pwsh running the model on that host (test/ps/model/powershell-host.ps1), as test/components/host/psBootstrap.test.ts
 * builds it. For the end-to-end tests of the commands that ask hosts (status, logs).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { preparePsSuite, type SuiteManifest } from "../ps/prepare";
import { SSHD, type SshdFixture, startSshd } from "./sshd";

const ROOT = resolve(__dirname, "../..");
export const PWSH = join(ROOT, ".tools/pwsh/pwsh");
const MODEL = join(__dirname, "../ps/model");

/** Why the model host cannot run here, or undefined when it can. */
export function modelHostUnavailable(): string | undefined {
    if (!existsSync(PWSH)) return "pwsh not installed (npm run setup:pwsh)";
    if (!existsSync(SSHD)) return "no OpenSSH server (apt-get install openssh-server)";
    return undefined;
}

export interface ModelHost {
    readonly dir: string;
    /** The sandbox of the host: `C:\x` is `<root>/C/x`. */
    readonly root: string;
    readonly manifest: SuiteManifest;
    readonly sshd: SshdFixture;
    /** Runs a PowerShell snippet on the host, as an administrator would. */
    onHost(name: string, text: string): void;
    stop(): Promise<void>;
}

/** A fresh host of `variant` (prod, staging) after the create scripts of `steps`, reachable over sshd. */
export async function startModelHost(variant: string, steps: readonly string[]): Promise<ModelHost> {
    const dir = mkdtempSync(join(tmpdir(), "nova-model-host-"));
    const root = join(dir, "host");
    const tool = (args: string[]): void => {
        const r = spawnSync(PWSH, ["-NoProfile", "-NonInteractive", "-File", join(MODEL, "host-tool.ps1"), ...args], { env: { ...process.env, NOVA_PS_SUITE: dir }, encoding: "utf8", timeout: 170_000 });
        if (r.status !== 0) throw new Error(`host-tool ${args.join(" ")}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    };
    const manifest = await preparePsSuite(dir);
    const wrapper = join(dir, "powershell-wrapper.sh");
    writeFileSync(wrapper, `#!/bin/sh\nNOVA_PS_SUITE='${dir}' exec '${PWSH}' -NoProfile -NonInteractive -File '${join(MODEL, "powershell-host.ps1")}' -Root '${root}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const sshd = await startSshd({ powershell: wrapper });
    tool(["-Do", "prepare", "-Root", root, "-Variant", variant, "-Steps", steps.join(",")]);
    return {
        dir,
        root,
        manifest,
        sshd,
        onHost(name, text) {
            const file = join(dir, `${name}.ps1`);
            writeFileSync(file, `param($NovaSecrets)\n$ErrorActionPreference = 'Stop'\n${text}\n[Console]::Out.WriteLine('{"step":"${name}","changed":[]}')\n`);
            tool(["-Do", "run", "-Root", root, "-Script", file]);
        },
        async stop() {
            await sshd.stop();
            const state = join(root, "state.json");
            const pids = existsSync(state) ? ((JSON.parse(readFileSync(state, "utf8")) as { app: { processes?: number[] } }).app.processes ?? []) : [];
            for (const pid of pids) {
                try {
                    process.kill(pid);
                } catch {
                    /* gone */
                }
            }
            rmSync(dir, { recursive: true, force: true });
        },
    };
}
