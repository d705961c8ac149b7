"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parsePlanArgs = parsePlanArgs;
exports.main = main;
/**
 * `npm run plan -- [--stack NAME] [--json] [--out DIR]`: renders a stack offline, without
 * credentials or network, through the mock runtime.
 */
const node_path_1 = require("node:path");
const config_1 = require("../components/config");
const artefacts_1 = require("./lib/artefacts");
const plan_1 = require("./lib/plan");
const planText_1 = require("./lib/planText");
const stackFile_1 = require("./lib/stackFile");
function parsePlanArgs(argv) {
    let stack = "prod";
    let json = false;
    let out;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--json")
            json = true;
        else if (a === "--stack" || a === "-s")
            stack = argv[++i] ?? "";
        else if (a === "--out")
            out = argv[++i];
        else
            throw new Error(`unknown argument ${JSON.stringify(a)}; usage: npm run plan -- [--stack NAME] [--json] [--out DIR]`);
    }
    if (!stack)
        throw new Error("--stack: expected a stack name");
    if (out === "")
        throw new Error("--out: expected a directory");
    return { stack, json, ...(out !== undefined ? { out } : {}) };
}
async function main(argv, root = (0, node_path_1.resolve)(__dirname, "..")) {
    try {
        const args = parsePlanArgs(argv);
        const program = require((0, node_path_1.resolve)(root, "index.ts"));
        const plan = await (0, plan_1.planOffline)((0, stackFile_1.readStackFile)(args.stack, root), program);
        process.stdout.write(`${args.json ? JSON.stringify(plan.document, null, 2) : (0, planText_1.renderTree)(plan.document)}\n`);
        if (args.out) {
            const files = (0, artefacts_1.writeArtefacts)(plan, (0, node_path_1.resolve)(args.out));
            if (!args.json)
                process.stdout.write(`\nwrote ${files.length} files to ${args.out}:\n${files.map((f) => `  ${f}`).join("\n")}\n`);
        }
        return 0;
    }
    catch (err) {
        process.stderr.write(`${err instanceof config_1.NovaConfigError ? err.message : `plan failed: ${err.message}`}\n`);
        return 1;
    }
}
if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
