/**
 * The deployment guide's Cloudflare settings, and what this program does with each.
 * `docs/EDGE.md` carries the table rendered by {@link guideSettingsTable}; a test keeps them equal.
 */

/** A guide setting this program deliberately does not manage. */
export interface RetiredGuideSetting {
    /** The setting as the guide names it. */
    readonly guide: string;
    /** What the guide asks for. */
    readonly guideValue: string;
    /** Why it is not managed. */
    readonly reason: string;
}

/** A guide setting this program manages, and where. */
export interface ManagedGuideSetting {
    readonly guide: string;
    readonly guideValue: string;
    /** What the program manages instead (resource, setting id, config key). */
    readonly managedAs: string;
}

/** Guide settings that are not managed, with the reason for each. */
export function retiredGuideSettings(): readonly RetiredGuideSetting[] {
    return [
        {
            guide: "Auto Minify",
            guideValue: "JavaScript, CSS, HTML",
            reason: "Retired by Cloudflare in August 2024; minify at build time instead.",
        },
        {
            guide: "Brotli",
            guideValue: "On",
            reason: "Retired as a setting in June 2024; Brotli is always on for clients that accept it.",
        },
        {
            guide: "HTTP/2 (edge)",
            guideValue: "(implied, not listed)",
            reason: "Always on; the `http2` setting is read-only on the Free plan, so managing it fails there.",
        },
        {
            guide: "HTTP/2 to Origin",
            guideValue: "On",
            reason:
                "An origin connection option, not one of our zone settings: in tunnel mode it is the tunnel's " +
                "origin request option `http2Origin`; the backend (uvicorn) speaks HTTP/1.1 only.",
        },
        {
            guide: "WAF (legacy) / Firewall Rules",
            guideValue: "On",
            reason:
                "The legacy WAF setting and firewall rules are retired (January 2025); " +
                "managed rulesets replace them (`nova:waf`).",
        },
    ];
}

/** Guide settings that are managed, and how. */
export function managedGuideSettings(): readonly ManagedGuideSetting[] {
    return [
        { guide: "DNS record (A, Proxied, TTL Auto)", guideValue: "server IP", managedAs: "`DnsRecord` A/AAAA (direct) or CNAME to the tunnel (tunnel), proxied, ttl 1" },
        { guide: "SSL/TLS mode", guideValue: "Full", managedAs: "`ssl` from `nova:sslMode` (`full` or `strict`), with `ssl_automatic_mode` = `custom` so Automatic SSL/TLS leaves it alone" },
        { guide: "Always Use HTTPS", guideValue: "On", managedAs: "`always_use_https`" },
        { guide: "Automatic HTTPS Rewrites", guideValue: "On", managedAs: "`automatic_https_rewrites`" },
        { guide: "Minimum TLS Version", guideValue: "1.2", managedAs: "`min_tls_version`" },
        { guide: "Early Hints", guideValue: "On", managedAs: "`early_hints`" },
        { guide: "HTTP/3 (with QUIC)", guideValue: "On", managedAs: "`http3`" },
        { guide: "Caching Level", guideValue: "Standard", managedAs: "not managed: Standard is the zone default (`cache_level` = `aggressive`)" },
        { guide: "Browser Cache TTL", guideValue: "4 hours", managedAs: "`browser_cache_ttl` (seconds)" },
        { guide: "Always Online", guideValue: "On", managedAs: "`always_online`" },
        { guide: "Page Rule 1: `/` → SPA (301)", guideValue: "Forwarding URL", managedAs: "Single Redirect rule (rulesets) or the same Page Rule (pageRules); `nova:rootPath`" },
        { guide: "Page Rule 2: API no cache", guideValue: "Bypass, Disable Performance", managedAs: "Cache Rule `cache: false` for API and WebSocket paths (rulesets) or the same Page Rule" },
        { guide: "Page Rule 3: assets", guideValue: "Cache Everything, Edge TTL 1 day", managedAs: "Cache Rule with edge TTL `assetsEdgeTtl` (rulesets) or the same Page Rule" },
        { guide: "Transform Rule: rewrite `/`", guideValue: "optional", managedAs: "URL rewrite rule when `nova:rootPath` = `rewrite` (rulesets only)" },
        { guide: "WAF", guideValue: "On (SQLi, XSS, OWASP)", managedAs: "`http_request_firewall_managed` ruleset, `nova:waf` = `managed` or `owasp`" },
    ];
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|");
}

/** The "guide says / what we do" table, as Markdown. */
export function guideSettingsTable(): string {
    const rows = [
        "| Guide setting | Guide says | What nova-infra does |",
        "|---|---|---|",
        ...managedGuideSettings().map((s) => `| ${cell(s.guide)} | ${cell(s.guideValue)} | ${cell(s.managedAs)} |`),
        ...retiredGuideSettings().map((s) => `| ${cell(s.guide)} | ${cell(s.guideValue)} | not managed: ${cell(s.reason)} |`),
    ];
    return rows.join("\n");
}
