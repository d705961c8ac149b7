import type * as cloudflare from "@pulumi/cloudflare";
import { NovaConfig } from "../types";
import { allOf, hostIn, pathAtOrUnder, pathEquals, pathStartsWith, quoteRulesString } from "./expressions";
import { ZoneRulesetSpec, rulesetDescription } from "./rulesetSpec";

export const REDIRECT_PHASE = "http_request_dynamic_redirect";
export const CACHE_PHASE = "http_request_cache_settings";
export const TRANSFORM_PHASE = "http_request_transform";
export const ORIGIN_PHASE = "http_request_origin";

/** The port Cloudflare connects to for HTTPS visitors when no Origin Rule says otherwise. */
export const CLOUDFLARE_HTTPS_PORT = 443;

/** `https://<hostname><spa>`: where `/` leads. */
export function spaUrl(config: NovaConfig): string {
    return `https://${config.hostname}${config.paths.spa}`;
}

/** The hostnames the zone-wide rules cover: this stack's, then those of the other stacks in the zone. */
export function ruleHostnames(config: NovaConfig): string[] {
    return [config.hostname, ...config.edge.otherHostnames];
}

/** Hostnames as they read in rule descriptions. */
function hostsText(config: NovaConfig): string {
    return ruleHostnames(config).join(", ");
}

function rootExpression(config: NovaConfig): string {
    return allOf(hostIn(ruleHostnames(config)), pathEquals("/"));
}

/** Where `/` leads: a fixed URL for one host; for several, the requested host's own SPA URL. */
function redirectTarget(config: NovaConfig): { value: string } | { expression: string } {
    return config.edge.otherHostnames.length === 0
        ? { value: spaUrl(config) }
        : { expression: `concat("https://", http.host, ${quoteRulesString(config.paths.spa)})` };
}

function redirectRuleset(config: NovaConfig): ZoneRulesetSpec {
    return {
        suffix: "redirect",
        phase: REDIRECT_PHASE,
        kind: "zone",
        name: "default",
        description: rulesetDescription("Single Redirects", config.stack),
        rules: [{
            ref: "nova_root_redirect",
            description: `Redirect / on ${hostsText(config)} to ${config.paths.spa}`,
            expression: rootExpression(config),
            action: "redirect",
            actionParameters: {
                fromValue: { statusCode: 301, preserveQueryString: true, targetUrl: redirectTarget(config) },
            },
            enabled: true,
        }],
    };
}

