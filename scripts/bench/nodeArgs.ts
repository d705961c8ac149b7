/**
 * The node arguments of the program's process: Pulumi.yaml's `runtime.options.nodeargs`, which Pulumi's
 * Node language host passes to node (added in Pulumi 3.21.1, pulumi/pulumi #8655, "Support a nodeargs
 * option for passing node arguments to the Node language host"). The bench gives them to the floor and
 * to every case, so the ratios are those of `pulumi preview` with the committed project file. They are
 * read as options separated by whitespace; a quote is refused, since what a quoted argument becomes
 * would depend on the language host's own splitting.
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
    if (typeof value !== "string" || /["']/.test(value)) {
        throw new Error(`Pulumi.yaml runtime.options.nodeargs: expected node options separated by spaces, without quotes, got ${JSON.stringify(value)}`);
    }
    return value.split(/\s+/).filter((a) => a !== "");
}

/** `nodeargs` of the Pulumi.yaml in `root`. */
export function projectNodeArgs(root: string): string[] {
    return nodeArgsOf(readFileSync(join(root, "Pulumi.yaml"), "utf8"));
}
