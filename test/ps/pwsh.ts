/** Where the suites' PowerShell and Pester are (`npm run setup:pwsh` installs both into .tools/). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
export const PESTER = join(ROOT, ".tools/Modules/Pester/5.7.1/Pester.psd1");

/** .tools/pwsh/pwsh, else a pwsh on PATH; undefined without one. */
export function findPwsh(): string | undefined {
    const local = join(ROOT, ".tools/pwsh/pwsh");
    if (existsSync(local)) return local;
    const found = spawnSync("sh", ["-c", "command -v pwsh"], { encoding: "utf8" });
    return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * The environment the suites' pwsh processes run with: .NET's dynamic PGO off (DOTNET_TieredPGO=0). A suite
 * process lives a minute and runs much script code a few times: PGO's instrumented tier re-compiles the
 * engine's hot methods on a background thread, CPU that a run this short never earns back.
 */
export const PWSH_ENV: Readonly<Record<string, string>> = { DOTNET_TieredPGO: "0" };
