/**
 * Every key of the `nova:` configuration namespace: one table that Pulumi.yaml, the README's
 * reference and the parser are checked against.
 */

/**
 * Types Pulumi's project config schema can declare (`object` since Pulumi 3.187). The CLI checks
 * only the type; the fields of objects are validated by the program (components/config/schemas.ts).
 */
export type KeyType = "string" | "integer" | "boolean" | "array" | "object";

export interface ConfigKey {
    readonly key: string;
    readonly type: KeyType;
    readonly description: string;
    /** Default when left out (what Pulumi.yaml declares), if any. */
    readonly default?: string | number | boolean | readonly string[] | Readonly<Record<string, never>>;
    /** Type of the items of an `array` key (default `string`). */
    readonly items?: "string" | "object";
    /** Set with `pulumi config set --secret`. */
    readonly secret?: boolean;
    /** The stack must set it (Pulumi itself refuses to run without it). */
    readonly required?: boolean;
}

/**
 * How a key is declared in Pulumi.yaml's `config:` block, or undefined for secrets (only some
 * stacks need them, and a declared key without a default is required). Optional keys default to
 * "" (read as unset) or, for objects, to {}, since Pulumi requires declared keys without a default.
 */
export function projectSchemaEntry(k: ConfigKey): Record<string, unknown> | undefined {
    if (k.secret) return undefined;
    return {
        type: k.type,
        description: k.description,
        ...(k.type === "array" ? { items: { type: k.items ?? "string" } } : {}),
        ...(k.required ? {} : { default: k.default ?? (k.type === "object" ? {} : "") }),
    };
}

export const NAMESPACE = "nova";

