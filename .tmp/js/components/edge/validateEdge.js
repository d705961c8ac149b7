"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EDGE_CONFIG_KEYS = void 0;
exports.validateEdgeChoices = validateEdgeChoices;
const zoneSettings_1 = require("./zoneSettings");
/** The config keys named in edge error messages. */
exports.EDGE_CONFIG_KEYS = {
    rootPath: "nova:rootPath",
    rulesEngine: "nova:rulesEngine",
    zoneSettings: "nova:zoneSettings",
    unmanagedSettings: "nova:unmanagedSettings",
    assetsEdgeTtl: "nova:assetsEdgeTtl",
};
/**
 * Combinations of edge options that cannot work, as messages naming the config key.
 * Empty when the edge configuration is coherent. Called by the config parser.
 */
function validateEdgeChoices(edge) {
    const k = exports.EDGE_CONFIG_KEYS;
    const errors = [];
    if (edge.rulesEngine === "pageRules" && edge.rootPath === "rewrite") {
        errors.push(`${k.rootPath}: "rewrite" needs ${k.rulesEngine} "rulesets"; Page Rules cannot rewrite a URL ` +
            `(use ${k.rootPath} "redirect" or "none", or ${k.rulesEngine} "rulesets")`);
    }
    const s = edge.zoneSettings;
    if (s.zeroRtt === "on" && s.tls13 === "off") {
        errors.push(`${k.zoneSettings}: zeroRtt "on" needs tls13 "on" (0-RTT is part of TLS 1.3)`);
    }
    if (s.minTlsVersion === "1.3" && s.tls13 === "off") {
        errors.push(`${k.zoneSettings}: minTlsVersion "1.3" needs tls13 "on"`);
    }
    if (!Number.isInteger(s.browserCacheTtl) || s.browserCacheTtl < 0) {
        errors.push(`${k.zoneSettings}: browserCacheTtl must be a whole number of seconds >= 0`);
    }
    for (const id of edge.unmanagedSettings) {
        if (!(0, zoneSettings_1.isManagedSettingId)(id)) {
            errors.push(`${k.unmanagedSettings}: unknown setting id "${id}"; expected one of ${zoneSettings_1.MANAGED_SETTING_IDS.join(", ")}`);
        }
    }
    if (!Number.isInteger(edge.assetsEdgeTtl) || edge.assetsEdgeTtl <= 0) {
        errors.push(`${k.assetsEdgeTtl}: must be a whole number of seconds > 0`);
    }
    return errors;
}
