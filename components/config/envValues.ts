/**
 * Environment values: what python-dotenv reads back unchanged (appEnv) and the service's own
 * environment (nova:serviceEnv), each name and value checked.
 */
import { z } from "zod";
import { fullKey } from "./keys";
import { Reader } from "./reader";
import * as v from "./validators";
import { show } from "./words";

/**
 * A value python-dotenv reads back unchanged: it expands `${NAME}` (and `${NAME:-default}`) even in
 * quoted values, and a value ending in a backslash escapes the closing quote we write.
 */
export function checkDotenvValue(value: string): string | undefined {
    if (value.includes("${")) return "a value without ${ (python-dotenv would expand it)";
    if (value.endsWith("\\")) return "a value not ending in a backslash (python-dotenv would read the closing quote as escaped)";
    return undefined;
}

/** Names the program sets in the service's environment itself. */
export const MANAGED_SERVICE_ENV_KEYS = ["PYTHONUTF8"] as const;

export function parseServiceEnv(r: Reader, otherNames: readonly string[]): Record<string, string> {
    const env = r.json("serviceEnv", z.record(z.string(), z.string()), "an object of {NAME: \"value\"} strings") ?? {};
    const taken = [...MANAGED_SERVICE_ENV_KEYS, ...otherNames].map((n) => n.toUpperCase());
    const names = Object.keys(env).map((k) => k.toUpperCase());
    for (const [k, val] of Object.entries(env)) {
        const why =
            v.checkEnvName(k) ??
            (taken.includes(k.toUpperCase()) ? `a name other than ${MANAGED_SERVICE_ENV_KEYS.join(", ")} and the appEnv and appSecretEnvKeys names` : undefined) ??
            (names.filter((n) => n === k.toUpperCase()).length > 1 ? "a name used once (Windows ignores the case of environment names)" : undefined);
        if (why) r.problems.push(`${fullKey("serviceEnv")}.${k}: expected ${why}`);
        const whyValue = v.checkEnvValue(val);
        if (whyValue) r.problems.push(`${fullKey("serviceEnv")}.${k}: expected ${whyValue}, got ${show(val)}`);
    }
    return env;
}
