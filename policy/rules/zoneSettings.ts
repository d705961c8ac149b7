/**
 * Cloudflare zone settings that must never be weakened: the SSL mode (`ssl`) is never `off` or
 * `flexible` (both leave the edge-to-origin leg unencrypted), and `min_tls_version` is at least 1.2.
 */
import { type Props, stringProp, ZONE_SETTING } from "./types";

/** SSL modes that send traffic to the origin in clear text. */
export const FORBIDDEN_SSL_MODES: readonly string[] = ["off", "flexible"];

/** Versions accepted for `min_tls_version`. */
export const ALLOWED_MIN_TLS: readonly string[] = ["1.2", "1.3"];

function settingValue(props: Props): unknown {
    return props.value;
}

/** Violations of "the SSL mode is never off or flexible". */
export function sslModeViolations(type: string, props: Props): string[] {
    if (type !== ZONE_SETTING || stringProp(props, "settingId") !== "ssl") return [];
    const value = settingValue(props);
    if (typeof value !== "string") return [`ssl zone setting has no string value (got ${JSON.stringify(value)})`];
    return FORBIDDEN_SSL_MODES.includes(value.toLowerCase())
        ? [`ssl mode "${value}" leaves the origin connection unencrypted: use "full" or "strict"`]
        : [];
}

/** Violations of "the minimum TLS version is 1.2 or later". */
export function minTlsViolations(type: string, props: Props): string[] {
    if (type !== ZONE_SETTING || stringProp(props, "settingId") !== "min_tls_version") return [];
    const value = settingValue(props);
    return typeof value === "string" && ALLOWED_MIN_TLS.includes(value)
        ? []
        : [`min_tls_version ${JSON.stringify(value)} is below 1.2: use "1.2" or "1.3"`];
}
