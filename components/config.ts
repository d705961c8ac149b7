/**
 * The stack's configuration: `loadNovaConfig` reads `nova:` through pulumi.Config, validates it
 * whole (values, unknown keys, secrets, placeholders) and returns the immutable NovaConfig and the
 * secrets, or throws before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
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
export { requiredSecrets, setCommand } from "./config/secrets";
export type { NovaSecrets, SecretRequirement } from "./config/secrets";
export type { ConfigEnvironment } from "./config/stackKeys";

/**
 * Validates configuration and secrets together, in one pass; throws NovaConfigError listing every
 * problem (placeholders too, unless the offline plan runs the program).
 */
export function validateStack(raw: RawConfig, stack: string, env?: ConfigEnvironment): NovaConfig {
    const { config, problems, pending } = collectNovaConfig(raw, stack, env);
    const all = [...problems, ...pending.filter((p) => p.kind === "secret" || !placeholdersAllowed()).map((p) => p.message)];
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
