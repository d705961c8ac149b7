/**
 * Writes analysis/powershell/profile-5.1.json, the compact Windows PowerShell 5.1 command profile
 * the binder reads, from the full profile collected on Windows Server 2019:
 *   npm run ps-profile -- [--source FILE] [--check] [--help]
 * FILE defaults to the first of `shared/reference/powershell/windows-server-2019-powershell-5.1.json`
 * found in the checkout's parent directory or the one above it (a git worktree). `--check` writes
 * nothing and exits 1 when the committed file differs from the derivation.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { ArgsError, helpText, parseCommandArgs, usageLine, wantsHelp } from "../shared/cli/args";
import { processIo, runCli } from "../shared/cli/cli";
import { deriveProfile, formatProfile, type SourceProfile } from "../../analysis/powershell/derive";

export const ROOT_DIR = resolve(__dirname, "../..");
const SOURCE_IN_SHARED = ["shared", "reference", "powershell", "windows-server-2019-powershell-5.1.json"];

/** The full profile next to the checkout, when there is one (CI clones have none). */
export function defaultSource(root: string = ROOT_DIR): string | undefined {
    return [resolve(root, "..", ...SOURCE_IN_SHARED), resolve(root, "..", "..", ...SOURCE_IN_SHARED)].find((p) => existsSync(p));
}
export const PROFILE_FILE = resolve(ROOT_DIR, "analysis", "powershell", "profile-5.1.json");

/** The compact profile text derived from the full profile at `sourcePath` (a byte-order mark is allowed). */
export function derivedText(sourcePath: string): string {
    const raw = readFileSync(sourcePath, "utf8").replace(/^\uFEFF/, "");
    return formatProfile(deriveProfile(JSON.parse(raw) as SourceProfile));
}

export const PS_PROFILE_SPEC = {
    name: "ps-profile",
    summary: "Writes analysis/powershell/profile-5.1.json, the compact Windows PowerShell 5.1 command profile the binder reads, from the full profile collected on Windows Server 2019.",
    options: {
        source: { type: "string", value: "FILE", description: `the full profile (default: ${SOURCE_IN_SHARED.join("/")} next to the checkout)` },
        check: { type: "boolean", description: "write nothing; exit 1 when the committed profile differs from the derivation" },
    },
    details: "Exit code: 0 written (or up to date with --check), 1 out of date with --check, or bad arguments.",
} as const;

/** Runs the command; resolves with the exit code. Help and bad arguments write nothing. */
export async function main(argv: readonly string[], io = processIo, profileFile: string = PROFILE_FILE): Promise<number> {
    if (wantsHelp(argv)) {
        io.stdout(helpText(PS_PROFILE_SPEC));
        return 0;
    }
    let values;
    try {
        values = parseCommandArgs(PS_PROFILE_SPEC, argv);
    } catch (err) {
        if (!(err instanceof ArgsError)) throw err;
        io.stderr(`ps-profile: ${err.message}\n${usageLine(PS_PROFILE_SPEC)}\n`);
        return 1;
    }
    const source = values.source ?? defaultSource();
    if (source === undefined) throw new Error(`no ${SOURCE_IN_SHARED.join("/")} next to ${ROOT_DIR}: pass --source FILE`);
    const text = derivedText(source);
    if (values.check) {
        const same = readFileSync(profileFile, "utf8") === text;
        io.stdout(same ? `${profileFile} is up to date\n` : `${profileFile} differs from the derivation of ${source}: run npm run ps-profile\n`);
        return same ? 0 : 1;
    }
    writeFileSync(profileFile, text);
    io.stdout(`wrote ${profileFile}\n`);
    return 0;
}

if (require.main === module) runCli("ps-profile", () => main(process.argv.slice(2)));
