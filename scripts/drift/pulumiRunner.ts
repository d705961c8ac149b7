/** The real Pulumi side of the drift command: CLI presence and the preview refresh. */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { edgeOutcome, type EdgeResult, refreshOptions } from "./edge";

export interface PulumiRunner {
    /** Runs the preview refresh of the stack; "unavailable" when it cannot (CLI missing, login, ...). */
    previewRefresh(stack: string, rootDir: string): Promise<EdgeResult>;
}

/** The first executable `name` on `path`, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ""): string | undefined {
    for (const dir of path.split(delimiter).filter((d) => d.length > 0)) {
        const candidate = join(dir, name);
        try {
            accessSync(candidate, constants.X_OK);
            return candidate;
        } catch {
            /* next */
        }
    }
    return undefined;
}

export const NO_CLI = "the Pulumi CLI is not installed (no `pulumi` on PATH)";

export const realPulumi: PulumiRunner = {
    async previewRefresh(stack, rootDir) {
        if (findOnPath("pulumi") === undefined) return { status: "unavailable", reason: NO_CLI };
        const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
        const events: EngineEvent[] = [];
        try {
            const s = await LocalWorkspace.selectStack({ stackName: stack, workDir: rootDir });
            await s.previewRefresh(refreshOptions((e) => events.push(e)));
            return edgeOutcome(events);
        } catch (err) {
            const e = err as { stderr?: string; message?: string };
            return edgeOutcome(events, e.stderr || e.message || String(err));
        }
    },
};
