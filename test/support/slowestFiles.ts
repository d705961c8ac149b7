/**
 * Vitest reporter (vitest.config.ts): at the end of `npm test`, the wall time of the 10 slowest test
 * files (from the file's start to its end, imports included), so a file that grows slow shows up.
 */
import type { Reporter, TestModule } from "vitest/node";

export const SHOWN = 10;

/** The lines printed for these files: slowest first, seconds with one decimal. */
export function slowestLines(files: readonly { readonly name: string; readonly ms: number }[], shown = SHOWN): string[] {
    const top = [...files].sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name)).slice(0, shown);
    const width = Math.max(0, ...top.map((f) => (f.ms / 1000).toFixed(1).length));
    return [`Slowest ${top.length} test files:`, ...top.map((f) => `  ${(f.ms / 1000).toFixed(1).padStart(width)} s  ${f.name}`)];
}

export default class SlowestFiles implements Reporter {
    onTestRunEnd(modules: readonly TestModule[]): void {
        const files = modules.map((m) => {
            const d = m.diagnostic();
            return { name: m.relativeModuleId, ms: d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration };
        });
        if (files.length > 0) process.stdout.write(`\n${slowestLines(files).join("\n")}\n`);
    }
}
