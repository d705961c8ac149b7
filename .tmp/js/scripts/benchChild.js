"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * One measured run of `npm run bench`, in its own process: loads the program (or, for `floor`, only
 * the Pulumi SDKs it imports), plans one stack under the mock runtime and prints one JSON line.
 * Usage: benchChild.ts <case> [--describe]   (case: floor, prod, staging, prod:50, ...)
 * `--describe` also sums what the host step renderer gives (an untimed run: rendering again here
 * would add to the measured process).
 */
const started = performance.now();
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const benchCases_1 = require("./lib/benchCases");
const canonical_1 = require("./lib/canonical");
const commands_1 = require("./lib/commands");
const mockRuntime_1 = require("./lib/mockRuntime");
const offlineFixtures_1 = require("./lib/offlineFixtures");
/** The compiled or source tree this script runs from (index is index.js or index.ts). */
const TREE = (0, node_path_1.resolve)(__dirname, "..");
/** Where the stack files are: the nearest directory above holding Pulumi.yaml. */
function projectRoot(from) {
    for (let dir = from;; dir = (0, node_path_1.dirname)(dir)) {
        if ((0, node_fs_1.existsSync)((0, node_path_1.join)(dir, "Pulumi.yaml")))
            return dir;
        if ((0, node_path_1.dirname)(dir) === dir)
            throw new Error(`no Pulumi.yaml above ${from}`);
    }
}
const ROOT = projectRoot(TREE);
async function floor() {
    // The SDKs index.ts and its components import, and nothing of ours but the mock runtime.
    require("@pulumi/pulumi");
    require("@pulumi/cloudflare");
    require("@pulumi/random");
    require("@pulumi/command");
    const stack = (0, benchCases_1.benchCaseStack)((0, benchCases_1.parseBenchCase)("prod"), ROOT);
    const loaded = performance.now();
    const run = await (0, mockRuntime_1.runUnderMocks)(async () => ({}), { project: "nova", stack: "prod", config: stack.values, secretKeys: stack.secretKeys });
    const done = performance.now();
    return summary(benchCases_1.FLOOR, loaded, done, run.resources, 0, 0);
}
async function program(label, describe) {
    const c = (0, benchCases_1.parseBenchCase)(label);
    const stack = (0, benchCases_1.benchCaseStack)(c, ROOT);
    const novaProgram = require((0, node_path_1.resolve)(TREE, "index"));
    const { planOffline } = require("./lib/plan");
    const loaded = performance.now();
    const plan = await planOffline(stack, novaProgram);
    const done = performance.now();
    const { renderHostSteps } = require("../components/host/steps");
    const ranges = { ipv4: offlineFixtures_1.CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ipv6: offlineFixtures_1.CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs };
    let rendererBytes = 0;
    for (const host of describe ? plan.config.hosts : []) {
        for (const step of renderHostSteps(plan.config, host, { cloudflare: ranges })) {
            rendererBytes += Buffer.byteLength(step.scripts.create) + Buffer.byteLength(step.scripts.delete ?? "");
        }
    }
    return summary(label, loaded, done, plan.run.resources, plan.config.hosts.length, rendererBytes, plan.config.hosts.map((h) => h.name));
}
function summary(label, loaded, done, resources, hosts, rendererBytes, hostNames = []) {
    const commands = resources.filter(commands_1.isCommand);
    const digest = (0, canonical_1.sha256)((0, canonical_1.canonicalInputs)(resources));
    const usage = process.resourceUsage();
    return {
        case: label,
        loadMs: loaded - started,
        programMs: done - loaded,
        maxRssKb: usage.maxRSS,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        resources: resources.length,
        customResources: resources.filter((r) => r.custom).length,
        commands: commands.length,
        commandsPerHost: (0, commands_1.commandsPerHost)(resources, hostNames),
        commandScriptBytes: commands.reduce((n, r) => n + (0, commands_1.commandScriptBytes)(r), 0),
        rendererBytes,
        hosts,
        inputsSha256: digest,
        postMs: performance.now() - done,
    };
}
if (require.main === module) {
    const label = process.argv[2] ?? "";
    (label === benchCases_1.FLOOR ? floor() : program(label, process.argv.includes("--describe")))
        .then((r) => {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        process.exit(0);
    })
        .catch((err) => {
        process.stderr.write(`${err.stack ?? err.message}\n`);
        process.exit(1);
    });
}
