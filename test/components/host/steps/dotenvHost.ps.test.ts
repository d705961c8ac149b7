/**
 * The dotenv step's reading and writing of `.env`, executed under pwsh on real files, and the round
 * trip through python-dotenv itself (Debian's python3-dotenv, `/usr/bin/python3`). The files and programs
 * are made while the tests are collected; the programs run in one pwsh before the tests
 * (test/support/pwshBatch.ts), which read their results and the files after them.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { renderHostStep } from "../../../../components/host/steps";
import type { NovaConfig } from "../../../../components/types";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost } from "../../../support/fixtures/configs";
import { describePwsh, stepJson, stepProgram, withTrap } from "../../../support/pwsh";
import { pwshQueue } from "../../../support/pwshBatch";
import { runRaw, stackWith } from "../../../support/harness";
import { NovaConfigError } from "../../../../components/config/parse";

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
const create = (cfg: NovaConfig = prodConfig) => renderHostStep("dotenv", cfg, sshHost, inputs).create;
const dir = mkdtempSync(join(tmpdir(), "nova-dotenv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runPwsh = pwshQueue();

/** Queues the dotenv setup's functions on `file` (a real file), printing what `expr` gives. */
function evalOn(expr: string, cfg: NovaConfig = prodConfig) {
    return runPwsh(stepProgram(create(cfg), `Write-Output ('OUT ' + (ConvertTo-Json -Compress -InputObject @(${expr})))\nexit 0`));
}
const out = (stdout: string): unknown[] => JSON.parse(stdout.split("\n").find((l) => l.startsWith("OUT "))!.slice(4));

describePwsh("10. .env encodings", () => {
    const text = "LOG_LEVEL=info\r\nCOMPANY_NAME=\"Société Rondot\"\r\n";
    const files: Record<string, Buffer> = {
        "utf-8": Buffer.from(text, "utf8"),
        "utf-8-bom": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]),
        "utf-16le": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
        "utf-16be": Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]),
    };
    const reads = Object.fromEntries(
        Object.keys(files).map((encoding) => {
            const file = join(dir, `${encoding}.env`);
            writeFileSync(file, files[encoding]);
            return [encoding, evalOn(`Read-NovaEnvFile '${file}'`)];
        }),
    );
    it.each(Object.keys(files))("reads a %s file as its text, naming the encoding", (encoding) => {
        const r = reads[encoding]();
        expect(r.stderr).toBe("");
        expect(out(r.stdout)).toEqual([encoding, text]);
    });

    const file = join(dir, "ansi.env");
    const ansi = Buffer.from([0x43, 0x3d, 0x53, 0x6f, 0x63, 0x69, 0xe9, 0x74, 0xe9, 0x0a]); // "C=Société" in cp1252
    writeFileSync(file, ansi);
    const read = evalOn(`Read-NovaEnvFile '${file}'`);
    const refused = runPwsh(withTrap(stepProgram(create(), `$NovaEnvExists = $true\n$NovaEnvEncoding, $NovaEnvOriginal = Read-NovaEnvFile '${file}'\n$NovaEnvUpdated = Get-NovaEnvUpdated`, ["content"])));
    it("names a file that is not UTF-8 (Windows-1252) instead of decoding it with replacement characters, and refuses to rewrite it", () => {
        const r = read();
        expect(out(r.stdout)).toEqual(["not UTF-8 (an ANSI code page such as Windows-1252?)", ""]);
        const refuse = refused();
        expect(refuse.stderr.trim()).toBe(
            "C:\\Users\\PPZ\\NOVA-SERVER\\.env is not UTF-8 (an ANSI code page such as Windows-1252?): save it as UTF-8 (or UTF-16 with a byte order mark) and run again",
        );
        expect(readFileSync(file).equals(ansi)).toBe(true);
    });
});

