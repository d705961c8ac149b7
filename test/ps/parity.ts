/**
 * Model parity (docs/HOST-MODEL.md): the step results of the scenarios that run in both host modes. A
 * Pester file run with `-Record` appends one JSON line per step run (test/ps/host/Record.ps1); here each
 * becomes an entry `<test> #<n>`: the step, create|audit|delete, the exit code, ok (exit 0 and every item
 * ok), the changed list and the items (name and ok; their values hold ports, SIDs and paths of the run).
 * test/ps/parity/expected.json holds the model run's entries (`npm run parity:update`, test/ps/psSuites.test.ts);
 * the Windows host job compares its real run with it: `ts-node test/ps/parity.ts <records folder>` prints
 * every difference and exits 1 on any.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const EXPECTED_FILE = resolve(__dirname, "parity/expected.json");

export interface ParityEntry {
    readonly step: string;
    readonly mode: string;
    readonly exitCode: number;
    readonly ok: boolean;
    readonly changed: readonly string[];
    readonly items: readonly { readonly item: string; readonly ok: boolean }[];
}

/** Pester file -> `<test> #<n>` -> entry. */
export type ParityFile = Record<string, Record<string, ParityEntry>>;

interface StepRecord {
    test: string;
    n: number;
    step: string;
    mode: string;
    exitCode: number;
    line: string | null;
}

/** A changed entry without what differs from run to run: the content hash in a backup's name (`.env.bak-<hash>`). */
export function normalizeChange(change: string): string {
    return change.replace(/\.bak-[0-9a-f]{12}\b/g, ".bak-<hash>");
}

/** The entries of one Pester file's records (the JSON lines Record.ps1 appended). */
export function parityEntries(recordsText: string): Record<string, ParityEntry> {
    const entries: Record<string, ParityEntry> = {};
    for (const text of recordsText.split("\n").filter((l) => l.trim() !== "")) {
        const r = JSON.parse(text) as StepRecord;
        const json = (r.line ? JSON.parse(r.line) : {}) as { changed?: string[]; items?: { item: string; ok: boolean }[] };
        const items = (json.items ?? []).map((i) => ({ item: i.item, ok: i.ok }));
        const key = `${r.test} #${r.n}`;
        if (key in entries) throw new Error(`parity: two records for ${key}`);
        entries[key] = { step: r.step, mode: r.mode, exitCode: r.exitCode, ok: r.exitCode === 0 && items.every((i) => i.ok), changed: (json.changed ?? []).map(normalizeChange), items };
    }
    return entries;
}

/** Every difference between the expected and the actual entries of the files in `actual`, as lines. */
export function parityDifferences(expected: ParityFile, actual: ParityFile): string[] {
    const out: string[] = [];
    for (const file of Object.keys(actual).sort()) {
        const want = expected[file] ?? {};
        const got = actual[file];
        if (!(file in expected)) out.push(`${file}: not in the expected file`);
        for (const key of [...new Set([...Object.keys(want), ...Object.keys(got)])].sort()) {
            const w = want[key];
            const g = got[key];
            if (w === undefined) out.push(`${file}: ${key}: ran (${g.step} ${g.mode}) but is not expected`);
            else if (g === undefined) out.push(`${file}: ${key}: expected (${w.step} ${w.mode}) but did not run`);
            else {
                for (const field of ["step", "mode", "exitCode", "ok", "changed", "items"] as const) {
                    const a = JSON.stringify(w[field]);
                    const b = JSON.stringify(g[field]);
                    if (a !== b) out.push(`${file}: ${key}: ${field}: model ${a}, real ${b}`);
                }
            }
        }
    }
    return out;
}

/** The file as committed: files and entries sorted, one entry per line, a final newline. */
export function formatParityFile(files: ParityFile): string {
    const blocks = Object.keys(files).sort().map((file) => {
        const lines = Object.keys(files[file]).sort().map((key) => `    ${JSON.stringify(key)}: ${JSON.stringify(files[file][key])}`);
        return `  ${JSON.stringify(file)}: {\n${lines.join(",\n")}\n  }`;
    });
    return `{\n${blocks.join(",\n")}\n}\n`;
}

export function readExpected(file = EXPECTED_FILE): ParityFile {
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ParityFile) : {};
}

/** The records folder's `<file>.steps.jsonl` of every Pester file the expected file lists. */
export function readActual(dir: string, expected: ParityFile): ParityFile {
    const actual: ParityFile = {};
    for (const file of Object.keys(expected)) {
        const path = join(dir, `${file}.steps.jsonl`);
        actual[file] = existsSync(path) ? parityEntries(readFileSync(path, "utf8")) : {};
    }
    return actual;
}

if (require.main === module) {
    const dir = process.argv[2];
    if (!dir) {
        process.stderr.write("usage: ts-node test/ps/parity.ts <folder of <file>.steps.jsonl records>\n");
        process.exit(1);
    }
    const expected = readExpected();
    const diff = parityDifferences(expected, readActual(resolve(dir), expected));
    if (diff.length > 0) {
        process.stderr.write(`model parity: ${diff.length} difference(s) between the model (test/ps/parity/expected.json) and this host:\n${diff.join("\n")}\n`);
        process.exit(1);
    }
    process.stdout.write(`model parity: ${Object.values(expected).reduce((n, f) => n + Object.keys(f).length, 0)} step results as the model's\n`);
}
