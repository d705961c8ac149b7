/**
 * Post-deploy verification of a stack's public hostname:
 *   npm run verify -- --stack prod [--json] [--timeout MS] [--ca FILE] [--base-url URL] [--http-base-url URL] [--asset PATH]
 * Exit code: 0 all checks pass, 2 some fail, 1 could not run.
 */
import * as fs from "fs";
import type { LookupFunction } from "net";
import { parseVerifyArgs, USAGE, VERIFY_SPEC } from "./args";
import { helpText, wantsHelp } from "../shared/cli/args";
import { chooseStack, type SelectedStackReader } from "../shared/cli/selectedStack";
import { runChecks } from "../shared/edge/checks";
import { EXIT_CANNOT_RUN, exitCodeFor, formatJson, formatTable } from "./report";
import { loadVerifyTarget } from "../shared/edge/target";
import { DEFAULT_RETRIES } from "../shared/edge/types";
import { processIo, runCli } from "../shared/cli/cli";

export interface VerifyIo {
    /** Directory holding the `Pulumi.<stack>.yaml` files. */
    readonly rootDir: string;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Name resolver replacing the system one (tests). */
    readonly lookup?: LookupFunction;
    /** The stack selected in the Pulumi CLI, when `--stack` is not given (default: asks the CLI). */
    readonly selectedStack?: SelectedStackReader;
}

/** Run the command; resolves with the process exit code. */
export async function main(argv: readonly string[], io: VerifyIo): Promise<number> {
    if (wantsHelp(argv)) {
        io.stdout(helpText(VERIFY_SPEC));
        return 0;
    }
    let args;
    let target;
    let ca: Buffer | undefined;
    try {
        const parsed = parseVerifyArgs(argv);
        args = { ...parsed, stack: chooseStack(parsed.stack, "verify", io.rootDir, io.stderr, io.selectedStack) };
        target = loadVerifyTarget(args.stack, io.rootDir);
        ca = args.caFile === undefined ? undefined : fs.readFileSync(args.caFile);
    } catch (err) {
        io.stderr(`verify: ${(err as Error).message}\n${USAGE}\n`);
        return EXIT_CANNOT_RUN;
    }
    const results = await runChecks(target, {
        baseUrl: args.baseUrl,
        httpBaseUrl: args.httpBaseUrl,
        ca,
        timeoutMs: args.timeoutMs,
        retries: DEFAULT_RETRIES,
        assetPath: args.assetPath,
        lookup: io.lookup,
    });
    const exitCode = exitCodeFor(results);
    if (args.json) {
        io.stdout(formatJson({ stack: args.stack, hostname: target.hostname, exitCode, results }));
    } else {
        io.stdout(`Verifying ${target.hostname} (stack ${args.stack}, ${target.ingressMode} mode)\n\n${formatTable(results)}`);
        if (exitCode === EXIT_CANNOT_RUN) io.stderr("verify: the hostname could not be resolved for any check\n");
    }
    return exitCode;
}

if (require.main === module) {
    runCli("verify", () => main(process.argv.slice(2), { rootDir: process.cwd(), ...processIo }), EXIT_CANNOT_RUN);
}
