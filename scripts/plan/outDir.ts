/**
 * A directory of generated files that a command owns: it lists what it wrote in a manifest, and the
 * next run removes exactly those files (and the directories they emptied) before writing, so no
 * file of an earlier run (another stack, a removed host) stays behind. Nothing it did not write is
 * ever removed: a directory that holds files but no manifest is refused.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";

/** The manifest: one relative path a line, the files the last run wrote. */
export const MANIFEST = ".nova-generated-files";

export interface OwnedFile {
    /** Relative path inside the directory, with `/`. */
    readonly path: string;
    readonly content: string;
}

/** A relative path that stays inside the directory (`a/b.txt`, not `../x`, `/x` or `C:\x`). */
function isInside(path: string): boolean {
    if (path === "" || isAbsolute(path) || /^[A-Za-z]:/.test(path) || path.includes("\\")) return false;
    const n = normalize(path);
    return n !== "." && n !== ".." && !n.startsWith(`..${sep}`) && n !== MANIFEST;
}

function readManifest(dir: string): string[] {
    return readFileSync(join(dir, MANIFEST), "utf8").split("\n").filter((l) => l !== "");
}

/** Removes the files of the last run and the directories that leaves empty; returns what it removed. */
function removeOwned(dir: string): string[] {
    const removed: string[] = [];
    const dirs = new Set<string>();
    for (const path of readManifest(dir)) {
        if (!isInside(path)) continue;
        const file = join(dir, path);
        let stat;
        try {
            stat = lstatSync(file);
        } catch {
            continue;
        }
        if (stat.isDirectory()) continue;
        unlinkSync(file);
        removed.push(path);
        for (let d = dirname(path); d !== "." && d !== ""; d = dirname(d)) dirs.add(d);
    }
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
        const full = join(dir, d);
        if (existsSync(full) && lstatSync(full).isDirectory() && readdirSync(full).length === 0) rmdirSync(full);
    }
    unlinkSync(join(dir, MANIFEST));
    return removed;
}

/**
 * Throws when `dir` cannot take the files: it is a file, or holds files but no manifest (a directory
 * this command did not make). Changes nothing: a command calls it before doing its work.
 */
export function checkOutDir(dir: string, option = "--out"): void {
    if (!existsSync(dir)) return;
    if (!statSync(dir).isDirectory()) throw new Error(`${option} ${dir}: is a file, expected a directory (new, empty, or written by an earlier run)`);
    if (!existsSync(join(dir, MANIFEST)) && readdirSync(dir).length > 0) {
        throw new Error(`${option} ${dir}: the directory holds files this command did not write (no ${MANIFEST}); give a new or empty directory`);
    }
}

/** Makes `dir` ready for a new set of files (checkOutDir, then the files of the last run removed); returns those. */
export function prepareOutDir(dir: string, option = "--out"): string[] {
    checkOutDir(dir, option);
    return existsSync(join(dir, MANIFEST)) ? removeOwned(dir) : [];
}

/** Writes the files and their manifest into a directory made ready by `prepareOutDir`; returns their paths. */
export function writeOwnedFiles(dir: string, files: readonly OwnedFile[]): string[] {
    for (const f of files) {
        if (!isInside(f.path)) throw new Error(`not a relative path inside the output directory: ${f.path}`);
        // After prepareOutDir nothing of ours is left: a file in the way is someone else's.
        if (existsSync(join(dir, f.path))) throw new Error(`${join(dir, f.path)}: exists and was not written by an earlier run; not overwriting it`);
    }
    mkdirSync(dir, { recursive: true });
    // The manifest first: a run that fails halfway leaves what it wrote listed for the next one.
    writeFileSync(join(dir, MANIFEST), files.map((f) => `${f.path}\n`).join(""));
    for (const f of files) {
        const file = join(dir, f.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, f.content);
    }
    return files.map((f) => f.path);
}
