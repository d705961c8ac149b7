/**
 * Writes scripts/lib/powershell/profile-5.1.json, the compact Windows PowerShell 5.1 command profile
 * the binder reads, from the full profile collected on Windows Server 2019:
 *   npm run ps-profile -- [--source FILE] [--check]
 * FILE defaults to the first of `shared/reference/powershell/windows-server-2019-powershell-5.1.json`
 * found in the checkout's parent directory or the one above it (a git worktree). `--check` writes
 * nothing and exits 1 when the committed file differs from the derivation.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { processIo, runCli } from "./lib/cli";
import { deriveProfile, formatProfile, type SourceProfile } from "./psProfile/derive";

export const ROOT_DIR = resolve(__dirname, "..");
const SOURCE_IN_SHARED = ["shared", "reference", "powershell", "windows-server-2019-powershell-5.1.json"];

/** The full profile next to the checkout, when there is one (CI clones have none). */
export function defaultSource(root: string = ROOT_DIR): string | undefined {
    return [resolve(root, "..", ...SOURCE_IN_SHARED), resolve(root, "..", "..", ...SOURCE_IN_SHARED)].find((p) => existsSync(p));
}
export const PROFILE_FILE = resolve(ROOT_DIR, "scripts", "lib", "powershell", "profile-5.1.json");

/** The compact profile text derived from the full profile at `sourcePath` (a byte-order mark is allowed). */
export function derivedText(sourcePath: string): string {
    const raw = readFileSync(sourcePath, "utf8").replace(/^\uFEFF/, "");
    return formatProfile(deriveProfile(JSON.parse(raw) as SourceProfile));
}

async function main(argv: readonly string[]): Promise<number> {
    const at = argv.indexOf("--source");
    const source = at >= 0 ? argv[at + 1] : defaultSource();
    if (source === undefined) throw new Error(at >= 0 ? "--source needs a file" : `no ${SOURCE_IN_SHARED.join("/")} next to ${ROOT_DIR}: pass --source FILE`);
    const text = derivedText(source);
    if (argv.includes("--check")) {
        const same = readFileSync(PROFILE_FILE, "utf8") === text;
        processIo.stdout(same ? `${PROFILE_FILE} is up to date\n` : `${PROFILE_FILE} differs from the derivation of ${source}: run npm run ps-profile\n`);
        return same ? 0 : 1;
    }
    writeFileSync(PROFILE_FILE, text);
    processIo.stdout(`wrote ${PROFILE_FILE}\n`);
    return 0;
}

if (require.main === module) runCli("ps-profile", () => main(process.argv.slice(2)));
