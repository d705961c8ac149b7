/**
 * The node arguments Pulumi's Node language host passes to the program's process: Pulumi.yaml's
 * `runtime.options.nodeargs`, split at spaces as the language host splits them (pulumi/pulumi #8655,
 * v3.21.1). The bench gives them to the floor and to every case, so the ratios are those of
 * `pulumi preview` with the committed project file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** `nodeargs` of a Pulumi.yaml text; [] when it has none. */
export function nodeArgsOf(projectYaml: string): string[] {
    const project = parse(projectYaml) as { runtime?: unknown } | null;
    const runtime = project?.runtime;
    const options = runtime !== null && typeof runtime === "object" ? (runtime as { options?: Record<string, unknown> }).options : undefined;
    const value = options?.nodeargs;
    if (value === undefined) return [];
    if (typeof value !== "string") throw new Error(`Pulumi.yaml runtime.options.nodeargs: expected a string, got ${JSON.stringify(value)}`);
    return value.split(" ").filter((a) => a !== "");
}

/** `nodeargs` of the Pulumi.yaml in `root`. */
export function projectNodeArgs(root: string): string[] {
    return nodeArgsOf(readFileSync(join(root, "Pulumi.yaml"), "utf8"));
}
