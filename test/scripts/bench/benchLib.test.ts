import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseBenchArgs, goalLines } from "../../../scripts/bench/main";
import type { ChildResult } from "../../../scripts/bench/child";
import { parseBenchCase } from "../../../scripts/bench/cases";
import { nodeArgsOf, projectNodeArgs } from "../../../scripts/bench/nodeArgs";
import { benchTable, median, summarize } from "../../../scripts/bench/table";
import { commandScriptBytes, commandsPerHost } from "../../../scripts/shared/planning/commands";
import { betweenMarkers, replaceBetweenMarkers } from "../../../scripts/shared/markdown/markers";
import type { RecordedResource } from "../../../scripts/shared/planning/mockRuntime";
import type { Plan } from "../../../scripts/shared/planning/plan";
import { diffPlans } from "../../../scripts/perf-doc/rerun";
import { readStackFile } from "../../../components/config/stackFile";
import { withHostCount } from "../../../scripts/shared/planning/stackVariants";
import { plan, ROOT } from "../../support/harness";

const SECRET = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

function resource(type: string, name: string, parent: string | undefined, inputs: Record<string, unknown>): RecordedResource {
    return { urn: `urn:pulumi:prod::nova::${type}::${name}`, type, name, ...(parent ? { parent } : {}), custom: type.includes(":index/") || type.startsWith("command:"), dependencies: [], inputs };
}

const HOST = resource("nova:host:WindowsHostService", "rondot", undefined, {});
const command = (name: string, inputs: Record<string, unknown>, type = "command:remote:Command") => resource(type, name, HOST.urn, inputs);

describe("reading remote commands", () => {
    it("counts the bytes of create and stdin, secret or not", () => {
        expect(commandScriptBytes(command("rondot-tools", { create: "abc", stdin: SECRET("é\n") }))).toBe(3 + 3);
        expect(commandScriptBytes(command("rondot-tools", { create: "abc" }))).toBe(3);
    });

    it("counts commands per host through their parent component, both command types", () => {
        const resources = [HOST, command("rondot-tools", {}), command("rondot-dotenv", {}, "command:local:Command"), resource("cloudflare:index/dnsRecord:DnsRecord", "nova-record", undefined, {})];
        expect(commandsPerHost(resources, ["rondot", "other"])).toEqual({ rondot: 2, other: 0 });
    });
});

describe("comparing two plans", () => {
    it("tells re-run commands (any input) and replaced ones (triggers) from other resources", async () => {
        const base = await plan("prod");
        const withCommands = (p: Plan, extra: RecordedResource[]): Plan => ({ ...p, run: { ...p.run, resources: [...p.run.resources, ...extra] } });
        const before = withCommands(base, [
            command("fake-dotenv", { create: "x", stdin: SECRET("a"), triggers: ["h1"] }),
            command("fake-tools", { create: "x", stdin: SECRET("a"), triggers: ["h2"] }),
            command("fake-health", { create: "x", triggers: ["h3"] }),
        ]);
        const after = withCommands(base, [
            command("fake-dotenv", { create: "x", stdin: SECRET("b"), triggers: ["h1-changed"] }),
            command("fake-tools", { create: "x", stdin: SECRET("b"), triggers: ["h2"] }),
            command("fake-health", { create: "x", triggers: ["h3"] }),
            command("fake-extra", { create: "x" }),
        ]);
        expect(diffPlans(before, after)).toEqual({
            commandsRerun: ["fake-dotenv", "fake-tools"],
            commandsReplaced: ["fake-dotenv"],
            stepScriptsChanged: [],
            resourcesUpdated: [],
            added: ["fake-extra"],
            removed: [],
        });
    });
});