function cacheRuleset(config: NovaConfig): ZoneRulesetSpec {
    const { api, ws, assets } = config.paths;
    return {
        suffix: "cache",
        phase: CACHE_PHASE,
        kind: "zone",
        name: "default",
        description: rulesetDescription("Cache Rules", config.stack),
        rules: [
            {
                ref: "nova_cache_bypass_dynamic",
                description: `Never cache ${api} and ${ws} on ${hostsText(config)}`,
                expression: allOf(hostIn(ruleHostnames(config)), pathAtOrUnder(api, ws)),
                action: "set_cache_settings",
                actionParameters: { cache: false },
                enabled: true,
            },
            {
                ref: "nova_cache_assets",
                description: `Cache ${assets}/* on ${hostsText(config)} at the edge for ${config.edge.assetsEdgeTtl} s`,
                expression: allOf(hostIn(ruleHostnames(config)), pathStartsWith(`${assets}/`)),
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

function rewriteRuleset(config: NovaConfig): ZoneRulesetSpec {
    return {
        suffix: "rewrite",
        phase: TRANSFORM_PHASE,
        kind: "zone",
        name: "default",
        description: rulesetDescription("URL rewrite rules", config.stack),
        rules: [{
            ref: "nova_root_rewrite",
            description: `Serve ${config.paths.spa} at / on ${hostsText(config)}`,
            expression: rootExpression(config),
            action: "rewrite",
            actionParameters: { uri: { path: { value: config.paths.spa } } },
            enabled: true,
        }],
    };
}

/**
 * Direct-mode hostnames the zone's origin ruleset routes, by app port (ports other than 443 only, in
 * ascending order; hostnames in listed order): this stack's own in direct mode, then the other
 * direct-mode stacks of `nova:zoneHostnames` (`host:port`).
 */
export function originRoutes(config: NovaConfig): { port: number; hostnames: string[] }[] {
    const byPort = new Map<number, string[]>();
    const add = (hostname: string, port: number) => {
        if (port !== CLOUDFLARE_HTTPS_PORT) byPort.set(port, [...(byPort.get(port) ?? []), hostname]);
    };
    if (config.ingressMode === "direct") add(config.hostname, config.appPort);
    for (const hostname of config.edge.otherHostnames) {
        const port = config.edge.otherDirectPorts[hostname];
        if (port !== undefined) add(hostname, port);
    }
    return [...byPort.entries()].sort(([a], [b]) => a - b).map(([port, hostnames]) => ({ port, hostnames }));
}

/**
 * The Origin Rules: a proxied HTTPS request reaches the origin on the visitor's port (443), and a
 * direct-mode app listens on its own port; each rule sends its hostnames there (WebSocket upgrades
 * included: they are requests of the same hostnames). Undefined when nothing needs routing.
 */
export function originRuleset(config: NovaConfig): ZoneRulesetSpec | undefined {
    const routes = originRoutes(config);
    if (routes.length === 0) return undefined;
    return {
        suffix: "origin",
        phase: ORIGIN_PHASE,
        kind: "zone",
        name: "default",
        description: rulesetDescription("Origin Rules", config.stack),
        rules: routes.map(({ port, hostnames }) => ({
            ref: `nova_origin_port_${port}`,
            description: `Connect to the origin of ${hostnames.join(", ")} on port ${port}`,
            expression: hostIn(hostnames),
            action: "route",
            actionParameters: { origin: { port } },
            enabled: true,
        })),
    };
}

/**
 * The phase entry-point rulesets of the `rulesets` engine: redirect (rootPath `redirect`),
 * cache (always), URL rewrite (rootPath `rewrite`). Empty for the `pageRules` engine.
 */
export function rulesetSpecs(config: NovaConfig): ZoneRulesetSpec[] {
    if (config.edge.rulesEngine !== "rulesets") return [];
    const specs: ZoneRulesetSpec[] = [];
    if (config.edge.rootPath === "redirect") specs.push(redirectRuleset(config));
    specs.push(cacheRuleset(config));
    if (config.edge.rootPath === "rewrite") specs.push(rewriteRuleset(config));
    const origin = originRuleset(config);
    if (origin) specs.push(origin);
    return specs;
}

/** One legacy Page Rule. */
export interface PageRuleSpec {
    /** Child name suffix, e.g. `pagerule-root`. */
    readonly suffix: string;
    readonly target: string;
    /** Higher wins. */
    readonly priority: number;
    readonly status: "active";
    readonly actions: cloudflare.types.input.PageRuleActions;
}

/**
 * The guide's Page Rules for the `pageRules` engine (empty for `rulesets`), highest priority first.
 * Page Rules cannot rewrite: rootPath `rewrite` is rejected by `validateEdgeChoices` and throws here.
 */
export function pageRuleSpecs(config: NovaConfig): PageRuleSpec[] {
    if (config.edge.rulesEngine !== "pageRules") return [];
    if (config.edge.rootPath === "rewrite") {
        throw new Error('nova:rootPath "rewrite" is not possible with nova:rulesEngine "pageRules"');
    }
    const { hostname, paths } = config;
    const rules: PageRuleSpec[] = [];
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
    rules.push(
        {
            suffix: "pagerule-api",
            target: `${hostname}${paths.api}/*`,
            priority: 2,
            status: "active",
            // The guide's "Disable Performance" is the `disable_performance` action (v6: disablePerformance).
            actions: { cacheLevel: "bypass", disablePerformance: true },
        },
        {
            suffix: "pagerule-assets",
            target: `${hostname}${paths.assets}/*`,
            priority: 1,
            status: "active",
            actions: { cacheLevel: "cache_everything", edgeCacheTtl: config.edge.assetsEdgeTtl },
        },
    );
    return rules;
}
