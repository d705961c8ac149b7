"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MANAGED_SETTING_IDS = void 0;
exports.isManagedSettingId = isManagedSettingId;
exports.tls13Value = tls13Value;
exports.zoneSettingEntries = zoneSettingEntries;
exports.settingNameSuffix = settingNameSuffix;
/** Zone setting ids this program manages, as the Cloudflare API spells them (snake_case). */
exports.MANAGED_SETTING_IDS = [
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
];
/** True when `id` is one of {@link MANAGED_SETTING_IDS}. */
function isManagedSettingId(id) {
    return exports.MANAGED_SETTING_IDS.includes(id);
}
/**
 * The value Cloudflare reports for `tls_1_3`.
 *
 * Turning `0rtt` on makes Cloudflare report `tls_1_3` as `"zrt"` (TLS 1.3 with 0-RTT). Managing
 * `tls_1_3` as `"on"` next to an active `0rtt` would then show drift on every refresh and flip
 * the setting back and forth. So when 0-RTT is on (and managed), `tls_1_3` is managed as `"zrt"`.
 */
function tls13Value(settings, zeroRttManaged) {
    return settings.zeroRtt === "on" && zeroRttManaged ? "zrt" : settings.tls13;
}
/**
 * The zone settings to manage, in a stable order, leaving out the ids in `unmanaged`.
 * Values are exactly what the API takes (strings, and seconds for `browser_cache_ttl`).
 */
function zoneSettingEntries(settings, unmanaged) {
    const zeroRttManaged = !unmanaged.includes("0rtt");
    const all = {
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
    return exports.MANAGED_SETTING_IDS.filter((id) => !unmanaged.includes(id)).map((id) => ({ id, value: all[id] }));
}
/** Child resource name suffix of a setting: `setting-always-use-https`, `setting-0rtt`. */
function settingNameSuffix(id) {
    return `setting-${id.replace(/_/g, "-")}`;
}
