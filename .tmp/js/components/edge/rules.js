"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TRANSFORM_PHASE = exports.CACHE_PHASE = exports.REDIRECT_PHASE = void 0;
exports.spaUrl = spaUrl;
exports.rulesetSpecs = rulesetSpecs;
exports.pageRuleSpecs = pageRuleSpecs;
const expressions_1 = require("./expressions");
const rulesetSpec_1 = require("./rulesetSpec");
exports.REDIRECT_PHASE = "http_request_dynamic_redirect";
exports.CACHE_PHASE = "http_request_cache_settings";
exports.TRANSFORM_PHASE = "http_request_transform";
/** `https://<hostname><spa>`: where `/` leads. */
function spaUrl(config) {
    return `https://${config.hostname}${config.paths.spa}`;
}
function rootExpression(config) {
    return (0, expressions_1.allOf)((0, expressions_1.hostEquals)(config.hostname), (0, expressions_1.pathEquals)("/"));
}
function redirectRuleset(config) {
    return {
        suffix: "redirect",
        phase: exports.REDIRECT_PHASE,
        kind: "zone",
        name: "default",
        description: (0, rulesetSpec_1.rulesetDescription)("Single Redirects", config.stack),
        rules: [{
                ref: "nova_root_redirect",
                description: `Redirect / on ${config.hostname} to ${config.paths.spa}`,
                expression: rootExpression(config),
                action: "redirect",
                actionParameters: {
                    fromValue: { statusCode: 301, preserveQueryString: true, targetUrl: { value: spaUrl(config) } },
                },
                enabled: true,
            }],
    };
}
function cacheRuleset(config) {
    const { api, ws, assets } = config.paths;
    return {
        suffix: "cache",
        phase: exports.CACHE_PHASE,
        kind: "zone",
        name: "default",
        description: (0, rulesetSpec_1.rulesetDescription)("Cache Rules", config.stack),
        rules: [
            {
                ref: "nova_cache_bypass_dynamic",
                description: `Never cache ${api} and ${ws} on ${config.hostname}`,
                expression: (0, expressions_1.allOf)((0, expressions_1.hostEquals)(config.hostname), (0, expressions_1.pathAtOrUnder)(api, ws)),
                action: "set_cache_settings",
                actionParameters: { cache: false },
                enabled: true,
            },
            {
                ref: "nova_cache_assets",
                description: `Cache ${assets}/* on ${config.hostname} at the edge for ${config.edge.assetsEdgeTtl} s`,
                expression: (0, expressions_1.allOf)((0, expressions_1.hostEquals)(config.hostname), (0, expressions_1.pathStartsWith)(`${assets}/`)),
                action: "set_cache_settings",
                actionParameters: {
                    cache: true,
                    edgeTtl: { mode: "override_origin", default: config.edge.assetsEdgeTtl },
                },
                enabled: true,
            },
        ],
    };
}
function rewriteRuleset(config) {
    return {
        suffix: "rewrite",
        phase: exports.TRANSFORM_PHASE,
        kind: "zone",
        name: "default",
        description: (0, rulesetSpec_1.rulesetDescription)("URL rewrite rules", config.stack),
        rules: [{
                ref: "nova_root_rewrite",
                description: `Serve ${config.paths.spa} at / on ${config.hostname}`,
                expression: rootExpression(config),
                action: "rewrite",
                actionParameters: { uri: { path: { value: config.paths.spa } } },
                enabled: true,
            }],
    };
}
/**
 * The phase entry-point rulesets of the `rulesets` engine: redirect (rootPath `redirect`),
 * cache (always), URL rewrite (rootPath `rewrite`). Empty for the `pageRules` engine.
 */
function rulesetSpecs(config) {
    if (config.edge.rulesEngine !== "rulesets")
        return [];
    const specs = [];
    if (config.edge.rootPath === "redirect")
        specs.push(redirectRuleset(config));
    specs.push(cacheRuleset(config));
    if (config.edge.rootPath === "rewrite")
        specs.push(rewriteRuleset(config));
    return specs;
}
/**
 * The guide's Page Rules for the `pageRules` engine (empty for `rulesets`), highest priority first.
 * Page Rules cannot rewrite: rootPath `rewrite` is rejected by `validateEdgeChoices` and throws here.
 */
function pageRuleSpecs(config) {
    if (config.edge.rulesEngine !== "pageRules")
        return [];
    if (config.edge.rootPath === "rewrite") {
        throw new Error('nova:rootPath "rewrite" is not possible with nova:rulesEngine "pageRules"');
    }
    const { hostname, paths } = config;
    const rules = [];
    if (config.edge.rootPath === "redirect") {
        // forwardingUrl cannot be combined with any other Page Rule action.
        rules.push({
            suffix: "pagerule-root",
            target: `${hostname}/`,
            priority: 3,
            status: "active",
            actions: { forwardingUrl: { url: spaUrl(config), statusCode: 301 } },
        });
    }
    rules.push({
        suffix: "pagerule-api",
        target: `${hostname}${paths.api}/*`,
        priority: 2,
        status: "active",
        // The guide's "Disable Performance" is the `disable_performance` action (v6: disablePerformance).
        actions: { cacheLevel: "bypass", disablePerformance: true },
    }, {
        suffix: "pagerule-assets",
        target: `${hostname}${paths.assets}/*`,
        priority: 1,
        status: "active",
        actions: { cacheLevel: "cache_everything", edgeCacheTtl: config.edge.assetsEdgeTtl },
    });
    return rules;
}
