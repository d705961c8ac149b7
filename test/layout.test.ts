/**
 * The layout of the repository (docs/ARCHITECTURE.md): arrows one way between the rooms, no grab-bag
 * folders, small files. Each check lists its offenders, so a failure says what to move or split.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/harness";

const SKIP = new Set(["node_modules", ".tools", ".git", "bin"]);
const MAX_LINES = 300;
/** Kept at its path: it is on the command line of every WinRM host step in the stack state. */
const PINNED_ENTRIES = ["scripts/winrmRun.ts"];

function walk(dir: string): string[] {
    return readdirSync(join(ROOT, dir)).flatMap((name) => {
        const path = dir ? `${dir}/${name}` : name;
        if (SKIP.has(name) || name.startsWith(".")) return [];
        return statSync(join(ROOT, path)).isDirectory() ? walk(path) : [path];
    });
}

const files = walk("");
const sources = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.startsWith("policy/node_modules/"));
const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|\bvi\.mock\s*\(\s*|^import\s+)["'](\.\.?(?:\/[^"'\n]*)?)["']/gm;

/** The files a source file imports by relative path, as repository paths. */
function importsOf(file: string, text: string): string[] {
    return [...text.matchAll(SPECIFIER)].flatMap((m) => {
        const base = normalize(join(dirname(file), m[1]));
        const found = [base, `${base}.ts`, `${base}/index.ts`, `${base}.json`].find((c) => existsSync(join(ROOT, c)) && statSync(join(ROOT, c)).isFile());
        return found ? [relative(ROOT, join(ROOT, found)).split("\\").join("/")] : [];
    });
}

const graph = new Map(sources.map((f) => [f, importsOf(f, readFileSync(join(ROOT, f), "utf8"))]));
const edges = (from: (f: string) => boolean, to: (f: string) => boolean): string[] =>
    [...graph].flatMap(([f, targets]) => (from(f) ? targets.filter(to).map((t) => `${f} -> ${t}`) : []));

const isProgram = (f: string) => f === "index.ts" || f.startsWith("components/");
const commandOf = (f: string) => /^scripts\/([^/]+)\//.exec(f)?.[1];

describe("layout", () => {
    it("reads the import graph (the program's config imports the stack-file reader)", () => {
        expect(graph.get("components/config.ts")).toContain("components/config/stackFile.ts");
        expect(graph.get("policy/rules/psScript.ts")).toContain("analysis/powershell/grammar.ts");
    });

    it("the program (index.ts, components/) imports nothing from the tooling, the policy pack or the tests", () => {
        expect(edges(isProgram, (t) => /^(scripts|policy|analysis|test)\//.test(t))).toEqual([]);
    });

    it("only the tests import test code", () => {
        expect(edges((f) => !f.startsWith("test/"), (t) => t.startsWith("test/"))).toEqual([]);
    });

    it("PowerShell analysis depends on nothing of the tooling or the policy pack", () => {
        expect(edges((f) => f.startsWith("analysis/"), (t) => /^(scripts|policy)\//.test(t))).toEqual([]);
    });

    it("a command does not import another command: what two commands share is under scripts/shared/", () => {
        const cross = edges(
            (f) => commandOf(f) !== undefined && commandOf(f) !== "shared",
            (t) => commandOf(t) !== undefined && commandOf(t) !== "shared",
        ).filter((e) => commandOf(e.split(" -> ")[0]) !== commandOf(e.split(" -> ")[1]));
        expect(cross).toEqual([]);
    });

    it("each command is a folder with its entry (scripts/<command>/main.ts)", () => {
        const loose = files.filter((f) => /^scripts\/[^/]+\.ts$/.test(f) && !PINNED_ENTRIES.includes(f));
        expect(loose).toEqual([]);
        const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
        const entries = Object.values(scripts).flatMap((s) => /ts-node --transpile-only (\S+)/.exec(s)?.[1] ?? []);
        expect(entries.filter((e) => !/^scripts\/[^/]+\/main\.ts$/.test(e) || !existsSync(join(ROOT, e)))).toEqual([]);
    });

    it("no folder named lib, utils or helpers holds more than one file", () => {
        const dirs = [...new Set(files.map((f) => dirname(f)))].filter((d) => /(^|\/)(lib|utils?|helpers|misc|common)$/.test(d));
        expect(dirs.filter((d) => files.filter((f) => dirname(f) === d).length > 1)).toEqual([]);
    });

    it(`no source file is over ${MAX_LINES} lines`, () => {
        const long = sources
            .map((f) => [f, readFileSync(join(ROOT, f), "utf8").replace(/\n$/, "").split("\n").length] as const)
            .filter(([, n]) => n > MAX_LINES)
            .map(([f, n]) => `${f}: ${n} lines`);
        expect(long).toEqual([]);
    });

    it("test/ mirrors the source tree: each test folder is named after a source folder", () => {
        const testDirs = [...new Set(files.filter((f) => f.startsWith("test/") && f.endsWith(".test.ts")).map((f) => dirname(f)))];
        const unmirrored = testDirs.filter((d) => d !== "test" && d !== "test/ps" && d !== "test/support" && !existsSync(join(ROOT, d.slice("test/".length))));
        expect(unmirrored).toEqual([]);
    });
});
