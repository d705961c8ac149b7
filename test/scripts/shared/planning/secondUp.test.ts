/**
 * What a second `up` runs. With nothing changed, the program registers the same inputs (triggers
 * included) in another process, so the engine finds no difference and runs no remote command. With one
 * key changed, on a 3-host stack derived from each committed stack, exactly the steps
 * docs/PERFORMANCE.md's re-run table lists for that key run again, on every host the key concerns
 * (all of them, except `hosts`, whose alternative moves the first host only).
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { STEP_ORDER } from "../../../../components/host/steps";
import type { ChildResult } from "../../../../scripts/bench/child";
import { isCommand } from "../../../../scripts/shared/planning/commands";
import { planOffline } from "../../../../scripts/shared/planning/plan";
import { RerunRow, rerunTable } from "../../../../scripts/perf-doc/rerun";
import { readStackFile } from "../../../../components/config/stackFile";
import { withHostCount } from "../../../../scripts/shared/planning/stackVariants";
import { program, ROOT } from "../../../support/harness";
import { tableStepsRerun } from "../../../ps/prepare";

const STACKS = ["prod", "staging"] as const;
const HOSTS = ["host-01", "host-02", "host-03"];

/** One plan of `stack` in a fresh process (the bench's child, as `pulumi preview` loads the program). */
function planInProcess(stack: string): Promise<ChildResult> {
    const args = [require.resolve("ts-node/dist/bin.js"), "--transpile-only", resolve(ROOT, "scripts/bench/child.ts"), stack];
    return new Promise((ok, fail) => {
        const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.once("error", fail);
        child.once("close", (code) => (code === 0 ? ok(JSON.parse(out.trim().split("\n").pop()!) as ChildResult) : fail(new Error(`${stack}: exit ${code}\n${err}`))));
    });
}

describe.each(STACKS)("a second up of %s with nothing changed", (stack) => {
    it("registers byte-identical inputs in two processes, and no command has triggers (nothing to update or replace)", async () => {
        const [first, second] = await Promise.all([planInProcess(stack), planInProcess(stack)]);
        expect(first.commands).toBeGreaterThan(5);
        expect(second.inputsSha256).toBe(first.inputsSha256);
        const here = await planOffline(readStackFile(stack, ROOT), program);
        const commands = here.run.resources.filter(isCommand);
        expect(commands.filter((r) => r.inputs.triggers !== undefined).map((r) => r.name)).toEqual([]);
    }, 60_000);
});

describe.each(STACKS)("one key changed on a 3-host %s stack", (stack) => {
    let rows: RerunRow[] = [];
    beforeAll(async () => {
        rows = await rerunTable(withHostCount(readStackFile(stack, ROOT), 3), (s) => planOffline(s, program), undefined, ROOT);
    }, 120_000);

    it("re-runs, on every host the key concerns, exactly the steps the re-run table lists", () => {
        expect(rows.length).toBeGreaterThan(40);
        for (const row of rows) {
            const listed = tableStepsRerun(stack, row.key);
            if (listed === undefined) {
                expect({ key: row.key, notApplicable: row.notApplicable !== undefined }).toEqual({ key: row.key, notApplicable: true });
                continue;
            }
            const hosts = row.key === "hosts" ? HOSTS.slice(0, 1) : HOSTS;
            const steps = STEP_ORDER.filter((s) => listed.includes(s));
            expect(steps).toHaveLength(listed.length);
            const want = hosts.flatMap((h) => steps.map((s) => `${h}-${s}`)).sort();
            expect({ key: row.key, rerun: row.commandsRerun, replaced: row.commandsReplaced }).toEqual({ key: row.key, rerun: want, replaced: [] });
        }
    });
});
