/**
 * The stack's configuration: `loadNovaConfig` reads `nova:` through pulumi.Config, validates it
 * whole (values, unknown keys, secrets, placeholders) and returns the immutable NovaConfig and the
 * secrets, or throws before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseStackFile } from "./config/stackFile";
import { zoneCoverageProblems, zoneOwnershipProblems } from "./edge/coverage";
import { NAMESPACE } from "./config/keys";
import { collectNovaConfig, NovaConfigError, RawConfig } from "./config/parse";
import { placeholdersAllowed } from "./config/placeholders";
import { NovaSecrets, readSecrets } from "./config/secrets";
import { ConfigEnvironment } from "./config/stackKeys";
import { NovaConfig } from "./types";

export { CONFIG_KEYS, NAMESPACE, fullKey } from "./config/keys";
export { collectNovaConfig, NovaConfigError, parseNovaConfig, MANAGED_ENV_KEYS } from "./config/parse";
export type { ConfigReport, RawConfig } from "./config/parse";
export { withPlaceholdersAllowed } from "./config/placeholders";
export type { Pending } from "./config/placeholders";
export { requiredSecrets, secretName, secretSetCommand, setCommand } from "./config/secrets";
export type { NovaSecrets, SecretRequirement } from "./config/secrets";
export type { ConfigEnvironment } from "./config/stackKeys";

/** The project directory: where Pulumi.yaml and the stack files are. */
export const PROJECT_DIR = resolve(__dirname, "..");

/**
 * Environment variable naming another directory of stack files to check a stack sharing a zone
 * against (the zone owner's project, when it is not this one).
 */
export const ZONE_STACKS_DIR_ENV = "NOVA_ZONE_STACKS_DIR";

/**
 * Where the stack files of the zone's other stacks are read: `NOVA_ZONE_STACKS_DIR` when set, else
 * `root`, the directory of Pulumi.yaml the stack's own file is in (this project's, for the program).
 */
export function zoneStacksDir(root: string = PROJECT_DIR): string {
    return process.env[ZONE_STACKS_DIR_ENV] || root;
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
 * Validates configuration and secrets together, in one pass; throws NovaConfigError listing every
 * problem (placeholders too, unless the offline plan runs the program). The stack files in `stacksDir`
 * are the project's other stacks: a second owner of this stack's zone is refused, and a direct-mode
 * stack sharing their zone needs its owner to route it (see zoneCoverageProblems).
 */
export function validateStack(raw: RawConfig, stack: string, env?: ConfigEnvironment, stacksDir: string = zoneStacksDir()): NovaConfig {
    const { config, problems, pending } = collectNovaConfig(raw, stack, env);
    const others = projectStacks(stacksDir, stack);
    const all = [
        ...problems,
        ...zoneOwnershipProblems(config, others),
        ...zoneCoverageProblems(config, others),
        ...pending.filter((p) => p.kind === "secret" || !placeholdersAllowed()).map((p) => p.message),
    ];
    if (all.length > 0) throw new NovaConfigError(all);
    return config;
}

// `isConfigSecret` is exported by the SDK's runtime/config.js but not declared in its .d.ts.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret: (fullKey: string) => boolean };

/** The stack's keys and their secrecy, as the language host passed them. */
export function runtimeEnvironment(): ConfigEnvironment {
    return { keys: Object.keys(pulumi.runtime.allConfig()), isSecret: isConfigSecret };
}

/** Reads the current stack's configuration and secrets. */
export function loadNovaConfig(): { config: NovaConfig; secrets: NovaSecrets } {
    const bag = new pulumi.Config(NAMESPACE);
    const raw: RawConfig = (key) => bag.get(key);
    const config = validateStack(raw, pulumi.getStack(), runtimeEnvironment());
    return { config, secrets: readSecrets(config, raw) };
}
