/** `npm run perf-doc`: regenerates the generated sections of docs/PERFORMANCE.md from the code. */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { replaceBetweenMarkers } from "./lib/markers";
import { perfDocSections } from "./lib/perfDoc";
import { planOffline } from "./lib/plan";

const ROOT = resolve(__dirname, "..");
export const PERF_DOC = resolve(ROOT, "docs/PERFORMANCE.md");

async function main(): Promise<void> {
    const program = require(resolve(ROOT, "index.ts")) as () => Promise<Record<string, unknown>>;
    const sections = await perfDocSections(ROOT, (s) => planOffline(s, program));
    let text = readFileSync(PERF_DOC, "utf8");
    text = replaceBetweenMarkers(text, "commands", sections.commands);
    text = replaceBetweenMarkers(text, "rerun", sections.rerun);
    writeFileSync(PERF_DOC, text);
    process.stdout.write(`updated ${PERF_DOC}\n`);
}

if (require.main === module) {
    main().catch((err: Error) => {
        process.stderr.write(`perf-doc failed: ${err.message}\n`);
        process.exit(1);
    });
}
