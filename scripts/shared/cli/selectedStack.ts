/**
 * The stack a command works on when `--stack` is not given: the stack selected in the Pulumi CLI
 * (`pulumi stack --show-name`) when the CLI is installed and a stack is selected, else `prod`. The
 * command says on stderr which one it took and why.
 */
import { spawnSync } from "node:child_process";

export const DEFAULT_STACK = "prod";

/** The selected stack, or why there is none. */
export type SelectedStack = { readonly stack: string } | { readonly none: string };

/** Asks the Pulumi CLI, from `cwd` (the project directory). */
export type SelectedStackReader = (cwd: string) => SelectedStack;

export const readSelectedStack = (cwd: string, env: NodeJS.ProcessEnv = process.env): SelectedStack => {
    const r = spawnSync("pulumi", ["stack", "--show-name"], {
        cwd,
        encoding: "utf8",
        timeout: 30_000,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    if (r.error) {
        const code = (r.error as NodeJS.ErrnoException).code;
        return { none: code === "ENOENT" ? "the Pulumi CLI is not installed" : `\`pulumi stack --show-name\` failed (${code ?? r.error.message})` };
    }
    const name = r.stdout.trim();
    if (r.status !== 0 || !/^[A-Za-z0-9_.-]+$/.test(name)) return { none: "no stack is selected in the Pulumi CLI" };
    return { stack: name };
};

/** `given`, else the selected stack, else `prod`; says on stderr which default it took. */
export function chooseStack(given: string | undefined, command: string, cwd: string, stderr: (text: string) => void, reader: SelectedStackReader = readSelectedStack): string {
    if (given !== undefined) return given;
    const selected = reader(cwd);
    if ("stack" in selected) {
        stderr(`${command}: stack ${selected.stack} (selected in the Pulumi CLI; --stack NAME for another)\n`);
        return selected.stack;
    }
    stderr(`${command}: stack ${DEFAULT_STACK} (default: ${selected.none}; --stack NAME for another)\n`);
    return DEFAULT_STACK;
}
