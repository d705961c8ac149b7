/**
 * The stack's configuration: `loadNovaConfig` reads `nova:` through pulumi.Config, validates it
 * whole and returns the immutable NovaConfig and the secrets, or throws before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE } from "./config/keys";
import { collectNovaConfig, NovaConfigError, RawConfig } from "./config/parse";
import { NovaSecrets, readSecrets, secretProblems } from "./config/secrets";
import { NovaConfig } from "./types";

export { CONFIG_KEYS, NAMESPACE, fullKey } from "./config/keys";
export { collectNovaConfig, NovaConfigError, parseNovaConfig, MANAGED_ENV_KEYS } from "./config/parse";
export type { RawConfig } from "./config/parse";
export { requiredSecrets, setCommand } from "./config/secrets";
export type { NovaSecrets, SecretRequirement } from "./config/secrets";

/** Validates configuration and secrets together; throws NovaConfigError listing every problem. */
export function validateStack(raw: RawConfig, stack: string): NovaConfig {
    const { config, problems } = collectNovaConfig(raw, stack);
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
