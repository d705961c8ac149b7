/**
 * `npm run bench -- [--runs N] [--cases prod,staging,prod:1,prod:10,prod:50] [--out FILE] [--doc] [--typecheck | --compiled] [--cpu-prof DIR]`
 *
 * Plans each case several times, each run in a fresh process (module loading is paid as
 * `pulumi preview` pays it), and the floor: a process that loads the Pulumi SDKs the program imports
 * under the same mock runtime and registers nothing. Prints a table, writes it as JSON (default
 * `.bench/latest.json`) and, with `--doc`, into docs/PERFORMANCE.md between its bench markers.
 * Children run under `ts-node --transpile-only` (default), type-checking ts-node (`--typecheck`, what
 * `pulumi preview` does unless told otherwise), or as JavaScript compiled first by tsc into
 * `.bench/js` (`--compiled`, what a precompiled program would pay). Every child, the floor included, gets
 * Pulumi.yaml's `nodeargs`, as the language host gives them to the program.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, resolve } from "node:path";
import type { ChildResult } from "./child";
import { FLOOR } from "./cases";
import { projectNodeArgs } from "./nodeArgs";
import { benchTable, CaseSummary, summarize } from "./table";
import { ArgsError, helpText, parseCommandArgs, usageLine, wantsHelp } from "../shared/cli/args";
import { processIo, runCli } from "../shared/cli/cli";
import { replaceBetweenMarkers } from "../shared/markdown/markers";

const ROOT = resolve(__dirname, "../..");
const TS_NODE = require.resolve("ts-node/dist/bin.js");
const CHILD = resolve(__dirname, "child.ts");

/** Goals: the program's wall time over the floor's. */
export const GOALS: readonly { case: string; maxRatio: number }[] = [
    { case: "prod", maxRatio: 1.5 },
    { case: "prod:50", maxRatio: 3 },
];

/** How the children load TypeScript. */
export type Mode = "transpile-only" | "typecheck" | "compiled";

export interface BenchArgs {
    readonly runs: number;
    readonly cases: readonly string[];
    readonly out: string;
    readonly doc: boolean;
    readonly cpuProf?: string;
    readonly mode: Mode;
}

export const BENCH_SPEC = {
    name: "bench",
    summary: "Plans each case several times, each run in a fresh process, against the floor (the SDKs loaded, nothing registered), and prints the table.",
    options: {
        runs: { type: "string", value: "N", description: "runs per case (default 7)" },
        cases: { type: "string", value: "LIST", description: "comma-separated cases: a stack, or <stack>:<hosts> (default prod,staging,prod:1,prod:10,prod:50)" },
        out: { type: "string", value: "FILE", description: "where the JSON results go (default .bench/latest.json)" },
        doc: { type: "boolean", description: "also write the table into docs/PERFORMANCE.md between its bench markers" },
        typecheck: { type: "boolean", description: "children under type-checking ts-node (what `pulumi preview` does unless told otherwise)" },
        compiled: { type: "boolean", description: "children as JavaScript compiled by tsc first into .bench/js" },
        "cpu-prof": { type: "string", value: "DIR", description: "write a CPU profile of each run there" },
    },
} as const;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
    const v = parseCommandArgs(BENCH_SPEC, argv);
    const runs = v.runs === undefined ? 7 : /^\d+$/.test(v.runs) ? Number(v.runs) : NaN;
    if (!Number.isInteger(runs) || runs < 1) throw new ArgsError(`--runs: expected a whole number >= 1, got ${JSON.stringify(v.runs)}`);
    if (v.typecheck && v.compiled) throw new ArgsError("--typecheck and --compiled: give one of them");
    const cases = v.cases === undefined ? ["prod", "staging", "prod:1", "prod:10", "prod:50"] : v.cases.split(",").filter((c) => c && c !== FLOOR);
    const out = resolve(v.out ?? resolve(ROOT, ".bench/latest.json"));
    if (existsSync(out) && statSync(out).isDirectory()) throw new ArgsError(`--out ${v.out}: is a directory, expected a file`);
    const mode: Mode = v.typecheck ? "typecheck" : v.compiled ? "compiled" : "transpile-only";
    return { runs, cases, out, doc: v.doc === true, mode, ...(v["cpu-prof"] !== undefined ? { cpuProf: resolve(v["cpu-prof"]) } : {}) };
}

/** One child; its wall time excludes the report it computes after the plan (`postMs`). */
const COMPILED = resolve(ROOT, ".bench/js");

/** Compiles the program and the scripts (not the tests) into COMPILED. */
function compile(): void {
    const project = resolve(ROOT, ".bench/tsconfig.compiled.json");
    mkdirSync(dirname(project), { recursive: true });
    const config = { extends: "../tsconfig.json", compilerOptions: { noEmit: false, rootDir: "..", outDir: "js" }, include: ["../index.ts", "../components/**/*.ts", "../scripts/**/*.ts"] };
    writeFileSync(project, `${JSON.stringify(config, null, 2)}\n`);
    rmSync(COMPILED, { recursive: true, force: true });
    const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project], { cwd: ROOT, encoding: "utf8" });
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
}

