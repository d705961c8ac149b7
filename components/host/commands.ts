/**
 * What each host step's command resource is given, as pure functions of the configuration and the
 * rendered step (components/host/steps). One renderer produces the scripts; the transports only carry
 * them, both as the same packed stdin (`hostStdin`) for the same fixed bootstrap:
 * - ssh: `command.remote.Command`; `create`/`update` are the fixed `bootstrapCommand()`, the script, its
 *   delete script and its secrets travel on stdin, `delete` is the fixed `deleteBootstrapCommand()`.
 * - winrm: `command.local.Command` running the WinRM runner CLI (see winrmRunner.ts) with the same stdin.
 *
 * Why no script hash in `triggers`: @pulumi/command marks `triggers[*]` replaceOnChanges (command.js
 * merges `replaceOnChanges: ["triggers[*]"]`, and the provider tags the field the same way), so a changed
 * trigger replaces the resource: the new create runs, then the OLD resource's delete, which would undo
 * the step (remove the service, the tools, the rule) right after it converged. A changed script changes
 * `stdin` instead, an ordinary input: the provider runs `update` (the same idempotent create) with the
 * new stdin, on exactly the affected step, and an unchanged `up` runs nothing.
 */
import { createHash } from "node:crypto";
import { bootstrapCommand, deleteBootstrapCommand, hostStdin } from "./bootstrap";
import type { HostConfig, NovaConfig } from "../types";
import type { CloudflareRanges } from "./steps/firewall";
import type { StepName } from "./steps";
import { TUNNEL_TOKEN_SECRET } from "./steps/cloudflared";
import { appSecretName } from "./steps/service";
import type { StepScripts } from "./script";

/**
 * Output of the step commands that reaches the Pulumi log: stdout only. A step prints one JSON line
 * naming what it changed (item names, never values; secret items are compared as hashes). Stderr carries
 * PowerShell exception text, which can quote the value of the statement that failed, so it is not
 * streamed; it stays in the resource's `stderr` output (secret, see STEP_SECRET_OUTPUTS) and in the error.
 */
export const STEP_LOGGING = "stdout" as const;

/**
 * Outputs of every step command stored as secrets in the state. @pulumi/command marks an output secret
 * only when an input of the same name is secret, and no input is named `stdout` or `stderr`, so they would
 * be stored in clear, also for the steps whose stdin (the secrets document) is secret: every step lists
 * them in `additionalSecretOutputs`.
 */
export const STEP_SECRET_OUTPUTS: readonly string[] = ["stdout", "stderr"];

/** Seconds per ssh dial attempt (Windows sshd can be slow to answer the first connection). */
export const SSH_DIAL_TIMEOUT_SECONDS = 20;
/**
 * Failed dials a step tolerates before it fails on an unreachable host (the provider default is 10).
 * The provider stops once the count of dials exceeds it (pulumi-command remote/connection.go,
 * reachedDialingErrorLimit), so an unreachable host fails a step after 6 dials of at most
 * SSH_DIAL_TIMEOUT_SECONDS each, about two minutes; README, *A host that cannot be reached*.
 */
export const SSH_DIAL_ERROR_LIMIT = 5;

/** Name of a step's command resource. */
export function stepResourceName(component: string, step: StepName): string {
    return `${component}-${step}`;
}

/** Keys of the secrets document a step reads (`$NovaSecrets`), sorted; empty when it needs none. */
export function stepSecretKeys(step: StepName, cfg: NovaConfig): string[] {
    switch (step) {
        case "cloudflared":
            return [TUNNEL_TOKEN_SECRET];
        case "service":
            return cfg.appSecretEnvKeys.map(appSecretName).sort();
        default:
            return [];
    }
}

/** The secret values a host's steps may need. */
export interface StepSecretValues {
    readonly tunnelToken?: string;
    readonly appSecretEnv: Readonly<Record<string, string>>;
}

/** The secrets document of a step: exactly its keys, in sorted order. Throws on a missing value. */
export function secretsDocument(keys: readonly string[], values: StepSecretValues): Record<string, string> {
    const doc: Record<string, string> = {};
    for (const key of [...keys].sort()) {
        let value: string | undefined;
        if (key === TUNNEL_TOKEN_SECRET) value = values.tunnelToken;
        else if (key.startsWith(appSecretName(""))) value = values.appSecretEnv[key.slice(appSecretName("").length)];
        if (value === undefined || value === "") throw new Error(`secret ${key} has no value`);
        doc[key] = value;
    }
    return doc;
}

/**
 * The stdin of a step (packed, see `packStdin`): its create script, its delete script when it has one (a delete runs
 * with the stdin of the last create/update), then its secrets when it has any.
 */
export function stepStdin(scripts: StepScripts, secrets?: Readonly<Record<string, string>>): string {
    return hostStdin(scripts.create, secrets === undefined || Object.keys(secrets).length === 0 ? undefined : secrets, scripts.delete);
}

/**
 * The health step's stdin: its script, then a comment with the SHA-256 of the earlier steps' stdin
 * documents. Any change that re-runs an earlier step (and so may restart the app) changes this digest,
 * so the health step runs again in the same `up` and the update reports success only once the app
 * answers. The digest covers the secrets documents too (a rotated API key restarts the app): the caller
 * keeps the result secret when any of them is.
 */
export function healthStdin(scripts: StepScripts, earlier: readonly string[]): string {
    const digest = createHash("sha256");
    for (const doc of earlier) digest.update(`${doc.length}:${doc}`);
    return hostStdin(`${scripts.create.replace(/\n$/, "")}\n# after earlier steps ${digest.digest("hex")}\n`, undefined, scripts.delete);
}

/** Cloudflare's ranges as the firewall step takes them, from the flat list index.ts passes. */
export function splitCidrs(cidrs: readonly string[]): CloudflareRanges {
    return { ipv4: cidrs.filter((c) => !c.includes(":")), ipv6: cidrs.filter((c) => c.includes(":")) };
}

/** Create, update and delete of a step carried over ssh. */
export interface StepCommandLines {
    readonly create: string;
    readonly update: string;
    readonly delete?: string;
}

/**
 * ssh: `create` and `update` are the fixed bootstrap (re-running the idempotent create is the update);
 * `delete` is the fixed delete bootstrap, which runs the delete part of the stdin document the provider
 * hands a delete (the one stored by the last create/update, see stepStdin).
 */
export function sshCommandLines(scripts: StepScripts): StepCommandLines {
    const run = bootstrapCommand();
    return scripts.delete === undefined ? { create: run, update: run } : { create: run, update: run, delete: deleteBootstrapCommand() };
}

/** The ssh connection of a host, without its private key (the caller adds the secret). */
export function sshConnection(host: HostConfig): { host: string; port: number; user: string; hostKey: string; dialErrorLimit: number; perDialTimeout: number } {
    if (host.transport !== "ssh") throw new Error(`host ${host.name} is not an ssh host`);
    if (!host.hostKey) throw new Error(`host ${host.name}: hostKey is required for ssh (without it the host key is not checked)`);
    return {
        host: host.address,
        port: host.port,
        user: host.user,
        hostKey: host.hostKey,
        dialErrorLimit: SSH_DIAL_ERROR_LIMIT,
        perDialTimeout: SSH_DIAL_TIMEOUT_SECONDS,
    };
}
