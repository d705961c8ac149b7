import { BROWSER_CACHE_TTLS, ZONE_SETTING_FIELDS } from "../config/schemas";
import { show } from "../config/words";
import { EdgeConfig } from "../types";
import { MANAGED_SETTING_IDS, isManagedSettingId } from "./zoneSettings";

/** The config keys named in edge error messages. */
export const EDGE_CONFIG_KEYS = {
    rootPath: "nova:rootPath",
    rulesEngine: "nova:rulesEngine",
    zoneSettings: "nova:zoneSettings",
    unmanagedSettings: "nova:unmanagedSettings",
    assetsEdgeTtl: "nova:assetsEdgeTtl",
} as const;

/**
 * Combinations of edge options that cannot work, as messages naming the config key.
 * Empty when the edge configuration is coherent. Called by the config parser.
 */
export function validateEdgeChoices(edge: EdgeConfig): string[] {
    const k = EDGE_CONFIG_KEYS;
    const errors: string[] = [];
    if (edge.rulesEngine === "pageRules" && edge.rootPath === "rewrite") {
        errors.push(
            `${k.rootPath}: "rewrite" needs ${k.rulesEngine} "rulesets"; Page Rules cannot rewrite a URL ` +
                `(use ${k.rootPath} "redirect" or "none", or ${k.rulesEngine} "rulesets")`,
        );
    }
    const s = edge.zoneSettings;
    if (s.zeroRtt === "on" && s.tls13 === "off") {
        errors.push(`${k.zoneSettings}: zeroRtt "on" needs tls13 "on" (0-RTT is part of TLS 1.3)`);
    }
    if (s.minTlsVersion === "1.3" && s.tls13 === "off") {
        errors.push(`${k.zoneSettings}: minTlsVersion "1.3" needs tls13 "on"`);
    }
    if (!(BROWSER_CACHE_TTLS as readonly number[]).includes(s.browserCacheTtl)) {
        errors.push(`${k.zoneSettings}.browserCacheTtl: expected ${ZONE_SETTING_FIELDS.browserCacheTtl}, got ${show(s.browserCacheTtl)}`);
    }
    for (const id of edge.unmanagedSettings) {
        if (!isManagedSettingId(id)) {
            errors.push(
                `${k.unmanagedSettings}: unknown setting id "${id}"; expected one of ${MANAGED_SETTING_IDS.join(", ")}`,
            );
        }
    }
    if (!Number.isInteger(edge.assetsEdgeTtl) || edge.assetsEdgeTtl <= 0) {
        errors.push(`${k.assetsEdgeTtl}: must be a whole number of seconds > 0`);
    }
    return errors;
}