function childArgs(mode: Mode): string[] {
    if (mode === "compiled") return [resolve(COMPILED, "scripts/bench/child.js")];
    return [TS_NODE, ...(mode === "typecheck" ? [] : ["--transpile-only"]), CHILD];
}

/** One child under `projectArgs` (Pulumi.yaml's nodeargs), and a CPU profile into `cpuProf` when given. */
function runChild(label: string, mode: Mode, projectArgs: readonly string[], cpuProf?: string, describe = false): { wallMs: number; result: ChildResult } {
    const nodeArgs = [...projectArgs, ...(cpuProf ? ["--cpu-prof", "--cpu-prof-dir", cpuProf, "--cpu-prof-name", `${label.replace(":", "-")}-${process.hrtime.bigint()}.cpuprofile`] : [])];
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [...nodeArgs, ...childArgs(mode), label, ...(describe ? ["--describe"] : [])], { cwd: ROOT, encoding: "utf8" });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0) throw new Error(`bench run of ${label} failed (exit ${child.status}):\n${child.stderr}`);
    const lines = child.stdout.trim().split("\n");
    const result = JSON.parse(lines[lines.length - 1]) as ChildResult;
    return { wallMs: wallMs - result.postMs, result };
}

export function goalLines(rows: readonly CaseSummary[]): string[] {
    return GOALS.map((g) => {
        const row = rows.find((r) => r.case === g.case);
        if (!row) return `- ${g.case} ≤ ${g.maxRatio}× floor: not measured`;
        const met = (ratio: number) => (ratio <= g.maxRatio ? "met" : "NOT met");
        return `- ${g.case} ≤ ${g.maxRatio}× floor: wall ${row.floorRatio.toFixed(2)}× (${met(row.floorRatio)}), CPU ${row.cpuFloorRatio.toFixed(2)}× (${met(row.cpuFloorRatio)})`;
    });
}

function bench(args: BenchArgs): void {
    const labels = [FLOOR, ...args.cases];
    const nodeArgs = projectNodeArgs(ROOT);
    const walls = new Map<string, number[]>(labels.map((l) => [l, []]));
    const results = new Map<string, ChildResult[]>(labels.map((l) => [l, []]));
    if (args.cpuProf) mkdirSync(args.cpuProf, { recursive: true });
    if (args.mode === "compiled") compile();
    // Untimed: warms the file system cache and sums the rendered scripts of each case.
    const described = new Map(labels.map((l) => [l, runChild(l, args.mode, nodeArgs, undefined, true).result.rendererBytes]));
    for (let run = 0; run < args.runs; run++) {
        // Cases interleaved, so a slow moment of the machine spreads over all of them.
        for (const label of labels) {
            const { wallMs, result } = runChild(label, args.mode, nodeArgs, args.cpuProf);
            walls.get(label)!.push(wallMs);
            results.get(label)!.push(result);
        }
        process.stderr.write(`run ${run + 1}/${args.runs} done\n`);
    }
    const floorRow = summarize(FLOOR, walls.get(FLOOR)!, results.get(FLOOR)!, { wall: 1, cpu: 1 });
    const floor = { wall: floorRow.wallMs.median, cpu: floorRow.cpuMsMedian };
    const rows = labels.map((l) => ({ ...summarize(l, walls.get(l)!, results.get(l)!, floor), rendererBytes: described.get(l)! }));
    const table = benchTable(rows);
    const goals = goalLines(rows);
    const machine = `node ${process.version}${nodeArgs.length ? ` ${nodeArgs.join(" ")} (Pulumi.yaml nodeargs)` : ""}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${args.runs} runs per case, ${args.mode === "compiled" ? "compiled to JavaScript first" : args.mode === "typecheck" ? "ts-node type-checking" : "ts-node --transpile-only"}`;
    process.stdout.write(`${table}\n\n${machine}\n${goals.join("\n")}\n`);

    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), machine, runs: args.runs, rows }, null, 2)}\n`);
    process.stdout.write(`\nwrote ${args.out}\n`);
    if (args.doc) {
        const path = resolve(ROOT, "docs/PERFORMANCE.md");
        const flag = args.mode === "transpile-only" ? "" : ` --${args.mode}`;
        const section = `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --doc${flag}\` (${machine}).\n\n${table}\n\n${goals.join("\n")}`;
        const name = args.mode === "transpile-only" ? "bench" : `bench-${args.mode}`;
        writeFileSync(path, replaceBetweenMarkers(readFileSync(path, "utf8"), name, section));
        process.stdout.write(`updated ${path}\n`);
    }
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: readonly string[], io = processIo): Promise<number> {
    if (wantsHelp(argv)) {
        io.stdout(helpText(BENCH_SPEC));
        return 0;
    }
    let args: BenchArgs;
    try {
        args = parseBenchArgs(argv);
    } catch (err) {
        io.stderr(`bench: ${(err as Error).message}\n${usageLine(BENCH_SPEC)}\n`);
        return 1;
    }
    bench(args);
    return 0;
}

if (require.main === module) {
    runCli("bench", () => main(process.argv.slice(2)));
}
