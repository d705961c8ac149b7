/**
 * `npm run plan -- [--stack NAME] [--json] [--out DIR]`: renders a stack offline, without
 * credentials or network, through the mock runtime.
 */
import { resolve } from "node:path";
import pc from "picocolors";
import { NovaConfigError } from "../../components/config";
import { writeArtefacts } from "./artefacts";
import { ArgsError, helpText, parseCommandArgs, STACK_OPTION, usageLine, wantsHelp } from "../shared/cli/args";
import { processIo, runCli } from "../shared/cli/cli";
import { checkOutDir } from "./outDir";
import { planOffline } from "../shared/planning/plan";
import { renderTree } from "./planText";
import { chooseStack, type SelectedStackReader } from "../shared/cli/selectedStack";
import { readStackFile } from "../../components/config/stackFile";

export const PLAN_SPEC = {
    name: "plan",
    summary: "The offline plan of a stack: what the program would register, rendered under Pulumi's mock runtime without credentials or network.",
    options: {
        stack: { ...STACK_OPTION, short: "s" },
        json: { type: "boolean", description: "print one JSON document (machine-readable: run it as `npm run -s plan -- --json`)" },
        out: { type: "string", value: "DIR", description: "also write the generated artefacts there (plan.json, cloudflared-config.yml, hosts/*/*.ps1); replaces the files of an earlier run" },
    },
    details: "Exit code: 0 planned, 1 bad arguments or configuration.",
} as const;

export interface PlanArgs {
    /** Undefined: the default stack (see selectedStack.ts). */
    readonly stack?: string;
    readonly json: boolean;
    readonly out?: string;
}

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
    const v = parseCommandArgs(PLAN_SPEC, argv);
    return { ...(v.stack !== undefined ? { stack: v.stack } : {}), json: v.json === true, ...(v.out !== undefined ? { out: v.out } : {}) };
}

export interface PlanIo {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Colour the text (stdout is a terminal). */
    readonly colour?: boolean;
    readonly selectedStack?: SelectedStackReader;
}

export async function main(argv: readonly string[], root = resolve(__dirname, "../.."), io: PlanIo = processIo): Promise<number> {
    if (wantsHelp(argv)) {
        io.stdout(helpText(PLAN_SPEC));
        return 0;
    }
    try {
        let args: PlanArgs;
        try {
            args = parsePlanArgs(argv);
            if (args.out !== undefined) checkOutDir(resolve(args.out));
        } catch (err) {
            io.stderr(`plan: ${(err as Error).message}\n${usageLine(PLAN_SPEC)}\n`);
            return 1;
        }
        const stack = chooseStack(args.stack, "plan", root, io.stderr, io.selectedStack);
        const program = require(resolve(root, "index.ts")) as () => Promise<Record<string, unknown>>;
        const plan = await planOffline(readStackFile(stack, root), program, root);
        const colours = pc.createColors(io.colour === true);
        io.stdout(`${args.json ? JSON.stringify(plan.document, null, 2) : renderTree(plan.document, colours)}\n`);
        if (args.out) {
            const files = writeArtefacts(plan, resolve(args.out));
            const report = `wrote ${files.length} files to ${args.out}:\n${files.map((f) => `  ${f}`).join("\n")}\n`;
            if (args.json) io.stderr(report);
            else io.stdout(`\n${report}`);
        }
        return 0;
    } catch (err) {
        const message = err instanceof NovaConfigError || err instanceof ArgsError ? err.message : `plan failed: ${(err as Error).message}`;
        io.stderr(`${message}\n`);
        return 1;
    }
}

if (require.main === module) {
    const colour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
    runCli("plan", () => main(process.argv.slice(2), resolve(__dirname, "../.."), { ...processIo, colour }));
}
