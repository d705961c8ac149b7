/**
 * `npm run bench -- [--runs N] [--cases prod,staging,prod:1,prod:10,prod:50] [--out FILE] [--doc] [--typecheck | --compiled] [--cpu-prof DIR]`
 *
 * Plans each case several times, each run in a fresh process (module loading is paid as
 * `pulumi preview` pays it), and the floor: a process that loads the Pulumi SDKs the program imports
 * under the same mock runtime and registers nothing. Prints a table, writes it as JSON (default
 * `.bench/latest.json`) and, with `--doc`, into docs/PERFORMANCE.md between its bench markers.
 * Children run under `ts-node --transpile-only` (default), type-checking ts-node (`--typecheck`, what
 * `pulumi preview` does unless told otherwise), or as JavaScript compiled first by tsc into
 * `.bench/js` (`--compiled`, what a precompiled program would pay).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, resolve } from "node:path";
import type { ChildResult } from "./benchChild";
import { FLOOR } from "./lib/benchCases";
import { benchTable, CaseSummary, summarize } from "./lib/benchTable";
import { replaceBetweenMarkers } from "./lib/markers";

const ROOT = resolve(__dirname, "..");
const TS_NODE = require.resolve("ts-node/dist/bin.js");
const CHILD = resolve(__dirname, "benchChild.ts");

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

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
    let runs = 7;
    let cases = ["prod", "staging", "prod:1", "prod:10", "prod:50"];
    let out = resolve(ROOT, ".bench/latest.json");
    let doc = false;
    let cpuProf: string | undefined;
    let mode: Mode = "transpile-only";
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--runs") runs = Number(argv[++i]);
        else if (a === "--cases") cases = (argv[++i] ?? "").split(",").filter((c) => c && c !== FLOOR);
        else if (a === "--out") out = resolve(argv[++i] ?? "");
        else if (a === "--doc") doc = true;
        else if (a === "--typecheck") mode = "typecheck";
        else if (a === "--compiled") mode = "compiled";
        else if (a === "--cpu-prof") cpuProf = resolve(argv[++i] ?? "");
        else throw new Error(`unknown argument ${JSON.stringify(a)}`);
    }
    if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs: expected a whole number >= 1");
    return { runs, cases, out, doc, mode, ...(cpuProf ? { cpuProf } : {}) };
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
    if (mode === "compiled") return [resolve(COMPILED, "scripts/benchChild.js")];
    return [TS_NODE, ...(mode === "typecheck" ? [] : ["--transpile-only"]), CHILD];
}

function runChild(label: string, mode: Mode, cpuProf?: string, describe = false): { wallMs: number; result: ChildResult } {
    const nodeArgs = cpuProf ? ["--cpu-prof", "--cpu-prof-dir", cpuProf, "--cpu-prof-name", `${label.replace(":", "-")}-${process.hrtime.bigint()}.cpuprofile`] : [];
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

function main(): void {
    const args = parseBenchArgs(process.argv.slice(2));
    const labels = [FLOOR, ...args.cases];
    const walls = new Map<string, number[]>(labels.map((l) => [l, []]));
    const results = new Map<string, ChildResult[]>(labels.map((l) => [l, []]));
    if (args.cpuProf) mkdirSync(args.cpuProf, { recursive: true });
    if (args.mode === "compiled") compile();
    // Untimed: warms the file system cache and sums the rendered scripts of each case.
    const described = new Map(labels.map((l) => [l, runChild(l, args.mode, undefined, true).result.rendererBytes]));
    for (let run = 0; run < args.runs; run++) {
        // Cases interleaved, so a slow moment of the machine spreads over all of them.
        for (const label of labels) {
            const { wallMs, result } = runChild(label, args.mode, args.cpuProf);
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
    const machine = `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${args.runs} runs per case, ${args.mode === "compiled" ? "compiled to JavaScript first" : args.mode === "typecheck" ? "ts-node type-checking" : "ts-node --transpile-only"}`;
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

if (require.main === module) {
    try {
        main();
    } catch (err) {
        process.stderr.write(`bench failed: ${(err as Error).message}\n`);
        process.exit(1);
    }
}