export const CONFIG_KEYS: readonly ConfigKey[] = [
    // Cloudflare zone and hostname
    { key: "zoneName", type: "string", required: true, description: "Cloudflare zone apex, e.g. example.com. Required." },
    { key: "zoneId", type: "string", description: "Zone id (32 hex). When left out, the zone is looked up by zoneName." },
    { key: "accountId", type: "string", description: "Cloudflare account id (32 hex). Required in tunnel mode." },
    { key: "hostname", type: "string", required: true, description: "Public hostname of NOVA, inside the zone. Required." },
    { key: "ingressMode", type: "string", default: "tunnel", description: "tunnel (Cloudflare Tunnel, no inbound port) or direct (proxied A record to originIp, firewall open to Cloudflare only)." },
    { key: "originIp", type: "string", description: "direct mode: public IPv4 address of the server. Required in direct mode." },
    { key: "originIpv6", type: "string", description: "direct mode: public IPv6 address of the server (adds an AAAA record)." },
    { key: "appPort", type: "integer", default: 8000, description: "The one TCP port the backend listens on (1-65535)." },
    // Public paths
    { key: "spaPath", type: "string", default: "/mail-to-biz", description: "Path of the React SPA; / redirects or rewrites here." },
    { key: "apiPath", type: "string", default: "/api", description: "Path prefix of the REST API (never cached)." },
    { key: "wsPath", type: "string", default: "/ws", description: "Path of the WebSocket endpoint (never cached)." },
    { key: "healthPath", type: "string", default: "/health", description: "Health endpoint polled after deployment." },
    { key: "assetsPath", type: "string", description: "Path prefix of the SPA's static assets (cached at the edge). Default: <spaPath>/assets." },
    // Edge
    { key: "manageZone", type: "boolean", default: true, description: "This stack owns the zone-wide settings: zone settings, WAF and the entry-point rulesets (one per phase per zone). Set false on every other stack sharing the zone; it then manages only its own records." },
    { key: "zoneHostnames", type: "array", default: [], description: "Hostnames of the other stacks sharing this zone (nova:manageZone false there): the zone-wide rules (redirect or rewrite of /, cache rules, WAF) cover them too. A direct-mode stack is listed as host:port with its nova:appPort (the origin rule routes it there; :443 needs no rule); a bare host is a tunnel-mode stack. Owner stack only; rulesets engine only." },
    { key: "sslMode", type: "string", description: "Cloudflare SSL mode: strict (the origin's Origin CA certificate is checked) or full. Default: strict when this stack or a stack it covers is in direct mode, else full. off/flexible are refused." },
    { key: "zoneSettings", type: "object", default: {}, description: "Overrides of managed zone settings: {alwaysUseHttps, automaticHttpsRewrites, minTlsVersion, tls13, zeroRtt, earlyHints, http3, browserCacheTtl, alwaysOnline, websockets}." },
    { key: "unmanagedSettings", type: "array", default: [], description: "Zone setting ids (snake_case) this stack leaves alone, e.g. settings the zone's plan does not allow." },
    { key: "waf", type: "string", default: "off", description: "managed (Cloudflare Managed Ruleset), owasp (also the OWASP Core Ruleset) or off. managed and owasp need a Pro plan or higher; Free zones get the Free Managed Ruleset by default." },
    { key: "rootPath", type: "string", default: "redirect", description: "What / does: redirect (301 to spaPath), rewrite (serve spaPath without redirect; rulesets only) or none." },
    { key: "rulesEngine", type: "string", default: "rulesets", description: "rulesets (Cloudflare Rules) or pageRules (legacy Page Rules, the guide's three rules; Rules take precedence over them)." },
    { key: "assetsEdgeTtl", type: "integer", default: 86400, description: "Edge cache TTL of the SPA's assets, seconds; at least the plan's minimum (nova:zonePlan)." },
    { key: "zonePlan", type: "string", default: "free", description: "The zone's Cloudflare plan: free, pro, business or enterprise; sets the minimum edge cache TTL (Free 7200 s, Pro 3600 s, Business and Enterprise 1 s)." },
    // Direct mode: origin TLS
    { key: "aop", type: "boolean", default: true, description: "direct mode: Authenticated Origin Pulls: the backend accepts only connections presenting Cloudflare's origin-pull client certificate; the zone owner turns zone-level AOP on for the direct-mode stacks it covers." },
    { key: "originCertificateDays", type: "integer", default: 365, description: "direct mode: validity of the Cloudflare Origin CA certificate, days (7, 30, 90, 365, 730, 1095 or 5475); a new key and certificate are issued at the first pulumi up of each half of that period." },
    { key: "appModule", type: "string", default: "main:app", description: "direct mode: the ASGI app uvicorn serves over TLS, module:attribute, imported from appDirectory (tunnel mode runs entryPoint instead)." },
    // Tunnel
    { key: "tunnelName", type: "string", description: "Tunnel name in the account. Default: nova-<stack>." },
    { key: "tunnelExtraHostnames", type: "array", default: [], description: "More hostnames inside the zone routed through the tunnel to the same origin." },
    // Hosts and credentials
    { key: "hosts", type: "array", items: "object", required: true, description: "Windows hosts, a list of {name, address, port, transport (ssh|winrm), user, hostKey, credentialKey, winrmAllowHttp, winrmAuth (negotiate|basic), winrmCaFile, detached}. Required." },
    { key: "sshPrivateKey", type: "string", secret: true, description: "Private key (OpenSSH or PEM) of ssh hosts whose credentialKey is left out." },
    { key: "winrmPassword", type: "string", secret: true, description: "Password of winrm hosts whose credentialKey is left out." },
    // Service
    { key: "serviceName", type: "string", default: "NOVA-Backend", description: "Windows service name of the backend." },
    { key: "appDirectory", type: "string", required: true, description: "Absolute Windows path of the application (holds .env and the entry point). Required." },
    { key: "pythonExe", type: "string", description: "Python interpreter. Default: <appDirectory>\\.venv\\Scripts\\python.exe." },
    { key: "entryPoint", type: "string", default: "main.py", description: "Entry point, relative to appDirectory or absolute." },
    { key: "logDirectory", type: "string", description: "Directory of the service's logs. Default: <appDirectory>\\logs." },
    { key: "appEnv", type: "object", default: {}, description: "Non-secret environment written to .env, as {NAME: value}. The keys NOVA_MODE, APP_HOST, APP_PORT and UVICORN_RELOAD are set by the program." },
    { key: "appEnvNotSecret", type: "array", default: [], description: "Names of appEnv entries that look like secrets (*_KEY, *_TOKEN, *_SECRET, *PASSWORD*) but are not; any other such name is refused in appEnv." },
    { key: "appSecretEnvKeys", type: "array", default: [], description: "Names of the secret environment variables (API keys) the service gets; their values are in appSecretEnv." },
    { key: "appSecretEnv", type: "object", secret: true, description: "Secret environment of the service, {NAME: value}, one entry per appSecretEnvKeys name, each set with pulumi config set --secret --path." },
    // Tools
    { key: "nssmVersion", type: "string", description: "NSSM version installed on the hosts. Default: 2.24-101-g897c7ad (pinned with its published SHA-256)." },
    { key: "nssmUrl", type: "string", description: "Download URL of the NSSM zip (e.g. an internal mirror). Default: the pinned release." },
    { key: "nssmSha256", type: "string", description: "SHA-256 of the NSSM zip. Required when nssmVersion or nssmUrl is changed." },
    { key: "cloudflaredVersion", type: "string", description: "cloudflared version (>= 2026.7.3) installed on the hosts in tunnel mode. Default: 2026.9.3 (pinned with its published SHA-256)." },
    { key: "cloudflaredUrl", type: "string", description: "Download URL of cloudflared-windows-amd64.exe. Default: the pinned release." },
    { key: "cloudflaredSha256", type: "string", description: "SHA-256 of the cloudflared exe. Required when no published hash is pinned for the version." },
    { key: "healthTimeoutSeconds", type: "integer", default: 120, description: "How long the health step waits for 200 from the health endpoint, seconds." },
    { key: "serviceEnv", type: "object", description: "Non-secret environment of the service process (NSSM AppEnvironmentExtra), as {NAME: value}; PYTHONUTF8=1 is always set. NSSM expands %VAR% in these values." },
    { key: "stepTimeoutSeconds", type: "integer", default: 1800, description: "Longest run of one host step (ssh or WinRM), seconds; a step still running then fails with a timeout error." },
    { key: "serviceAccount", type: "string", default: "virtual", description: "Account of the backend's service: virtual (NT SERVICE\\<serviceName>, granted read on the app, venv and .env and write on the log directory) or LocalSystem." },
    { key: "fixFolderAcls", type: "boolean", default: false, description: "Remove write access of non-administrators (Users, Authenticated Users, Everyone) from the app, venv and log directories; otherwise preflight refuses such folders." },
    { key: "removeGuideLeftovers", type: "boolean", default: false, description: "Remove what the manual guide left that the program only reports otherwise: the scheduled task NOVA-Backend, start-service.ps1, its Machine PATH entries." },
];

export function fullKey(key: string): string {
    return `${NAMESPACE}:${key}`;
}
