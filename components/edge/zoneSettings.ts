import { ZoneSettingsConfig } from "../types";

/** Zone setting ids this program manages, as the Cloudflare API spells them (snake_case). */
export const MANAGED_SETTING_IDS = [
    // Automatic SSL/TLS (Cloudflare's default since late 2024) rewrites `ssl` on its own schedule
    // unless it is "custom": managed first, and NovaDns makes `ssl` depend on it.
    "ssl_automatic_mode",
    "ssl",
    "always_use_https",
    "automatic_https_rewrites",
    "min_tls_version",
    // 0rtt before tls_1_3: NovaDns makes tls_1_3 depend on 0rtt (see tls13Value).
    "0rtt",
    "tls_1_3",
    "early_hints",
    "http3",
    "browser_cache_ttl",
    "always_online",
    "websockets",
] as const;

export type ManagedSettingId = (typeof MANAGED_SETTING_IDS)[number];

/** One `cloudflare.ZoneSetting` to create. */
export interface ZoneSettingEntry {
    readonly id: ManagedSettingId;
    readonly value: string | number;
}

/** `ssl_automatic_mode` as managed: "custom" keeps the `ssl` this program sets. */
export const SSL_AUTOMATIC_MODE = "custom";

/** The setting each managed setting must follow (created or changed after it). */
export const SETTING_FOLLOWS: Partial<Record<ManagedSettingId, ManagedSettingId>> = {
    // Cloudflare's own flip of tls_1_3 to "zrt" happens before we set it.
    tls_1_3: "0rtt",
    // Automatic mode off before the mode it would otherwise overwrite is set.
    ssl: "ssl_automatic_mode",
};

/** True when `id` is one of {@link MANAGED_SETTING_IDS}. */
export function isManagedSettingId(id: string): id is ManagedSettingId {
    return (MANAGED_SETTING_IDS as readonly string[]).includes(id);
}

/**
 * The value Cloudflare reports for `tls_1_3`.
 *
 * Turning `0rtt` on makes Cloudflare report `tls_1_3` as `"zrt"` (TLS 1.3 with 0-RTT). Managing
 * `tls_1_3` as `"on"` next to an active `0rtt` would then show drift on every refresh and flip
 * the setting back and forth. So when 0-RTT is on (and managed), `tls_1_3` is managed as `"zrt"`.
 */
export function tls13Value(settings: ZoneSettingsConfig, zeroRttManaged: boolean): string {
    return settings.zeroRtt === "on" && zeroRttManaged ? "zrt" : settings.tls13;
}

/**
 * The zone settings to manage, in a stable order, leaving out the ids in `unmanaged`.
 * Values are exactly what the API takes (strings, and seconds for `browser_cache_ttl`).
 */
export function zoneSettingEntries(
    settings: ZoneSettingsConfig,
    unmanaged: readonly string[],
): ZoneSettingEntry[] {
    const zeroRttManaged = !unmanaged.includes("0rtt");
    const all: Record<ManagedSettingId, string | number> = {
        ssl_automatic_mode: SSL_AUTOMATIC_MODE,
        ssl: settings.ssl,
        always_use_https: settings.alwaysUseHttps,
        automatic_https_rewrites: settings.automaticHttpsRewrites,
        min_tls_version: settings.minTlsVersion,
        tls_1_3: tls13Value(settings, zeroRttManaged),
        "0rtt": settings.zeroRtt,
        early_hints: settings.earlyHints,
        http3: settings.http3,
        browser_cache_ttl: settings.browserCacheTtl,
        always_online: settings.alwaysOnline,
        websockets: settings.websockets,
    };
    return MANAGED_SETTING_IDS.filter((id) => !unmanaged.includes(id)).map((id) => ({ id, value: all[id] }));
}

/** Child resource name suffix of a setting: `setting-always-use-https`, `setting-0rtt`. */
export function settingNameSuffix(id: ManagedSettingId): string {
    return `setting-${id.replace(/_/g, "-")}`;
}
