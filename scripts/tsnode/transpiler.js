/**
 * ts-node transpiler of this project (tsconfig.json, "ts-node" -> "transpiler"): TypeScript's own
 * `transpileModule`, as ts-node's --transpile-only uses it, with its output (code and source map) kept
 * on disk, keyed by the SHA-256 of the TypeScript version, the compiler options, the file name and the
 * source. `pulumi preview`/`up`, `npm run plan` and the scripts then transpile only the files that
 * changed since the last run. Output with diagnostics (a syntax error) is never kept. The cache is
 * .cache/ts-node, not committed (NOVA_TS_CACHE=off turns it off, NOVA_TS_CACHE=DIR moves it);
 * a file that cannot be written there is only not kept. Plain JavaScript: ts-node loads it before it
 * can load TypeScript. docs/PERFORMANCE.md, *Where the time goes*.
 */
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { join, resolve } = require("node:path");

const ROOT = resolve(__dirname, "../..");

function cacheDir() {
    const setting = process.env.NOVA_TS_CACHE;
    if (setting === "off") return undefined;
    return setting ? resolve(setting) : join(ROOT, ".cache", "ts-node");
}

function create(createOptions) {
    const ts = createOptions.service.projectLocalResolveHelper("typescript", true);
    const typescript = require(ts);
    const compilerOptions = createOptions.service.config.options;
    const salt = `${typescript.version}\n${JSON.stringify(compilerOptions)}\n`;
    const dir = cacheDir();
    let made = false;
    return {
        transpile(input, { fileName }) {
            const key = dir && createHash("sha256").update(salt).update(`${fileName}\n`).update(input).digest("hex");
            const path = dir && join(dir, `${key}.json`);
            if (path) {
                try {
                    return JSON.parse(readFileSync(path, "utf8"));
                } catch {
                    // not kept yet (or unreadable): transpile
                }
            }
            const result = typescript.transpileModule(input, { fileName, compilerOptions, reportDiagnostics: true });
            const output = { outputText: result.outputText, sourceMapText: result.sourceMapText };
            if (path && (result.diagnostics ?? []).length === 0) {
                try {
                    if (!made) mkdirSync(dir, { recursive: true });
                    made = true;
                    const temporary = `${path}.${process.pid}.tmp`;
                    writeFileSync(temporary, JSON.stringify(output));
                    renameSync(temporary, path);
                } catch {
                    // a read-only tree: not kept
                }
            }
            return { ...output, diagnostics: result.diagnostics };
        },
    };
}

module.exports = { create };
