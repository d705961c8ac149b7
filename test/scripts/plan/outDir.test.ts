/** `--out DIR`: a directory the plan owns through its manifest, cleaned of its own earlier files only. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeArtefacts } from "../../../scripts/plan/artefacts";
import { checkOutDir, MANIFEST, prepareOutDir, writeOwnedFiles } from "../../../scripts/plan/outDir";
import { plan, ROOT } from "../../support/harness";

const fresh = (): string => mkdtempSync(join(tmpdir(), "nova-out-"));

/** Every file under `dir`, relative, sorted. */
function tree(dir: string): string[] {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
        .sort();
}

describe("an owned output directory", () => {
    it("writes the files and lists them in its manifest", () => {
        const dir = join(fresh(), "new", "out");
        prepareOutDir(dir);
        expect(writeOwnedFiles(dir, [{ path: "a.txt", content: "a" }, { path: "sub/b.txt", content: "b" }])).toEqual(["a.txt", "sub/b.txt"]);
        expect(tree(dir)).toEqual([MANIFEST, "a.txt", "sub/b.txt"]);
        expect(readFileSync(join(dir, MANIFEST), "utf8")).toBe("a.txt\nsub/b.txt\n");
    });

    it("the next run removes what the last one wrote, and the directories that left empty, nothing else", () => {
        const dir = fresh();
        writeOwnedFiles(dir, [{ path: "old/x.txt", content: "x" }, { path: "keep/y.txt", content: "y" }, { path: "same.txt", content: "1" }]);
        writeFileSync(join(dir, "keep", "mine.txt"), "a file of the user's");
        writeFileSync(join(dir, "notes.md"), "the user's notes");
        expect(prepareOutDir(dir).sort()).toEqual(["keep/y.txt", "old/x.txt", "same.txt"]);
        writeOwnedFiles(dir, [{ path: "same.txt", content: "2" }]);
        expect(tree(dir)).toEqual([MANIFEST, "keep/mine.txt", "notes.md", "same.txt"]);
        expect(existsSync(join(dir, "old"))).toBe(false);
        expect(readFileSync(join(dir, "same.txt"), "utf8")).toBe("2");
    });

    it("never follows a manifest outside the directory", () => {
        const parent = fresh();
        const dir = join(parent, "out");
        mkdirSync(dir);
        writeFileSync(join(parent, "outside.txt"), "keep");
        writeFileSync(join(dir, MANIFEST), "../outside.txt\n/etc/hostname\nC:\\x\n");
        prepareOutDir(dir);
        expect(readFileSync(join(parent, "outside.txt"), "utf8")).toBe("keep");
        expect(readdirSync(dir)).toEqual([]);
        expect(() => writeOwnedFiles(dir, [{ path: "../escape.txt", content: "" }])).toThrow("not a relative path inside the output directory");
    });

    it("refuses a file, and a directory holding files it did not write (changing nothing)", () => {
        const dir = fresh();
        const file = join(dir, "plan.txt");
        writeFileSync(file, "text");
        expect(() => checkOutDir(file)).toThrow(`--out ${file}: is a file, expected a directory`);
        expect(() => prepareOutDir(dir)).toThrow(`--out ${dir}: the directory holds files this command did not write (no ${MANIFEST})`);
        expect(tree(dir)).toEqual(["plan.txt"]);
        expect(() => checkOutDir(join(dir, "absent"))).not.toThrow();
    });

    it("does not overwrite a file it did not write", () => {
        const dir = fresh();
        writeOwnedFiles(dir, [{ path: "a.txt", content: "a" }]);
        prepareOutDir(dir);
        writeFileSync(join(dir, "b.txt"), "the user's");
        expect(() => writeOwnedFiles(dir, [{ path: "b.txt", content: "ours" }])).toThrow("was not written by an earlier run");
        expect(readFileSync(join(dir, "b.txt"), "utf8")).toBe("the user's");
    });
});

describe("plan --out", () => {
    it("a second stack into the same directory leaves none of the first one's files", async () => {
        const dir = fresh();
        writeArtefacts(await plan("staging"), dir);
        expect(readdirSync(join(dir, "hosts"))).toEqual(["staging"]);
        writeArtefacts(await plan("prod"), dir);
        expect(readdirSync(join(dir, "hosts"))).toEqual(["rondot"]);
        expect(JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")).stack).toBe("prod");
        expect(readFileSync(join(dir, MANIFEST), "utf8").split("\n").filter(Boolean).sort()).toEqual(tree(dir).filter((f) => f !== MANIFEST));
    });

    it("from the command line: a file, a missing value and a foreign directory are refused before planning", () => {
        const dir = fresh();
        const file = join(dir, "plan.txt");
        writeFileSync(file, "text");
        const run = (args: string[]) =>
            spawnSync(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--transpile-only", join(ROOT, "scripts/plan/main.ts"), "--stack", "prod", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
        for (const [args, message] of [
            [["--out", file], "is a file, expected a directory"],
            [["--out"], "--out: expects a value (DIR)"],
            [["--out", dir], "holds files this command did not write"],
        ] as const) {
            const r = run([...args]);
            expect(r.status).toBe(1);
            expect(r.stdout).toBe("");
            expect(r.stderr).toContain(message);
        }
        expect(readFileSync(file, "utf8")).toBe("text");
    }, 120_000);
});
