/**
 * Every command as a person runs it (`npm run -s <command> -- ...`): --help, unknown options, help
 * that writes nothing, a closed stdout, the default stack.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArgsError, helpText, parseCommandArgs, usageLine, wantsHelp } from "../../../../scripts/shared/cli/args";
import { chooseStack, readSelectedStack } from "../../../../scripts/shared/cli/selectedStack";
import { ROOT } from "../../../support/harness";

/** The commands: every npm script but the test ones (a command added later is covered too). */
const COMMANDS = Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts).filter(
    (n) => n !== "test" && n !== "typecheck",
);

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
    it("is in package.json", () => {
        expect(COMMANDS).toEqual(expect.arrayContaining(["plan", "drift", "verify", "bench", "perf-doc", "project-file", "adopt", "ps-profile"]));
    });

    for (const command of COMMANDS) {
        it(`${command}: --help prints its usage and exits 0; an unknown option exits 1 naming it`, () => {
            const help = npmRun(command, ["--help"]);
            expect(help.status).toBe(0);
            expect(help.stdout).toContain(`usage: npm run ${command}`);
            expect(help.stdout).toContain("-h, --help");
            expect(help.stderr).toBe("");
            const bad = npmRun(command, ["--no-such-option"]);
            expect(bad.status).toBe(1);
            expect(bad.stdout).toBe("");
            expect(bad.stderr).toContain('unknown option "--no-such-option"');
            expect(bad.stderr).toContain(`usage: npm run ${command}`);
        }, 120_000);
    }

    it("--help and bad arguments rewrite no file, even next to options that would (project-file, perf-doc, bench --doc, ps-profile)", () => {
        const files = ["Pulumi.yaml", "README.md", "docs/PERFORMANCE.md", "analysis/powershell/profile-5.1.json"].map((f) => join(ROOT, f));
        const before = files.map((f) => statSync(f).mtimeMs);
        const benchOut = join(mkdtempSync(join(tmpdir(), "nova-cli-")), "bench.json");
        expect(npmRun("project-file", ["--help"]).status).toBe(0);
        expect(npmRun("perf-doc", ["-h"]).status).toBe(0);
        expect(npmRun("bench", ["--doc", "--out", benchOut, "--help"]).status).toBe(0);
        expect(npmRun("ps-profile", ["--help"]).status).toBe(0);
        expect(npmRun("project-file", ["--bogus"]).status).toBe(1);
        expect(npmRun("perf-doc", ["extra"]).status).toBe(1);
        expect(npmRun("ps-profile", ["--source"]).status).toBe(1);
        expect(npmRun("bench", ["--doc", "--out", benchOut, "--runs", "0"]).status).toBe(1);
        expect(files.map((f) => statSync(f).mtimeMs)).toEqual(before);
        expect(existsSync(benchOut)).toBe(false);
    }, 120_000);
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
