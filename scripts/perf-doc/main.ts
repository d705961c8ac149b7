/** `npm run perf-doc`: regenerates the generated sections of docs/PERFORMANCE.md from the code. */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { ArgsError, helpText, parseCommandArgs, usageLine, wantsHelp } from "../shared/cli/args";
import { processIo, runCli } from "../shared/cli/cli";
import { replaceBetweenMarkers } from "../shared/markdown/markers";
import { perfDocSections } from "./sections";
import { planOffline } from "../shared/planning/plan";

const ROOT = resolve(__dirname, "../..");
export const PERF_DOC = resolve(ROOT, "docs/PERFORMANCE.md");

export const PERF_DOC_SPEC = {
    name: "perf-doc",
    summary: "Regenerates the generated sections of docs/PERFORMANCE.md (the commands and what each key re-runs) from the code.",
    options: {},
} as const;

async function regenerate(io: typeof processIo): Promise<void> {
    const program = require(resolve(ROOT, "index.ts")) as () => Promise<Record<string, unknown>>;
    const sections = await perfDocSections(ROOT, (s) => planOffline(s, program));
    let text = readFileSync(PERF_DOC, "utf8");
    text = replaceBetweenMarkers(text, "commands", sections.commands);
    text = replaceBetweenMarkers(text, "rerun", sections.rerun);
    writeFileSync(PERF_DOC, text);
    io.stdout(`updated ${PERF_DOC}\n`);
}

/** Runs the command; resolves with the exit code. Help and bad arguments write nothing. */
export async function main(argv: readonly string[], io = processIo): Promise<number> {
    if (wantsHelp(argv)) {
        io.stdout(helpText(PERF_DOC_SPEC));
        return 0;
    }
    try {
        parseCommandArgs(PERF_DOC_SPEC, argv);
    } catch (err) {
        if (!(err instanceof ArgsError)) throw err;
        io.stderr(`perf-doc: ${err.message}\n${usageLine(PERF_DOC_SPEC)}\n`);
        return 1;
    }
    await regenerate(io);
    return 0;
}

if (require.main === module) {
    runCli("perf-doc", () => main(process.argv.slice(2)));
}
