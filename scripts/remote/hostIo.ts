/**
 * The process-level dependencies every command that reaches the stack's hosts takes (drift, status, logs):
 * the terminal, the stack's secrets through the Pulumi CLI, the SSH/WinRM runner and the key files.
 * Tests pass their own; only the commands' entry points use this.
 */
import { readFileSync } from "node:fs";
import { readStackSecretsWithCli } from "../drift/stackSecrets";
import { processIo } from "../lib/cli";
import { runRemote } from "./run";

export function hostCommandIo(rootDir: string) {
    return {
        rootDir,
        ...processIo,
        readSecrets: readStackSecretsWithCli,
        runRemote,
        readFile: (p: string) => readFileSync(p, "utf8"),
    };
}
