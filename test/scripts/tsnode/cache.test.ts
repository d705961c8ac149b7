/**
 * scripts/tsnode/cache.js, the transpile cache ts-node loads from tsconfig.json: a second run loads the
 * kept output and transpiles nothing (ts-node's own compile, which TS_NODE_DEBUG traces, is not
 * reached), runs the same code, and its stack traces still point at the TypeScript source lines.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../../support/harness";

const PROBE = join(ROOT, "test", "support", "fixtures", "tsnodeProbe.ts");
const dir = mkdtempSync(join(tmpdir(), "nova-tscache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cache: string): { out: { value: number; where: string }; compiled: string[] } {
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--transpile-only", PROBE], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NOVA_TS_CACHE: cache, TS_NODE_DEBUG: "true" },
        timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const compiled = [...`${r.stdout}${r.stderr}`.matchAll(/module\._compile (\S+)/g)].map((m) => m[1]);
    return { out: JSON.parse(r.stdout.split("\n").filter((l) => l.startsWith("{")).pop() ?? "{}"), compiled };
}

describe("ts-node transpile cache", () => {
    it("transpiles a file once; the next run loads the kept output, with traces mapped to the source", () => {
        const first = run(dir);
        expect(first.compiled).toEqual([PROBE]);
        expect(readdirSync(dir).filter((f) => f.endsWith(".js"))).toHaveLength(1);
        const second = run(dir);
        expect(second.compiled).toEqual([]);
        expect(second.out).toEqual(first.out);
        expect(second.out.value).toBe(42);
        expect(second.out.where).toMatch(/tsnodeProbe\.ts:5:\d+\)?$/);
    });

    it("NOVA_TS_CACHE=off: every run transpiles, nothing is kept", () => {
        expect(run("off").compiled).toEqual([PROBE]);
        expect(run("off").compiled).toEqual([PROBE]);
    });
});
