/**
 * Checks of the stack's keys as a whole: every key of `nova:` (and un-namespaced) must be one the
 * program reads, `cloudflare:` keys one the provider accepts, any other namespace one of Pulumi's or a
 * provider's (`command:`, `pulumi:`); secrets must be encrypted; `appEnv`
 * names that look like secrets are refused unless said otherwise.
 */
import * as cloudflareVars from "@pulumi/cloudflare/config/vars";
import { CONFIG_KEYS, fullKey, NAMESPACE } from "./keys";
import { PRIVATE_KEY_FILE, secretSetCommand } from "./secrets";
import { closest } from "./words";

/** What the program knows of the stack's keys beyond their values. */
export interface ConfigEnvironment {
    /** Every full key the stack sets (`nova:appPort`, `cloudflare:apiToken`, ...). */
    readonly keys: readonly string[];
    /** True when the full key's value is a Pulumi secret (set with `--secret`). */
    readonly isSecret: (fullKey: string) => boolean;
}

export const CLOUDFLARE_NAMESPACE = "cloudflare";

/** Namespaces a stack may set keys in: this project's, and those of Pulumi and the providers it uses. */
export const KNOWN_NAMESPACES: readonly string[] = [NAMESPACE, CLOUDFLARE_NAMESPACE, "command", "pulumi"];

/** The provider's configuration keys, as @pulumi/cloudflare's `config` module declares them. */
export const CLOUDFLARE_KEYS: readonly string[] = Object.keys(cloudflareVars).sort();

/** Provider keys holding credentials: they must be secrets. */
export const CLOUDFLARE_SECRET_KEYS = ["apiToken", "apiKey", "apiUserServiceKey"] as const;

/**
 * Keys no part of the program reads. `credentialKeys` are the hosts' own secret keys (names the
 * stack chose), known too.
 */
export function unknownKeyProblems(keys: readonly string[], credentialKeys: readonly string[]): string[] {
    const nova = [...CONFIG_KEYS.map((k) => k.key), ...credentialKeys];
    const problems: string[] = [];
    for (const key of keys) {
        const colon = key.indexOf(":");
        const namespace = colon < 0 ? undefined : key.slice(0, colon);
        const name = colon < 0 ? key : key.slice(colon + 1);
        if (namespace === undefined) {
            const near = closest(name, nova);
            problems.push(`${key}: unknown key; ${near ? `did you mean ${fullKey(near)}?` : `this project's keys are ${NAMESPACE}:<name> (see the README's configuration reference)`}`);
        } else if (namespace === NAMESPACE && !nova.includes(name)) {
            const near = closest(name, nova);
            problems.push(`${key}: unknown key; ${near ? `did you mean ${fullKey(near)}?` : "see the README's configuration reference for the keys of nova:"}`);
        } else if (!KNOWN_NAMESPACES.includes(namespace)) {
            const near = closest(name, nova);
            problems.push(
                `${key}: expected a key of a known namespace (${KNOWN_NAMESPACES.map((n) => `${n}:`).join(", ")}), got the namespace ${namespace}:, which nothing reads; ` +
                    `${near ? `did you mean ${fullKey(near)}?` : `this project's keys are ${NAMESPACE}:<name>`}`,
            );
        } else if (namespace === CLOUDFLARE_NAMESPACE && !CLOUDFLARE_KEYS.includes(name)) {
            const near = closest(name, CLOUDFLARE_KEYS);
            problems.push(`${key}: unknown key; ${near ? `did you mean ${CLOUDFLARE_NAMESPACE}:${near}?` : `the Cloudflare provider accepts ${CLOUDFLARE_KEYS.map((k) => `${CLOUDFLARE_NAMESPACE}:${k}`).join(", ")}`}`);
        }
    }
    return problems;
}

/** Keys set in plain text that must be secrets; the value is never shown. `sshKeys`: the credential keys of ssh hosts (read from a file). */
export function plaintextSecretProblems(env: ConfigEnvironment, credentialKeys: readonly string[], appSecretEnvKeys: readonly string[], sshKeys: readonly string[] = []): string[] {
    const secretNova = [...new Set([...CONFIG_KEYS.filter((k) => k.secret).map((k) => k.key), ...credentialKeys])];
    const mustBeSecret = [...secretNova.map(fullKey), ...CLOUDFLARE_SECRET_KEYS.map((k) => `${CLOUDFLARE_NAMESPACE}:${k}`)];
    const problems: string[] = [];
    for (const key of mustBeSecret) {
        if (!env.keys.includes(key) || env.isSecret(key)) continue;
        const how =
            key === fullKey("appSecretEnv")
                ? (appSecretEnvKeys.length > 0 ? appSecretEnvKeys : ["NAME"]).map((n) => `\`${secretSetCommand(key, { path: n })}\``).join(", ")
                : `\`${secretSetCommand(key, sshKeys.map(fullKey).includes(key) || key === fullKey("sshPrivateKey") ? { fromFile: PRIVATE_KEY_FILE } : {})}\``;
        problems.push(`${key}: set in plain text (value not shown); a secret must be encrypted: set it again with ${how}`);
    }
    return problems;
}

/** Why an environment name looks like a secret's, if it does. */
export function secretLookingName(name: string): string | undefined {
    const upper = name.toUpperCase();
    const suffix = ["_KEY", "_TOKEN", "_SECRET"].find((s) => upper.endsWith(s));
    if (suffix) return `its name ends in ${suffix}`;
    return upper.includes("PASSWORD") ? "its name contains PASSWORD" : undefined;
}

/** appEnv entries whose names look like secrets and are not declared plain in `notSecret`. */
export function secretLookingEnvProblems(appEnv: Readonly<Record<string, string>>, notSecret: readonly string[]): string[] {
    const plain = notSecret.map((n) => n.toUpperCase());
    const problems: string[] = [];
    for (const name of Object.keys(appEnv)) {
        const why = secretLookingName(name);
        if (!why || plain.includes(name.toUpperCase())) continue;
        problems.push(
            `${fullKey("appEnv")}.${name}: looks like a secret (${why}; value not shown) but appEnv is stored in plain text; ` +
                `add ${name} to ${fullKey("appSecretEnvKeys")} and set it with \`${secretSetCommand(fullKey("appSecretEnv"), { path: name })}\`, ` +
                `or list it in ${fullKey("appEnvNotSecret")} if it is not a secret`,
        );
    }
    return problems;
}