describe("bench pieces", () => {
    it("parses cases and arguments", () => {
        expect(parseBenchCase("prod:50")).toEqual({ label: "prod:50", stack: "prod", hosts: 50 });
        expect(parseBenchCase("staging")).toEqual({ label: "staging", stack: "staging" });
        expect(() => parseBenchCase("prod:x")).toThrow(/expected a case/);
        const args = parseBenchArgs(["--runs", "3", "--cases", "floor,prod,prod:10", "--compiled"]);
        expect([args.runs, args.cases, args.mode]).toEqual([3, ["prod", "prod:10"], "compiled"]);
        expect(() => parseBenchArgs(["--runs", "0"])).toThrow(/--runs/);
        expect(() => parseBenchArgs(["--bogus"])).toThrow(/unknown option "--bogus"/);
        expect(() => parseBenchArgs(["--out"])).toThrow("--out: expects a value (FILE)");
        expect(() => parseBenchArgs(["--out", __dirname])).toThrow("is a directory, expected a file");
    });

    it("summarizes runs against the floor and reports the goals", () => {
        expect(median([5, 1, 3])).toBe(3);
        expect(median([4, 1, 3, 2])).toBe(2.5);
        const run = (cpuMs: number, sha: string): ChildResult => ({
            case: "prod", loadMs: 1, programMs: 2, maxRssKb: 2048, cpuMs, resources: 3, customResources: 2, invokes: 1, commands: 0,
            commandsPerHost: { rondot: 0 }, commandScriptBytes: 30, firstHostStepBytes: { preflight: 10, tools: 20 }, rendererBytes: 0, postMs: 0, hosts: 1, inputsSha256: sha,
        });
        const row = summarize("prod", [300, 100, 200], [run(100, "a"), run(300, "a"), run(200, "a")], { wall: 100, cpu: 50 });
        expect([row.wallMs, row.floorRatio, row.cpuFloorRatio, row.maxRssMb, row.deterministic]).toEqual([{ median: 200, min: 100, max: 300 }, 2, 4, 2, true]);
        expect(summarize("prod", [1, 1], [run(1, "a"), run(1, "b")], { wall: 1, cpu: 1 }).deterministic).toBe(false);
        const cells = benchTable([row]).split("\n")[2].split(" | ");
        expect(cells.slice(-3, -1)).toEqual(["30", "preflight 10 · tools 20"]);
        expect(goalLines([row])).toEqual(["- prod ≤ 1.5× floor: wall 2.00× (NOT met), CPU 4.00× (NOT met)", "- prod:50 ≤ 3× floor: not measured"]);
    });

    it("replaces only the named generated section", () => {
        const text = "a\n<!-- BEGIN x (generated) -->\nold\n<!-- END x -->\nb\n<!-- BEGIN y (generated) -->\nkeep\n<!-- END y -->\n";
        const out = replaceBetweenMarkers(text, "x", "new\ntext");
        expect(out).toBe("a\n<!-- BEGIN x (generated) -->\nnew\ntext\n<!-- END x -->\nb\n<!-- BEGIN y (generated) -->\nkeep\n<!-- END y -->\n");
        expect(betweenMarkers(out, "x")).toBe("new\ntext");
        expect(() => betweenMarkers(text, "z")).toThrow(/no section "z"/);
    });

    it("derives N hosts from the stack's first host", () => {
        const stack = withHostCount(readStackFile("prod", ROOT), 3);
        const hosts = JSON.parse(stack.values["nova:hosts"]) as { name: string; address: string; transport: string }[];
        expect(hosts.map((h) => [h.name, h.address, h.transport])).toEqual([
            ["host-01", "10.0.0.1", "ssh"],
            ["host-02", "10.0.0.2", "ssh"],
            ["host-03", "10.0.0.3", "ssh"],
        ]);
        expect(() => withHostCount(readStackFile("prod", ROOT), 0)).toThrow(/1\.\.9999/);
    });
});

describe("the project's node arguments", () => {
    it("reads runtime.options.nodeargs as options separated by whitespace, and refuses a non-string or a quote", () => {
        expect(nodeArgsOf("name: x\nruntime:\n  name: nodejs\n  options:\n    nodeargs: --a  --b=1\n")).toEqual(["--a", "--b=1"]);
        expect(nodeArgsOf("name: x\nruntime: nodejs\n")).toEqual([]);
        expect(nodeArgsOf("name: x\nruntime:\n  name: nodejs\n")).toEqual([]);
        expect(() => nodeArgsOf("name: x\nruntime:\n  name: nodejs\n  options:\n    nodeargs: [1]\n")).toThrow(/nodeargs: expected node options separated by spaces, without quotes, got \[1\]/);
        expect(() => nodeArgsOf("name: x\nruntime:\n  name: nodejs\n  options:\n    nodeargs: --title='a b'\n")).toThrow(/without quotes, got "--title='a b'"/);
    });

    it("gives the bench children the committed Pulumi.yaml's nodeargs, which this node accepts", () => {
        const args = projectNodeArgs(ROOT);
        expect(args).toEqual(["--single-threaded-gc"]);
        // node refuses an unknown option ("bad option", exit 9) before running anything.
        // execArgv holds node's own options, then `-e` and its code: the first ones are those given.
        const run = spawnSync(process.execPath, [...args, "-e", "process.stdout.write(JSON.stringify(process.execArgv))"], { encoding: "utf8" });
        expect(run.status).toBe(0);
        expect((JSON.parse(run.stdout) as string[]).slice(0, args.length)).toEqual(args);
        expect(spawnSync(process.execPath, ["--no-such-node-option", "-e", ""], { encoding: "utf8" }).status).not.toBe(0);
    });
});
