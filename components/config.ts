/**
 * The stack's configuration: `loadNovaConfig` reads `nova:` through pulumi.Config, validates it
 * whole and returns the immutable NovaConfig and the secrets, or throws before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseStackFile } from "../scripts/lib/stackFile";
import { zoneCoverageProblems } from "./edge/coverage";
import { NAMESPACE } from "./config/keys";
import { collectNovaConfig, NovaConfigError, RawConfig } from "./config/parse";
import { NovaSecrets, readSecrets, secretProblems } from "./config/secrets";
import { NovaConfig } from "./types";

export { CONFIG_KEYS, NAMESPACE, fullKey } from "./config/keys";
export { collectNovaConfig, NovaConfigError, parseNovaConfig, MANAGED_ENV_KEYS } from "./config/parse";
export type { RawConfig } from "./config/parse";
export { requiredSecrets, setCommand } from "./config/secrets";
export type { NovaSecrets, SecretRequirement } from "./config/secrets";

/** The project directory: where Pulumi.yaml and the stack files are. */
export const PROJECT_DIR = resolve(__dirname, "..");

/**
 * Environment variable naming another directory of stack files to check a stack sharing a zone
 * against (the zone owner's project, when it is not this one).
 */
export const ZONE_STACKS_DIR_ENV = "NOVA_ZONE_STACKS_DIR";

/** Where the stack files of the zone's other stacks are read. */
export function zoneStacksDir(): string {
    return process.env[ZONE_STACKS_DIR_ENV] || PROJECT_DIR;
}

/**
 * The configurations of the other stacks of the project (their `Pulumi.<stack>.yaml`), as far as they
 * parse: what a stack that shares their zone is checked against. Unreadable files are skipped.
 */
export function projectStacks(dir: string = PROJECT_DIR, except?: string): NovaConfig[] {
    const names = readdirSync(dir).map((f) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined && s !== except);
    return names.flatMap((stack) => {
        try {
            const file = parseStackFile(stack, readFileSync(join(dir, `Pulumi.${stack}.yaml`), "utf8"));
            const values = Object.fromEntries(Object.entries(file.values).map(([k, v]) => [k.replace(`${NAMESPACE}:`, ""), v]));
            return [collectNovaConfig((key) => values[key], stack).config];
        } catch {
            return [];
        }
    });
}

/**
 * Validates configuration and secrets together; throws NovaConfigError listing every problem.
 * `others` are the project's other stacks, which a direct-mode stack sharing their zone needs (see
 * zoneCoverageProblems).
 */
export function validateStack(raw: RawConfig, stack: string, others: readonly NovaConfig[] = projectStacks(zoneStacksDir(), stack)): NovaConfig {
    const { config, problems } = collectNovaConfig(raw, stack);
    problems.push(...zoneCoverageProblems(config, others));
    problems.push(...secretProblems(config, raw));
    if (problems.length > 0) throw new NovaConfigError(problems);
    return config;
}

/** Reads the current stack's configuration and secrets. */
export function loadNovaConfig(): { config: NovaConfig; secrets: NovaSecrets } {
    const bag = new pulumi.Config(NAMESPACE);
    const raw: RawConfig = (key) => bag.get(key);
    const config = validateStack(raw, pulumi.getStack());
    return { config, secrets: readSecrets(config, raw) };
}
