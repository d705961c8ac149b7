/**
 * One measured run of `npm run bench`, in its own process: loads the program (or, for `floor`, only
 * the Pulumi SDKs it imports), plans one stack under the mock runtime and prints one JSON line.
 * Usage: benchChild.ts <case> [--describe]   (case: floor, prod, staging, prod:50, ...)
 * `--describe` also sums what the host step renderer gives (an untimed run: rendering again here
 * would add to the measured process).
 */
const started = performance.now();
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { benchCaseStack, FLOOR, parseBenchCase } from "./cases";
import { canonicalInputs, sha256 } from "../shared/planning/canonical";
import { commandScriptBytes, commandsPerHost, isCommand } from "../shared/planning/commands";
import { runUnderMocks } from "../shared/planning/mockRuntime";
import { hostStepBytes } from "../shared/planning/stepBytes";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../shared/planning/offlineFixtures";

/** What one child reports. Times in milliseconds, memory in kilobytes, sizes in bytes. */
export interface ChildResult {
    readonly case: string;
    /** From the first line of this script to the program's modules being loaded. */
    readonly loadMs: number;
    /** The plan alone (config validation and the program under the mock runtime). */
    readonly programMs: number;
    readonly maxRssKb: number;
    /** CPU time (user + system) of the whole process, less sensitive than wall time to a busy machine. */
    readonly cpuMs: number;
    readonly resources: number;
    readonly customResources: number;
    /** Data source calls (invokes) the program made. */
    readonly invokes: number;
    readonly commands: number;
    readonly commandsPerHost: Record<string, number>;
    /** Sum of `create` and `stdin` of the registered commands. */
    readonly commandScriptBytes: number;
    /** `create` plus `stdin` of each step of the first host, by step name. */
    readonly firstHostStepBytes: Record<string, number>;
    /** Sum of the create and delete scripts the host step renderer gives for every host (`--describe` only, else 0). */
    readonly rendererBytes: number;
    /** Time spent after the plan on this report (digest, sums): the bench subtracts it from the wall time. */
    readonly postMs: number;
    readonly hosts: number;
    /** SHA-256 of the sorted-key JSON of every resource's wire inputs. */
    readonly inputsSha256: string;
}

/** The compiled or source tree this script runs from (index is index.js or index.ts). */
const TREE = resolve(__dirname, "../..");
/** Where the stack files are: the nearest directory above holding Pulumi.yaml. */
function projectRoot(from: string): string {
    for (let dir = from; ; dir = dirname(dir)) {
        if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
        if (dirname(dir) === dir) throw new Error(`no Pulumi.yaml above ${from}`);
    }
}
const ROOT = projectRoot(TREE);

async function floor(): Promise<ChildResult> {
    // The SDKs index.ts and its components import, and nothing of ours but the mock runtime.
    require("@pulumi/pulumi");
    require("@pulumi/cloudflare");
    require("@pulumi/random");
    require("@pulumi/command");
    const stack = benchCaseStack(parseBenchCase("prod"), ROOT);
    const loaded = performance.now();
    const run = await runUnderMocks(async () => ({}), { project: "nova", stack: "prod", config: stack.values, secretKeys: stack.secretKeys });
    const done = performance.now();
    const usage = process.resourceUsage();
    return summary(FLOOR, loaded, done, usage, run.resources, run.invokes.length, 0, 0);
}

async function program(label: string, describe: boolean): Promise<ChildResult> {
    const c = parseBenchCase(label);
    const stack = benchCaseStack(c, ROOT);
    const novaProgram = require(resolve(TREE, "index")) as () => Promise<Record<string, unknown>>;
    const { planOffline } = require("../shared/planning/plan") as typeof import("../shared/planning/plan");
    const loaded = performance.now();
    const plan = await planOffline(stack, novaProgram);
    const done = performance.now();
    const usage = process.resourceUsage();
    const { renderHostSteps } = require("../../components/host/steps") as typeof import("../../components/host/steps");
    const ranges = { ipv4: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ipv6: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs };
    let rendererBytes = 0;
    for (const host of describe ? plan.config.hosts : []) {
        for (const step of renderHostSteps(plan.config, host, { cloudflare: ranges })) {
            rendererBytes += Buffer.byteLength(step.scripts.create) + Buffer.byteLength(step.scripts.delete ?? "");
        }
    }
    return summary(label, loaded, done, usage, plan.run.resources, plan.run.invokes.length, plan.config.hosts.length, rendererBytes, plan.config.hosts.map((h) => h.name));
}

function summary(
    label: string,
    loaded: number,
    done: number,
    /** The process's usage when the plan was done: CPU, like the wall time, leaves out this report's work. */
    usage: NodeJS.ResourceUsage,
    resources: Parameters<typeof canonicalInputs>[0],
    invokes: number,
    hosts: number,
    rendererBytes: number,
    hostNames: readonly string[] = [],
): ChildResult {
    const commands = resources.filter(isCommand);
    const digest = sha256(canonicalInputs(resources));
    return {
        case: label,
        loadMs: loaded - started,
        programMs: done - loaded,
        maxRssKb: usage.maxRSS,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        resources: resources.length,
        customResources: resources.filter((r) => r.custom).length,
        invokes,
        commands: commands.length,
        commandsPerHost: commandsPerHost(resources, hostNames),
        commandScriptBytes: commands.reduce((n, r) => n + commandScriptBytes(r), 0),
        firstHostStepBytes: hostNames.length > 0 ? hostStepBytes(resources, hostNames[0]) : {},
        rendererBytes,
        hosts,
        inputsSha256: digest,
        postMs: performance.now() - done,
    };
}

if (require.main === module) {
    const label = process.argv[2] ?? "";
    (label === FLOOR ? floor() : program(label, process.argv.includes("--describe")))
        .then((r) => {
            process.stdout.write(`${JSON.stringify(r)}\n`);
            process.exit(0);
        })
        .catch((err: Error) => {
            process.stderr.write(`${err.stack ?? err.message}\n`);
            process.exit(1);
        });
}
