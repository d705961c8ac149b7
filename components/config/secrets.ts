/**
 * The secrets a stack needs: which keys, whether they are set, and their values as Pulumi secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { NovaConfig } from "../types";
import { fullKey } from "./keys";
import type { Pending } from "./placeholders";
import type { RawConfig } from "./reader";
import { checkEnvName, checkEnvValue } from "./validators";

/** One secret the stack must hold. */
export interface SecretRequirement {
    /** Key in `nova:` (e.g. `sshPrivateKey`). */
    readonly key: string;
    /** For object secrets, the entry (e.g. `OPENAI_API_KEY` of `appSecretEnv`). */
    readonly path?: string;
    /** Read from this file (an ssh host's private key) rather than typed at the prompt. */
    readonly fromFile?: string;
}

/** The private key file the printed commands read an ssh credential from (the file `ssh-keygen` wrote, README *Install*). */
export const PRIVATE_KEY_FILE = "~/.ssh/nova_admin_ed25519";

export interface NovaSecrets {
    /** Credential of each host, by the host's credentialKey. */
    readonly credentials: Readonly<Record<string, pulumi.Output<string>>>;
    /** Values of appSecretEnvKeys. */
    readonly appSecretEnv: pulumi.Output<Record<string, string>>;
}

/** The secrets the given configuration needs, in a stable order. */
export function requiredSecrets(config: NovaConfig): SecretRequirement[] {
    const credentialKeys = [...new Set(config.hosts.map((h) => h.credentialKey))];
    const sshKeys = new Set(config.hosts.filter((h) => h.transport === "ssh").map((h) => h.credentialKey));
    return [
        ...credentialKeys.map((key) => (sshKeys.has(key) ? { key, fromFile: PRIVATE_KEY_FILE } : { key })),
        // Names refused by the parser are reported there, not again as missing secrets.
        ...config.appSecretEnvKeys.filter((name) => !checkEnvName(name)).map((path) => ({ key: "appSecretEnv", path })),
    ];
}

/**
 * `pulumi config set --secret` of a full key (`nova:winrmPassword`, `cloudflare:apiToken`) or of an
 * entry of one, without the value: the CLI prompts for it, or reads it from `fromFile` (stdin).
 */
export function secretSetCommand(key: string, opts: Pick<SecretRequirement, "path" | "fromFile"> = {}): string {
    const target = opts.path === undefined ? key : `--path '${key}.${opts.path}'`;
    return `pulumi config set --secret ${target}${opts.fromFile === undefined ? "" : ` < ${opts.fromFile}`}`;
}

/** The full name of a requirement: `nova:sshPrivateKey`, `nova:appSecretEnv.OPENAI_API_KEY`. */
export function secretName(req: SecretRequirement): string {
    return req.path === undefined ? fullKey(req.key) : `${fullKey(req.key)}.${req.path}`;
}

/** The command that sets a requirement. */
export function setCommand(req: SecretRequirement): string {
    return secretSetCommand(fullKey(req.key), req);
}

/** Problems with the secrets (unexpected entries, values that would break a script) and the missing ones. */
export function secretProblems(config: NovaConfig, raw: RawConfig): { problems: string[]; missing: Pending[] } {
    const problems: string[] = [];
    const missing: Pending[] = [];
    const env = readSecretEnv(raw, problems);
    for (const req of requiredSecrets(config)) {
        const unset = req.path === undefined ? !raw(req.key) : env?.[req.path] === undefined;
        const name = secretName(req);
        if (unset) missing.push({ kind: "secret", key: name, message: `${name}: required secret is not set; set it with \`${setCommand(req)}\`` });
    }
    for (const [k, value] of Object.entries(env ?? {})) {
        if (!config.appSecretEnvKeys.includes(k)) {
            problems.push(`${fullKey("appSecretEnv")}.${k}: expected only the names listed in ${fullKey("appSecretEnvKeys")}`);
        } else if (typeof value !== "string" || checkEnvValue(value)) {
            problems.push(`${fullKey("appSecretEnv")}.${k}: expected a single-line string without control characters (value not shown)`);
        } else if (value.includes("%")) {
            problems.push(`${fullKey("appSecretEnv")}.${k}: expected a value without % (NSSM expands %NAME% in the service environment and has no escape; value not shown)`);
        }
    }
    return { problems, missing };
}

function readSecretEnv(raw: RawConfig, problems: string[]): Record<string, unknown> | undefined {
    const text = raw("appSecretEnv");
    if (text === undefined) return undefined;
    try {
        const value: unknown = JSON.parse(text);
        if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
        /* reported below */
    }
    problems.push(`${fullKey("appSecretEnv")}: expected an object of {NAME: "value"} set with --secret --path (value not shown)`);
    return undefined;
}

/** The secrets as Pulumi secrets. Call after secretProblems found nothing. */
export function readSecrets(config: NovaConfig, raw: RawConfig): NovaSecrets {
    const credentials: Record<string, pulumi.Output<string>> = {};
    for (const { key, path } of requiredSecrets(config)) {
        if (path === undefined) credentials[key] = pulumi.secret(raw(key) ?? "");
    }
    const env = JSON.parse(raw("appSecretEnv") ?? "{}") as Record<string, string>;
    const appSecretEnv = Object.fromEntries(config.appSecretEnvKeys.map((k) => [k, env[k] ?? ""]));
    return { credentials, appSecretEnv: pulumi.secret(appSecretEnv) };
}