describePwsh("secret keys in .env and its backups (the guide's copies)", () => {
    const backup = join(dir, ".env.bak-0123456789ab");
    const dropped = (() => {
        writeFileSync(backup, "# guide\r\nANTHROPIC_API_KEY=sk-ant-guide\r\nLOG_LEVEL=debug\r\nexport OPENAI_API_KEY = sk-proj-guide\r\n");
        const standIns = String.raw`$NovaEnvOriginal = "APP_PORT=8000` + "`r`n" + String.raw`ANTHROPIC_API_KEY=sk-ant-guide` + "`r`n" + String.raw`# kept` + "`r`n" + String.raw`"
$NovaEnvUpdated = Get-NovaEnvUpdated
Write-Output ('UPDATED ' + (ConvertTo-Json -Compress -InputObject $NovaEnvUpdated))
function Get-NovaEnvBackups { return @([pscustomobject]@{ FullName = '${backup}' }) }
function Test-Path { return $false }`;
        return runPwsh(stepProgram(create(), standIns, ["guide:dotenv-secrets"]));
    })();
    it("are dropped from the new .env and from every backup, other lines kept byte for byte", () => {
        const r = dropped();
        expect(r.stderr).toBe("");
        const updated = JSON.parse(r.stdout.split("\n").find((l) => l.startsWith("UPDATED "))!.slice(8)) as string;
        expect(updated).not.toContain("ANTHROPIC_API_KEY");
        expect(updated.startsWith("APP_PORT=8000\r\n# kept\r\n")).toBe(true);
        expect(stepJson(r.stdout).changed).toEqual(["guide:dotenv-secrets"]);
        expect(readFileSync(backup, "utf8")).toBe("# guide\r\nLOG_LEVEL=debug\r\n");
    });
});

