"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GOALS = void 0;
exports.parseBenchArgs = parseBenchArgs;
exports.goalLines = goalLines;
/**
 * `npm run bench -- [--runs N] [--cases prod,staging,prod:1,prod:10,prod:50] [--out FILE] [--doc] [--typecheck] [--cpu-prof DIR]`
 *
 * Plans each case several times, each run in a fresh process (module loading is paid as
 * `pulumi preview` pays it), and the floor: a process that loads the Pulumi SDKs the program imports
 * under the same mock runtime and registers nothing. Prints a table, writes it as JSON (default
 * `.bench/latest.json`) and, with `--doc`, into docs/PERFORMANCE.md between its bench markers.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const benchCases_1 = require("./lib/benchCases");
const benchTable_1 = require("./lib/benchTable");
const markers_1 = require("./lib/markers");
const ROOT = (0, node_path_1.resolve)(__dirname, "..");
const TS_NODE = require.resolve("ts-node/dist/bin.js");
const CHILD = (0, node_path_1.resolve)(__dirname, "benchChild.ts");
/** Goals: the program's wall time over the floor's. */
exports.GOALS = [
    { case: "prod", maxRatio: 1.5 },
    { case: "prod:50", maxRatio: 3 },
];
function parseBenchArgs(argv) {
    let runs = 7;
    let cases = ["prod", "staging", "prod:1", "prod:10", "prod:50"];
    let out = (0, node_path_1.resolve)(ROOT, ".bench/latest.json");
    let doc = false;
    let cpuProf;
    let typecheck = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--runs")
            runs = Number(argv[++i]);
        else if (a === "--cases")
            cases = (argv[++i] ?? "").split(",").filter((c) => c && c !== benchCases_1.FLOOR);
        else if (a === "--out")
            out = (0, node_path_1.resolve)(argv[++i] ?? "");
        else if (a === "--doc")
            doc = true;
        else if (a === "--typecheck")
            typecheck = true;
        else if (a === "--cpu-prof")
            cpuProf = (0, node_path_1.resolve)(argv[++i] ?? "");
        else
            throw new Error(`unknown argument ${JSON.stringify(a)}`);
    }
    if (!Number.isInteger(runs) || runs < 1)
        throw new Error("--runs: expected a whole number >= 1");
    return { runs, cases, out, doc, typecheck, ...(cpuProf ? { cpuProf } : {}) };
}
/** One child; its wall time excludes the report it computes after the plan (`postMs`). */
function runChild(label, typecheck, cpuProf, describe = false) {
    const nodeArgs = cpuProf ? ["--cpu-prof", "--cpu-prof-dir", cpuProf, "--cpu-prof-name", `${label.replace(":", "-")}-${process.hrtime.bigint()}.cpuprofile`] : [];
    const started = process.hrtime.bigint();
    const child = (0, node_child_process_1.spawnSync)(process.execPath, [...nodeArgs, TS_NODE, ...(typecheck ? [] : ["--transpile-only"]), CHILD, label, ...(describe ? ["--describe"] : [])], { cwd: ROOT, encoding: "utf8" });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.status !== 0)
        throw new Error(`bench run of ${label} failed (exit ${child.status}):\n${child.stderr}`);
    const lines = child.stdout.trim().split("\n");
    const result = JSON.parse(lines[lines.length - 1]);
    return { wallMs: wallMs - result.postMs, result };
}
function goalLines(rows) {
    return exports.GOALS.map((g) => {
        const row = rows.find((r) => r.case === g.case);
        if (!row)
            return `- ${g.case} ≤ ${g.maxRatio}× floor: not measured`;
        const met = (ratio) => (ratio <= g.maxRatio ? "met" : "NOT met");
        return `- ${g.case} ≤ ${g.maxRatio}× floor: wall ${row.floorRatio.toFixed(2)}× (${met(row.floorRatio)}), CPU ${row.cpuFloorRatio.toFixed(2)}× (${met(row.cpuFloorRatio)})`;
    });
}
function main() {
    const args = parseBenchArgs(process.argv.slice(2));
    const labels = [benchCases_1.FLOOR, ...args.cases];
    const walls = new Map(labels.map((l) => [l, []]));
    const results = new Map(labels.map((l) => [l, []]));
    if (args.cpuProf)
        (0, node_fs_1.mkdirSync)(args.cpuProf, { recursive: true });
    // Untimed: warms the file system cache and sums the rendered scripts of each case.
    const described = new Map(labels.map((l) => [l, runChild(l, args.typecheck, undefined, true).result.rendererBytes]));
    for (let run = 0; run < args.runs; run++) {
        // Cases interleaved, so a slow moment of the machine spreads over all of them.
        for (const label of labels) {
            const { wallMs, result } = runChild(label, args.typecheck, args.cpuProf);
            walls.get(label).push(wallMs);
            results.get(label).push(result);
        }
        process.stderr.write(`run ${run + 1}/${args.runs} done\n`);
    }
    const floorRow = (0, benchTable_1.summarize)(benchCases_1.FLOOR, walls.get(benchCases_1.FLOOR), results.get(benchCases_1.FLOOR), { wall: 1, cpu: 1 });
    const floor = { wall: floorRow.wallMs.median, cpu: floorRow.cpuMsMedian };
    const rows = labels.map((l) => ({ ...(0, benchTable_1.summarize)(l, walls.get(l), results.get(l), floor), rendererBytes: described.get(l) }));
    const table = (0, benchTable_1.benchTable)(rows);
    const goals = goalLines(rows);
    const machine = `node ${process.version}, ${(0, node_os_1.cpus)().length} × ${(0, node_os_1.cpus)()[0]?.model ?? "unknown CPU"}, ${args.runs} runs per case, ts-node ${args.typecheck ? "type-checking" : "--transpile-only"}`;
    process.stdout.write(`${table}\n\n${machine}\n${goals.join("\n")}\n`);
    (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(args.out), { recursive: true });
    (0, node_fs_1.writeFileSync)(args.out, `${JSON.stringify({ date: new Date().toISOString(), machine, runs: args.runs, rows }, null, 2)}\n`);
    process.stdout.write(`\nwrote ${args.out}\n`);
    if (args.doc) {
        const path = (0, node_path_1.resolve)(ROOT, "docs/PERFORMANCE.md");
        const section = `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- --doc\` (${machine}).\n\n${table}\n\n${goals.join("\n")}`;
        (0, node_fs_1.writeFileSync)(path, (0, markers_1.replaceBetweenMarkers)((0, node_fs_1.readFileSync)(path, "utf8"), "bench", section));
        process.stdout.write(`updated ${path}\n`);
    }
}
if (require.main === module) {
    try {
        main();
    }
    catch (err) {
        process.stderr.write(`bench failed: ${err.message}\n`);
        process.exit(1);
    }
}
