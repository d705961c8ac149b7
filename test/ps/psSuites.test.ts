/**
 * The PowerShell suites (test/ps/*.Tests.ps1): the generated host scripts executed by a real
 * PowerShell (pwsh 7, installed by `npm run setup:pwsh`) against the Windows host model
 * (test/ps/model, docs/HOST-MODEL.md). One pwsh process per Pester file; each fails this test on any
 * failed Pester test. Without pwsh the suites are skipped with a note saying how to get it, unless
 * NOVA_REQUIRE_PWSH=1 (set by .ci/run), where a missing pwsh fails. Host mode: NOVA_HOST_MODE (model by
 * default; run-pester.ps1 runs the tests tagged Model). The step results of the scenarios of both modes are
 * recorded and checked against test/ps/parity/expected.json (model parity); NOVA_PARITY_UPDATE=1
 * (`npm run parity:update`) writes that file instead.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXPECTED_FILE, formatParityFile, type ParityFile, parityDifferences, parityEntries, readExpected } from "./parity";
import { hostMode, preparePsSuite, STACKS } from "./prepare";
import { findPwsh, PESTER, PWSH_ENV } from "./pwsh";

const ROOT = resolve(__dirname, "../..");
const pwsh = findPwsh();
const ready = pwsh !== undefined && existsSync(PESTER);
const required = process.env.NOVA_REQUIRE_PWSH === "1";
const files = readdirSync(join(__dirname)).filter((f) => f.endsWith(".Tests.ps1")).sort();

interface PesterSummary {
    passed: number;
    failed: number;
    skipped: number;
    notRun: number;
    containerErrors: string[];
    failures: { name: string; message: string }[];
    skips: { name: string; reason: string }[];
    /** Every test with its top-level block, its own name (unexpanded) and the host modes it runs in. */
    tests: { name: string; top: string; it: string; modes: string[] }[];
    durationSeconds: number;
}

const totals = { passed: 0, failed: 0, skipped: 0, seconds: 0 };
/** The parity entries of the files run here that ran scenarios of both modes. */
const recorded: ParityFile = {};
/** The tests only the model runs, by top-level block (or by test, inside a block of both modes). */
const modelOnly = new Set<string>();

function addModelOnly(tests: PesterSummary["tests"]): void {
    const only = (t: PesterSummary["tests"][number]) => t.modes.length === 1 && t.modes[0] === "Model";
    for (const top of new Set(tests.map((t) => t.top))) {
        const inBlock = tests.filter((t) => t.top === top);
        if (inBlock.every(only)) modelOnly.add(top);
        else for (const t of inBlock.filter(only)) modelOnly.add(t.it);
    }
}

/**
 * How many Pester files run at once. Two: on 2 cores two pwsh processes keep both busy while one waits
 * (on its app, its native programs); the longest files go first (runOrder) so the lanes end together.
 */
const LANES = 2;
/** The files known to take longest, started first; any other file follows in name order. */
const LONGEST_FIRST = ["Faults.Tests.ps1", "HostCycle.Tests.ps1", "WindowsBehaviour.Tests.ps1", "Restore.Tests.ps1", "Guide.Tests.ps1", "WindowsAcl.Tests.ps1"];

