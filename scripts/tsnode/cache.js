/**
 * Transpile cache of this project's ts-node (tsconfig.json, "ts-node" -> "require": ts-node loads it
 * right after it registers, for `pulumi preview`/`up`, `npm run plan` and the scripts). When ts-node
 * only transpiles (tsconfig's noCheck, as Pulumi's Node language host reads it), each TypeScript file's
 * output (code with its inline source map, exactly as ts-node gave it) is kept in .cache/ts-node, not
 * committed, keyed by the SHA-256 of the TypeScript version, the compiler options, the path and the
 * source: a later run loads it instead of transpiling again, and its stack traces are still mapped to
 * the TypeScript source (the kept output is handed to source-map-support as ts-node does its own).
 * When ts-node type-checks, this does nothing. NOVA_TS_CACHE=off turns it off, NOVA_TS_CACHE=DIR
 * moves it; a file that cannot be written is only not kept. Plain JavaScript: loaded before any
 * TypeScript. docs/PERFORMANCE.md, *Where the time goes*.
 */
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { dirname, join, resolve } = require("node:path");

const ROOT = resolve(__dirname, "../..");
const service = process[Symbol.for("ts-node.register.instance")];
const setting = process.env.NOVA_TS_CACHE;
const dir = setting === "off" ? undefined : setting ? resolve(setting) : join(ROOT, ".cache", "ts-node");
const transpileOnly = service !== undefined && service.options.transpileOnly === true && service.options.typeCheck !== true;

if (dir !== undefined && transpileOnly) {
    const tsNode = dirname(require.resolve("ts-node/package.json"));
    const sourceMaps = require(require.resolve("@cspotcode/source-map-support", { paths: [tsNode] }));
    const salt = `${service.ts.version}\n${JSON.stringify(service.config.options)}\n`;
    /** Outputs loaded from the cache this run, by path: source-map-support reads their inline maps here. */
    const loaded = new Map();
    sourceMaps.install({ environment: "node", retrieveFile: (path) => loaded.get(path) });
    let made = false;
    for (const ext of service.extensions.compiled) {
        const compiled = require.extensions[ext];
        if (compiled === undefined) continue;
        require.extensions[ext] = function (m, filename) {
            if (service.ignored(filename)) return compiled(m, filename);
            const source = readFileSync(filename, "utf8");
            const path = join(dir, `${createHash("sha256").update(salt).update(`${filename}\n`).update(source).digest("hex")}.js`);
            let kept;
            try {
                kept = readFileSync(path, "utf8");
            } catch {
                kept = undefined;
            }
            const compile = m._compile;
            if (kept !== undefined) {
                // Compiled here, as Node's own .js loader would: not through require.extensions[".js"],
                // which ts-node also hooks (it adds ".js" when it cannot add ".mts"/".cts") and which would
                // transpile the TypeScript source again before handing its output on.
                loaded.set(filename, kept);
                return compile.call(m, kept, filename);
            }
            // ts-node wraps m._compile and hands the wrapper's inner call its output: keep that output.
            m._compile = function (output, fileName) {
                try {
                    if (!made) mkdirSync(dir, { recursive: true });
                    made = true;
                    const temporary = `${path}.${process.pid}.tmp`;
                    writeFileSync(temporary, output);
                    renameSync(temporary, path);
                } catch {
                    // a read-only tree: not kept
                }
                return compile.call(this, output, fileName);
            };
            return compiled(m, filename);
        };
    }
}
