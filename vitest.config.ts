import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Several tests spawn ts-node or start local servers; the machine may be busy.
        testTimeout: 30_000,
        hookTimeout: 60_000,
        // Most of the time goes to child processes (ts-node, pwsh, sshd, the language host): two files at
        // once keep both cores busy. Vitest's default on 2 cores is one worker (available cores - 1).
        maxWorkers: 2,
        // The usual output, then the 10 slowest test files.
        reporters: ["default", "./test/support/slowestFiles.ts"],
    },
});