describePwsh("values python-dotenv reads back unchanged", () => {
    const hostile = {
        COMPANY_NAME: "Rondot & Fils l'atelier",
        GREETING: "$HOME `n ‘quoted’ \"double\" \\ back\\slash",
        EMPTY: "",
        HASH: "a #not-a-comment",
        SPACES: "  padded  ",
        EQUALS: "a=b=c",
    };
    const cfg: NovaConfig = { ...prodConfig, appEnv: hostile };
    const file = join(dir, "roundtrip.env");
    const written = runPwsh(stepProgram(create(cfg), `[System.IO.File]::WriteAllText('${file}', (Get-NovaEnvUpdated), (New-Object System.Text.UTF8Encoding $false))\nexit 0`));
    it("round-trips every value the config accepts through the rendered .env and python-dotenv", () => {
        const r = written();
        expect(r.stderr).toBe("");
        const py = spawnSync("/usr/bin/python3", ["-c", "import json,sys; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1])))", file], { encoding: "utf8" });
        expect(py.stderr).toBe("");
        const parsed = JSON.parse(py.stdout) as Record<string, string>;
        expect(parsed).toEqual({ NOVA_MODE: "production", APP_HOST: "127.0.0.1", APP_PORT: "8000", UVICORN_RELOAD: "false", ...hostile });
    });

    it.each([
        ["${HOME}/x", "without ${"],
        ["C:\\path\\", "not ending in a backslash"],
        ["two\nlines", "a single-line value"],
    ])("config refuses %j, which python-dotenv would expand or mis-parse", async (value, accepted) => {
        const { error } = await runRaw(stackWith("prod", { "nova:appEnv": JSON.stringify({ BAD: value }) }, { "nova:sshPrivateKey": "k", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o"}' }));
        expect(error).toBeInstanceOf(NovaConfigError);
        const ours = (error as NovaConfigError).problems.filter((p) => p.startsWith("nova:appEnv.BAD:"));
        expect(ours).toHaveLength(1);
        expect(ours[0]).toContain(accepted);
    });
});

/**
 * An app directory on this machine for scripts that touch `.env`: `<dir>\.env` reaches .NET as one file
 * name (`\` is no separator on Linux) and PowerShell's cmdlets as `<dir>/.env`, so a symbolic link by the
 * first name to the second makes both see the same file.
 */
function appDirectory(names: readonly string[]): string {
    const root = mkdtempSync(join(dir, "app-"));
    const app = join(root, "NOVA-SERVER");
    mkdirSync(app);
    for (const name of names) symlinkSync(join(app, name), `${app}\\${name}`);
    return app;
}
const withApp = (app: string): NovaConfig => ({ ...prodConfig, service: { ...prodConfig.service, appDirectory: app } });

describePwsh("13. dotenv delete", () => {
    const app = appDirectory([".env"]);
    const removed = (() => {
        writeFileSync(join(app, ".env"), "# mine\nNOVA_MODE=production\nAPP_HOST=127.0.0.1\nMY_FLAG=1\nAPP_PORT=8000\nUVICORN_RELOAD=false\nLOG_LEVEL=info\n");
        for (const b of [".env.bak-0123456789ab", ".env.bak-ba9876543210"]) writeFileSync(join(app, b), "old\n");
        writeFileSync(join(app, "main.py"), "");
        const del = renderHostStep("dotenv", withApp(app), sshHost, inputs).delete!;
        return runPwsh(withTrap(del));
    })();
    it("removes the managed keys' lines, keeps the user's lines, and removes the backups it made", () => {
        const r = removed();
        expect(r.stderr).toBe("");
        expect(readFileSync(join(app, ".env"), "utf8")).toBe("# mine\nMY_FLAG=1\n");
        expect(readdirSync(app).filter((n) => !n.includes("\\")).sort()).toEqual([".env", "main.py"]);
        expect(stepJson(r.stdout).changed).toEqual(["removed managed keys", "removed .env.bak-0123456789ab", "removed .env.bak-ba9876543210"]);
    });

    const emptied = appDirectory([".env"]);
    writeFileSync(join(emptied, ".env"), "NOVA_MODE=production\nAPP_HOST=127.0.0.1\nAPP_PORT=8000\nUVICORN_RELOAD=false\nLOG_LEVEL=info\nCOMPANY_NAME=x\nGREETING=y\n\n");
    const emptiedRun = runPwsh(withTrap(renderHostStep("dotenv", withApp(emptied), sshHost, inputs).delete!));
    it("removes a .env left with nothing but its keys", () => {
        const r = emptiedRun();
        expect(r.stderr).toBe("");
        expect(readdirSync(emptied).filter((n) => !n.includes("\\"))).toEqual([]);
    });
});

describePwsh("backups", () => {
    const original = "ANTHROPIC_API_KEY=sk-ant-guide\nLOG_LEVEL=debug\n";
    const hash = createHash("sha256").update(original).digest("hex").slice(0, 12);
    const app = appDirectory([".env", `.env.bak-${hash}`]);
    const pruned = (() => {
        writeFileSync(join(app, ".env"), original);
        for (let i = 0; i < 6; i++) {
            const f = join(app, `.env.bak-old00000000${i}`);
            writeFileSync(f, "LOG_LEVEL=old\n");
            utimesSync(f, 1_700_000_000 + i, 1_700_000_000 + i);
        }
        return runPwsh(withTrap(stepProgram(create(withApp(app)), "function Set-NovaAdminOnlyAcl { }\nfunction Get-Service { return $null }", ["content"])));
    })();
    it("are pruned to the newest five when .env is rewritten, the new one holding no secret line", () => {
        const r = pruned();
        expect(r.stderr).toBe("");
        expect(readFileSync(join(app, `.env.bak-${hash}`), "utf8")).toBe("LOG_LEVEL=debug\n");
        expect(readFileSync(join(app, ".env"), "utf8")).not.toContain("ANTHROPIC_API_KEY");
        const kept = readdirSync(app).filter((n) => n.startsWith(".env.bak-")).sort();
        expect(kept).toEqual([`.env.bak-${hash}`, ".env.bak-old000000002", ".env.bak-old000000003", ".env.bak-old000000004", ".env.bak-old000000005"].sort());
    });
});
