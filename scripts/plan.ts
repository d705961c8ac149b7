/**
 * `npm run plan -- [--stack NAME] [--json] [--out DIR]`: renders a stack offline, without
 * credentials or network, through the mock runtime.
 */
import { resolve } from "node:path";
import { NovaConfigError } from "../components/config";
import { writeArtefacts } from "./lib/artefacts";
import { planOffline } from "./lib/plan";
import { renderTree } from "./lib/planText";
import { readStackFile } from "./lib/stackFile";
import { runCli } from "./lib/cli";

export interface PlanArgs {
    readonly stack: string;
    readonly json: boolean;
    readonly out?: string;
}

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
    let stack = "prod";
    let json = false;
    let out: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--json") json = true;
        else if (a === "--stack" || a === "-s") stack = argv[++i] ?? "";
        else if (a === "--out") out = argv[++i];
        else throw new Error(`unknown argument ${JSON.stringify(a)}; usage: npm run plan -- [--stack NAME] [--json] [--out DIR]`);
    }
    if (!stack) throw new Error("--stack: expected a stack name");
    if (out === "") throw new Error("--out: expected a directory");
    return { stack, json, ...(out !== undefined ? { out } : {}) };
}

export async function main(argv: readonly string[], root = resolve(__dirname, "..")): Promise<number> {
    try {
        const args = parsePlanArgs(argv);
        const program = require(resolve(root, "index.ts")) as () => Promise<Record<string, unknown>>;
        const plan = await planOffline(readStackFile(args.stack, root), program);
        process.stdout.write(`${args.json ? JSON.stringify(plan.document, null, 2) : renderTree(plan.document)}\n`);
        if (args.out) {
            const files = writeArtefacts(plan, resolve(args.out));
            if (!args.json) process.stdout.write(`\nwrote ${files.length} files to ${args.out}:\n${files.map((f) => `  ${f}`).join("\n")}\n`);
        }
        return 0;
    } catch (err) {
        process.stderr.write(`${err instanceof NovaConfigError ? err.message : `plan failed: ${(err as Error).message}`}\n`);
        return 1;
    }
}

if (require.main === module) {
    runCli("plan", () => main(process.argv.slice(2)));
}
