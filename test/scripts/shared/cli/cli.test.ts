/**
 * Every command as a person runs it (`npm run -s <command> -- ...`): --help, unknown options, help
 * that writes nothing, a closed stdout, the default stack. npm itself is run for a few of them (it adds
 * nothing with -s and passes the exit code on); the others run the command's line of package.json as
 * npm does (`sh -c`, node_modules/.bin first on PATH), without npm's own start-up each time.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ArgsError, helpText, parseCommandArgs, usageLine, wantsHelp } from "../../../../scripts/shared/cli/args";
import { chooseStack, readSelectedStack } from "../../../../scripts/shared/cli/selectedStack";
import { ROOT } from "../../../support/harness";

const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
/** The commands: every npm script but the test ones (a command added later is covered too). */
const COMMANDS = Object.keys(SCRIPTS).filter((n) => n !== "test" && n !== "typecheck");

/** PATH without any `pulumi`, plus `extra` first. */
function pathWithout(extra?: string): string {
    const node = dirname(process.execPath);
    return [...(extra ? [extra] : []), node, "/usr/bin", "/bin"].join(delimiter);
}

function npmRun(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync("npm", ["run", "-s", command, "--", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 120_000,
        env: { ...process.env, PATH: pathWithout(), ...env },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * What `npm run -s <command> -- ...args` runs, without npm: the command's line of package.json by
 * `sh -c` with the arguments after it and node_modules/.bin first on PATH, in the project root.
 */
function scriptRun(command: string, args: readonly string[]): Promise<Run> {
    const line = SCRIPTS[command];
    if (line === undefined) throw new Error(`no npm script ${command}`);
    return new Promise((resolve) => {
        const child = spawn("sh", ["-c", `${line} "$@"`, "sh", ...args], {
            cwd: ROOT,
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, PATH: pathWithout(join(ROOT, "node_modules", ".bin")) },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        const timer = setTimeout(() => child.kill(), 120_000);
        child.once("error", (e) => (stderr += String(e)));
        child.once("close", (status) => {
            clearTimeout(timer);
            resolve({ status, stdout, stderr });
        });
    });
}

/** Runs `jobs` two at a time (the machine has two cores); the results in order. */
async function twoAtATime<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
    const results: T[] = new Array(jobs.length);
    let next = 0;
    const lane = async () => {
        while (next < jobs.length) {
            const i = next++;
            results[i] = await jobs[i]();
        }
    };
    await Promise.all([lane(), lane()]);
    return results;
}

describe("the argument parser", () => {
    const spec = {
        name: "demo",
        summary: "A demo.",
        options: { stack: { type: "string", value: "NAME", short: "s", description: "the stack" }, json: { type: "boolean", description: "JSON" } },
        details: "Exit code: 0.",
    } as const;

    it("reads long, short and inline forms; refuses the rest naming the option", () => {
        expect(parseCommandArgs(spec, ["--stack", "a", "--json"])).toEqual({ stack: "a", json: true });
        expect(parseCommandArgs(spec, ["-s", "a"])).toEqual({ stack: "a" });
        expect(parseCommandArgs(spec, ["--stack=a=b"])).toEqual({ stack: "a=b" });
        expect(parseCommandArgs(spec, [])).toEqual({});
        for (const [argv, message] of [
            [["--stak", "a"], 'unknown option "--stak"'],
            [["-x"], 'unknown option "-x"'],
            [["--stack"], "--stack: expects a value (NAME)"],
            [["--stack", "--json"], "--stack: expects a value (NAME)"],
            [["--json=1"], '--json: takes no value (got "1")'],
            [["a"], 'unexpected argument "a"'],
            [["--", "a"], 'unexpected argument "a"'],
            [["--toString"], 'unknown option "--toString"'],
        ] as const) {
            expect(() => parseCommandArgs(spec, argv)).toThrow(ArgsError);
            expect(() => parseCommandArgs(spec, argv)).toThrow(message);
        }
    });

    it("help: asked anywhere before --, and a text listing every option", () => {
        expect(wantsHelp(["--json", "-h"])).toBe(true);
        expect(wantsHelp(["--help"])).toBe(true);
        expect(wantsHelp(["--", "--help"])).toBe(false);
        expect(wantsHelp(["--json"])).toBe(false);
        expect(usageLine(spec)).toBe("usage: npm run demo -- [--stack NAME] [--json] [--help]");
        expect(helpText(spec)).toBe(
            "A demo.\n\nusage: npm run demo -- [--stack NAME] [--json] [--help]\n\noptions:\n" +
                "  -s, --stack NAME  the stack\n  --json            JSON\n  -h, --help        print this help and exit\n\nExit code: 0.\n",
        );
    });
});

describe("every command", () => {
    /** What would be rewritten by the commands that write files, were --help or a bad argument not to stop them first. */
    const files = ["Pulumi.yaml", "README.md", "docs/PERFORMANCE.md", "analysis/powershell/profile-5.1.json"].map((f) => join(ROOT, f));
    const benchOut = join(mkdtempSync(join(tmpdir(), "nova-cli-")), "bench.json");
    /** Every command with --help and with an unknown option, and the writing commands' help and bad arguments next to the options that would write. */
    const calls: [string, string[]][] = [
        ...COMMANDS.flatMap((c): [string, string[]][] => [[c, ["--help"]], [c, ["--no-such-option"]]]),
        ["perf-doc", ["-h"]],
        ["bench", ["--doc", "--out", benchOut, "--help"]],
        ["project-file", ["--bogus"]],
        ["perf-doc", ["extra"]],
        ["ps-profile", ["--source"]],
        ["bench", ["--doc", "--out", benchOut, "--runs", "0"]],
    ];
    const runs = new Map<string, Run>();
    const ran = (command: string, args: string[]): Run => {
        const r = runs.get(JSON.stringify([command, args]));
        if (r === undefined) throw new Error(`${command} ${args.join(" ")} was not run`);
        return r;
    };
    let before: number[] = [];
    let after: number[] = [];
    // Each run once, all before the tests read them: the files' times are taken before the first and after the last.
    beforeAll(async () => {
        before = files.map((f) => statSync(f).mtimeMs);
        const results = await twoAtATime(calls.map(([c, a]) => () => scriptRun(c, a)));
        calls.forEach(([c, a], i) => runs.set(JSON.stringify([c, a]), results[i]));
        after = files.map((f) => statSync(f).mtimeMs);
    }, 300_000);

    it("is in package.json", () => {
        expect(COMMANDS).toEqual(expect.arrayContaining(["plan", "drift", "verify", "bench", "perf-doc", "project-file", "adopt", "ps-profile"]));
    });

    for (const command of COMMANDS) {
        it(`${command}: --help prints its usage and exits 0; an unknown option exits 1 naming it`, () => {
            const help = ran(command, ["--help"]);
            expect(help.status).toBe(0);
            expect(help.stdout).toContain(`usage: npm run ${command}`);
            expect(help.stdout).toContain("-h, --help");
            expect(help.stderr).toBe("");
            const bad = ran(command, ["--no-such-option"]);
            expect(bad.status).toBe(1);
            expect(bad.stdout).toBe("");
            expect(bad.stderr).toContain('unknown option "--no-such-option"');
            expect(bad.stderr).toContain(`usage: npm run ${command}`);
        });
    }

    it("through npm run -s as well: npm adds nothing to the help, and passes an unknown option's exit 1 and message on", () => {
        const help = npmRun("project-file", ["--help"]);
        expect(help).toEqual(ran("project-file", ["--help"]));
        expect(help.status).toBe(0);
        expect(help.stdout).toContain("usage: npm run project-file");
        const bad = npmRun("project-file", ["--no-such-option"]);
        expect(bad).toEqual(ran("project-file", ["--no-such-option"]));
        expect(bad.status).toBe(1);
        expect(bad.stderr).toContain('unknown option "--no-such-option"');
    }, 120_000);

    it("--help and bad arguments rewrite no file, even next to options that would (project-file, perf-doc, bench --doc, ps-profile)", () => {
        expect(ran("project-file", ["--help"]).status).toBe(0);
        expect(ran("perf-doc", ["-h"]).status).toBe(0);
        expect(ran("bench", ["--doc", "--out", benchOut, "--help"]).status).toBe(0);
        expect(ran("ps-profile", ["--help"]).status).toBe(0);
        expect(ran("project-file", ["--bogus"]).status).toBe(1);
        expect(ran("perf-doc", ["extra"]).status).toBe(1);
        expect(ran("ps-profile", ["--source"]).status).toBe(1);
        expect(ran("bench", ["--doc", "--out", benchOut, "--runs", "0"]).status).toBe(1);
        expect(after).toEqual(before);
        expect(existsSync(benchOut)).toBe(false);
    });
});

describe("machine-readable output", () => {
    it("`npm run -s plan -- --json` prints JSON only; the stack note goes to stderr", () => {
        const r = npmRun("plan", ["--json"]);
        expect(r.status).toBe(0);
        expect(JSON.parse(r.stdout).stack).toBe("prod");
        expect(r.stderr).toBe("plan: stack prod (default: the Pulumi CLI is not installed; --stack NAME for another)\n");
    }, 120_000);

    it("a closed stdout (the reader gone, as with `| head`) ends quietly", async () => {
        const child = spawn(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--transpile-only", join(ROOT, "scripts/plan/main.ts"), "--stack", "prod", "--json"], {
            cwd: ROOT,
            stdio: ["ignore", "pipe", "pipe"],
        });
        child.stdout.destroy();
        let stderr = "";
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        expect(stderr).toBe("");
        expect(code).toBe(0);
    }, 120_000);
});

describe("the default stack", () => {
    const fakePulumi = (script: string): string => {
        const dir = mkdtempSync(join(tmpdir(), "nova-fake-pulumi-"));
        writeFileSync(join(dir, "pulumi"), `#!/bin/sh\n${script}\n`);
        chmodSync(join(dir, "pulumi"), 0o755);
        return dir;
    };

    it("is the stack selected in the Pulumi CLI, else prod, and says which", () => {
        const notes: string[] = [];
        const note = (t: string) => notes.push(t);
        expect(chooseStack("qa", "plan", ROOT, note, () => ({ stack: "staging" }))).toBe("qa");
        expect(notes).toEqual([]);
        expect(chooseStack(undefined, "plan", ROOT, note, () => ({ stack: "staging" }))).toBe("staging");
        expect(chooseStack(undefined, "drift", ROOT, note, () => ({ none: "no stack is selected in the Pulumi CLI" }))).toBe("prod");
        expect(notes).toEqual([
            "plan: stack staging (selected in the Pulumi CLI; --stack NAME for another)\n",
            "drift: stack prod (default: no stack is selected in the Pulumi CLI; --stack NAME for another)\n",
        ]);
    });

    it("asks `pulumi stack --show-name`; a missing CLI (ENOENT) or no selected stack is no error", () => {
        expect(readSelectedStack(ROOT, { PATH: pathWithout() })).toEqual({ none: "the Pulumi CLI is not installed" });
        const args = join(mkdtempSync(join(tmpdir(), "nova-args-")), "args");
        expect(readSelectedStack(ROOT, { PATH: pathWithout(fakePulumi(`echo "$@" > ${args}; echo staging`)) })).toEqual({ stack: "staging" });
        expect(readFileSync(args, "utf8")).toBe("stack --show-name\n");
        const none = fakePulumi("echo 'error: no stack selected' >&2; exit 255");
        expect(readSelectedStack(ROOT, { PATH: pathWithout(none) })).toEqual({ none: "no stack is selected in the Pulumi CLI" });
    });

    it("reaches the commands: plan without --stack plans the selected stack", () => {
        const r = npmRun("plan", ["--json"], { PATH: pathWithout(fakePulumi("echo staging")) });
        expect(r.status).toBe(0);
        expect(JSON.parse(r.stdout).stack).toBe("staging");
        expect(r.stderr).toBe("plan: stack staging (selected in the Pulumi CLI; --stack NAME for another)\n");
    }, 120_000);
});