function runOrder(names: readonly string[]): string[] {
    const rank = (f: string) => (LONGEST_FIRST.includes(f) ? LONGEST_FIRST.indexOf(f) : LONGEST_FIRST.length);
    return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

type RunResult = { r: PesterSummary; log: string };

/** Runs one Pester file in its own pwsh on the suite folder `dir`; its summary and the step runs it recorded. */
async function runPester(dir: string, file: string): Promise<RunResult> {
    const out = join(dir, `${file}.result.json`);
    const record = join(dir, `${file}.steps.jsonl`);
    const args = ["-NoProfile", "-NonInteractive", "-File", join(__dirname, "run-pester.ps1"), "-Path", join(__dirname, file), "-Out", out, "-Pester", PESTER, "-Record", record];
    const log = await new Promise<string>((ok, fail) => {
        const child = spawn(pwsh!, args, { env: { ...process.env, ...PWSH_ENV, NOVA_PS_SUITE: dir }, stdio: ["ignore", "pipe", "pipe"] });
        let text = "";
        child.stdout.on("data", (d: Buffer) => (text += d.toString()));
        child.stderr.on("data", (d: Buffer) => (text += d.toString()));
        const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
        child.once("error", fail);
        child.once("close", () => {
            clearTimeout(timer);
            ok(text);
        });
    });
    if (!existsSync(out)) throw new Error(`${file}: Pester wrote no result:\n${log.slice(-20000)}`);
    const r = JSON.parse(readFileSync(out, "utf8")) as PesterSummary;
    if (existsSync(record)) recorded[file] = parityEntries(readFileSync(record, "utf8"));
    return { r, log };
}

if (!ready) {
    const how = "PowerShell suites: pwsh 7.6.9 and Pester 5.7.1 are not installed: run `npm run setup:pwsh` (needs the .NET SDK)";
    if (required) {
        it("PowerShell suites are installed (NOVA_REQUIRE_PWSH=1)", () => {
            throw new Error(`${how}; NOVA_REQUIRE_PWSH=1 makes this a failure`);
        });
    } else {
        process.stdout.write(`${how}; skipped.\n`);
        it.skip(`${files.length} PowerShell suite(s) skipped: pwsh not installed`, () => {});
    }
} else {
    describe("PowerShell suites", () => {
        const dirs: string[] = [];
        let stacks = "";
        let runs: Map<string, Promise<RunResult>> | undefined;
        afterAll(async () => {
            // every started file ends before its folder goes (a run filtered to some files still runs them all)
            if (runs) await Promise.allSettled(runs.values());
            for (const d of dirs) rmSync(d, { recursive: true, force: true });
            process.stdout.write(
                `PowerShell tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped (${files.length} files, ${totals.seconds.toFixed(1)} s in Pester; ${stacks})\n`,
            );
        }, 900_000);
        // LANES Pester files at once. Each lane has one suite folder, prepared once, with its own free app ports
        // (two lanes' apps never meet), and runs its files one after the other, each in its own pwsh.
        function startRuns(): Map<string, Promise<RunResult>> {
            const queue = runOrder(files);
            const settle = new Map<string, { ok: (r: RunResult) => void; fail: (e: unknown) => void }>();
            const results = new Map(queue.map((f) => [f, new Promise<RunResult>((ok, fail) => settle.set(f, { ok, fail }))]));
            for (const p of results.values()) p.catch(() => undefined); // each file's test reports its own failure
            const taken = new Set<number>();
            let prepared: Promise<unknown> = Promise.resolve();
            const lane = async (): Promise<void> => {
                let dir: string;
                try {
                    // one lane's suite folder after the other's, so the second's ports are free of the first's
                    dir = await (prepared = prepared.then(() => prepareLane(taken))) as string;
                } catch (e) {
                    for (const f of queue.splice(0)) settle.get(f)!.fail(e);
                    return;
                }
                for (let f = queue.shift(); f !== undefined; f = queue.shift()) await runPester(dir, f).then(settle.get(f)!.ok, settle.get(f)!.fail);
            };
            for (let i = 0; i < LANES; i++) void lane();
            return results;
        }
        async function prepareLane(taken: Set<number>): Promise<string> {
            for (let attempt = 0; ; attempt++) {
                const dir = mkdtempSync(join(tmpdir(), "nova-ps-suite-"));
                dirs.push(dir);
                const manifest = await preparePsSuite(dir);
                stacks = STACKS.map((st) => `${st}: ${manifest.variants[st].steps.length} steps, ${manifest.variants[st].transport}`).join("; ");
                const ports = [...new Set(Object.values(manifest.variants).map((v) => v.appPort))];
                if (ports.every((p) => !taken.has(p))) {
                    for (const p of ports) taken.add(p);
                    return dir;
                }
                if (attempt >= 5) throw new Error(`no app ports free of the other lanes' (${[...taken].join(", ")}) after ${attempt + 1} tries`);
            }
        }
        for (const file of files) {
            it(file, async () => {
                runs ??= startRuns();
                const { r, log } = await runs.get(file)!;
                addModelOnly(r.tests);
                totals.passed += r.passed;
                totals.failed += r.failed;
                totals.skipped += r.skipped;
                totals.seconds += r.durationSeconds;
                const skips = r.skips.map((x) => `  skipped: ${x.name}${x.reason ? ` (${x.reason})` : ""}`).join("\n");
                process.stdout.write(`${file}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped in ${r.durationSeconds} s\n${skips}${skips ? "\n" : ""}`);
                const problems = [...r.containerErrors, ...r.failures.map((f) => `${f.name}: ${f.message}`)];
                expect(problems, log.slice(-20000)).toEqual([]);
                expect(r.passed + r.skipped, `${file} ran no test`).toBeGreaterThan(0);
            }, 900_000); // a bound against a hung pwsh, not a speed goal: it includes the wait for the files before it in its lane
        }
        it("docs/HOST-MODEL.md lists every test only the model runs", () => {
            const doc = readFileSync(join(ROOT, "docs/HOST-MODEL.md"), "utf8").replace(/\\\|/g, "|");
            expect(modelOnly.size).toBeGreaterThan(0);
            expect([...modelOnly].filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
        });
        // Model parity: the model run's step results are the committed expected file (the real job compares with it).
        it.runIf(hostMode() === "model")("the step results of the scenarios of both modes are test/ps/parity/expected.json's", () => {
            expect(Object.keys(recorded).length, "no Pester file ran a scenario of both modes").toBeGreaterThan(0);
            if (process.env.NOVA_PARITY_UPDATE === "1") {
                writeFileSync(EXPECTED_FILE, formatParityFile({ ...readExpected(), ...recorded }));
                return;
            }
            const diff = parityDifferences(readExpected(), recorded);
            expect(diff, "test/ps/parity/expected.json is stale: run `npm run parity:update` and commit it").toEqual([]);
        });
    });
}
