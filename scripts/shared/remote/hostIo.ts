/**
 * The process-level dependencies every command that reaches the stack's hosts takes (drift, status, logs):
 * the terminal, the stack's secrets through the Pulumi CLI, the SSH/WinRM runner and the key files.
 * Tests pass their own; only the commands' entry points use this.
 */
import { readFileSync } from "node:fs";
import { readStackSecretsWithCli, type StackSecretsReader } from "../audit/stackSecrets";
import { processIo } from "../cli/cli";
import { runRemote, type RemoteRunner } from "./run";

/** What drift, status and logs take to reach the stack's hosts. */
export interface HostCommandDeps {
    /** Directory holding Pulumi.yaml and the `Pulumi.<stack>.yaml` files. */
    readonly rootDir: string;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Decrypted stack configuration and tunnel token. */
    readonly readSecrets: StackSecretsReader;
    readonly runRemote: RemoteRunner;
    /** Reads a key file a host's configuration names. */
    readonly readFile: (path: string) => string;
}

export function hostCommandIo(rootDir: string): HostCommandDeps {
    return {
        rootDir,
        ...processIo,
        readSecrets: readStackSecretsWithCli,
        runRemote,
        readFile: (p: string) => readFileSync(p, "utf8"),
    };
}
