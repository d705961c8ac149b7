"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PERF_DOC = void 0;
/** `npm run perf-doc`: regenerates the generated sections of docs/PERFORMANCE.md from the code. */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const markers_1 = require("./lib/markers");
const perfDoc_1 = require("./lib/perfDoc");
const plan_1 = require("./lib/plan");
const ROOT = (0, node_path_1.resolve)(__dirname, "..");
exports.PERF_DOC = (0, node_path_1.resolve)(ROOT, "docs/PERFORMANCE.md");
async function main() {
    const program = require((0, node_path_1.resolve)(ROOT, "index.ts"));
    const sections = await (0, perfDoc_1.perfDocSections)(ROOT, (s) => (0, plan_1.planOffline)(s, program));
    let text = (0, node_fs_1.readFileSync)(exports.PERF_DOC, "utf8");
    text = (0, markers_1.replaceBetweenMarkers)(text, "commands", sections.commands);
    text = (0, markers_1.replaceBetweenMarkers)(text, "rerun", sections.rerun);
    (0, node_fs_1.writeFileSync)(exports.PERF_DOC, text);
    process.stdout.write(`updated ${exports.PERF_DOC}\n`);
}
if (require.main === module) {
    main().catch((err) => {
        process.stderr.write(`perf-doc failed: ${err.message}\n`);
        process.exit(1);
    });
}
