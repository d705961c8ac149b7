import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // Several tests spawn ts-node or start local servers; the machine may be busy.
        testTimeout: 30_000,
        hookTimeout: 60_000,
    },
});
