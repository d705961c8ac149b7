import { defineConfig } from "vitest/config";

/**
 * Files that keep a module registry of their own: one that replaces a module (vi.mock), which a shared
 * registry would pass on to the files after it, and the verify files, whose support module registers
 * its fake edge's beforeAll/afterAll when it is first evaluated (once per registry, so only for the
 * first file of a shared one).
 */
const OWN_MODULES = ["test/policy/plans.test.ts", "test/scripts/verify/*.test.ts"];

export default defineConfig({
    test: {
        // Several tests spawn ts-node or start local servers; the machine may be busy.
        testTimeout: 30_000,
        hookTimeout: 60_000,
        // Most of the time goes to child processes (ts-node, pwsh, sshd, the language host): two files at
        // once keep both cores busy. Vitest's default on 2 cores is one worker (available cores - 1).
        maxWorkers: 2,
        // The usual output, then the 10 slowest test files.
        reporters: ["default", "./test/support/slowestFiles.ts"],
        projects: [
            {
                extends: true,
                // The files of one worker share its loaded modules (the Pulumi SDKs, the program): loading
                // them once per file was about 105 s of CPU of `npm test`. Every file still builds its own
                // state: the mock runtime is set up per run (scripts/shared/planning/mockRuntime.ts), and
                // tests that change process.env, Date.now or Math.random put them back.
                test: { name: "shared", isolate: false, include: ["test/**/*.test.ts"], exclude: OWN_MODULES },
            },
            { extends: true, test: { name: "own-modules", include: OWN_MODULES } },
        ],
    },
});
