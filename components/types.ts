/**
 * The validated, immutable shape of one stack's configuration. `config.ts` builds it from
 * `pulumi.Config("nova")`; every component and script reads it, never the raw config.
 */

/** How Cloudflare reaches the origin. */
export type IngressMode = "tunnel" | "direct";
/** How commands reach a Windows host. */
export type Transport = "ssh" | "winrm";
/** What `/` does at the edge. */
export type RootPath = "redirect" | "rewrite" | "none";
/** Which Cloudflare feature carries the redirect and cache rules. */
export type RulesEngine = "rulesets" | "pageRules";
/** Managed WAF rulesets executed in the zone. */
export type WafMode = "managed" | "owasp" | "off";

/** How the WinRM runner authenticates (scripts/shared/remote/winrmAuth.ts). */
export type WinrmAuth = "negotiate" | "basic";

/** One Windows host that runs the backend (and, in tunnel mode, a tunnel connector). */
export interface HostConfig {
    /** Logical name, `[a-z0-9-]`, used in resource names. */
    readonly name: string;
    /** DNS name or IP address the transport connects to. */
    readonly address: string;
    /** 22 for ssh, 5986 for winrm unless configured. */
    readonly port: number;
    readonly transport: Transport;
    /** Account used to connect (an administrator). */
    readonly user: string;
    /** ssh: the host's public key (`ssh-ed25519 AAAA...`), required. */
    readonly hostKey?: string;
    /** Name of the secret config key (in `nova:`) holding the ssh private key or the WinRM password. */
    readonly credentialKey: string;
    /** winrm: plain HTTP (5985) instead of HTTPS; an explicit opt-in. */
    readonly winrmAllowHttp: boolean;
    /**
     * winrm: how the runner authenticates: Negotiate (NTLMv2, on by default on the WinRM service) or
     * Basic (an explicit opt-in; Basic must then be enabled on the service).
     * @default "negotiate"
     */
    readonly winrmAuth?: WinrmAuth;
    /** winrm: PEM file of the CA that signed the listener's certificate (else the system store). */
    readonly winrmCaFile?: string;
    /**
     * The host is given up (unreachable, or gone): its step commands keep their names but run nothing,
     * on update or on delete, so `pulumi up` and `pulumi destroy` complete without reaching it. What was
     * installed stays on the machine.
     * @default absent (the steps run)
     */
    readonly detached?: true;
}

/** A downloaded tool, pinned by version and SHA-256. */
export interface ToolPin {
    readonly version: string;
    readonly url: string;
    /** Lower-case hex SHA-256 of the file at `url`. */
    readonly sha256: string;
}

/** The Windows service that runs the backend. */
export interface ServiceConfig {
    /** Windows service name, default `NOVA-Backend`. */
    readonly name: string;
    /** Working directory and home of `.env`. */
    readonly appDirectory: string;
    /** Python interpreter (usually the venv's `python.exe`). */
    readonly pythonExe: string;
    /** Entry point script, relative to appDirectory or absolute. */
    readonly entryPoint: string;
    /** Directory of the service's stdout/stderr logs. */
    readonly logDirectory: string;
    /** direct mode: the ASGI application uvicorn serves, `module:attribute` (default `main:app`). */
    readonly appModule: string;
    /** `virtual`: NT SERVICE\<name>, granted only what it needs; or LocalSystem. */
    readonly account: "virtual" | "LocalSystem";
    /** Remove non-administrators' write access to the app, venv and log directories (else refused). */
    readonly fixFolderAcls: boolean;
}

/** Public paths served by the backend. All start with `/` and have no trailing slash. */
export interface AppPaths {
    readonly spa: string;
    readonly api: string;
    readonly ws: string;
    readonly health: string;
    readonly assets: string;
}

/** Cloudflare zone settings we manage (values as the API takes them). */
export interface ZoneSettingsConfig {
    readonly ssl: "full" | "strict";
    readonly alwaysUseHttps: "on" | "off";
    readonly automaticHttpsRewrites: "on" | "off";
    readonly minTlsVersion: "1.2" | "1.3";
    readonly tls13: "on" | "off";
    readonly zeroRtt: "on" | "off";
    readonly earlyHints: "on" | "off";
    readonly http3: "on" | "off";
    readonly browserCacheTtl: number;
    readonly alwaysOnline: "on" | "off";
    readonly websockets: "on" | "off";
}

export interface EdgeConfig {
    /** This stack owns the zone-wide resources (settings, WAF, entry-point rulesets). */
    readonly manageZone: boolean;
    /** Hostnames of other stacks in the zone that the zone-wide rules cover too (owner stack only). */
    readonly otherHostnames: readonly string[];
    /**
     * Port the app of each other direct-mode stack listens on, by hostname as listed (entries
     * `host:port` of `nova:zoneHostnames`); a hostname without a port is a tunnel-mode stack.
     */
    readonly otherDirectPorts: Readonly<Record<string, number>>;
    /** Zone-level Authenticated Origin Pulls (owner stack): on when a direct-mode origin requires it. */
    readonly zoneAop: boolean;
    readonly zoneSettings: ZoneSettingsConfig;
    /** Setting ids (snake_case API ids) left unmanaged, e.g. for a Free zone. */
    readonly unmanagedSettings: readonly string[];
    readonly waf: WafMode;
    readonly rootPath: RootPath;
    readonly rulesEngine: RulesEngine;
    /** Edge cache TTL of the SPA assets, seconds. */
    readonly assetsEdgeTtl: number;
}

export interface TunnelConfig {
    /** Tunnel name in the account, unique per stack. */
    readonly name: string;
    /** Further hostnames (inside the zone) routed to the same origin. */
    readonly extraHostnames: readonly string[];
}

/** direct mode: how Cloudflare and the origin authenticate each other. */
export interface OriginTlsConfig {
    /** The backend requires Cloudflare's origin-pull client certificate (Authenticated Origin Pulls). */
    readonly aop: boolean;
    /** Validity of the Cloudflare Origin CA certificate, days (a value the Origin CA accepts). */
    readonly certificateDays: number;
}

export interface NovaConfig {
    /** Stack name (prod, staging, ...). */
    readonly stack: string;
    /** The zone apex, e.g. `example.com`. Always known: used to validate hostnames. */
    readonly zoneName: string;
    /** Zone id when configured; else looked up by name. */
    readonly zoneId?: string;
    readonly accountId: string;
    /** Public hostname of the app, inside the zone. */
    readonly hostname: string;
    readonly ingressMode: IngressMode;
    /** direct mode: public IPv4 of the origin. */
    readonly originIpv4?: string;
    /** direct mode: public IPv6 of the origin, optional. */
    readonly originIpv6?: string;
    /** The one port the backend listens on. */
    readonly appPort: number;
    readonly hosts: readonly HostConfig[];
    readonly service: ServiceConfig;
    /** Non-secret `.env`/service environment. */
    readonly appEnv: Readonly<Record<string, string>>;
    /** Names of the secret environment variables (values come from `nova:appSecretEnv`). */
    readonly appSecretEnvKeys: readonly string[];
    readonly paths: AppPaths;
    readonly edge: EdgeConfig;
    readonly tunnel: TunnelConfig;
    /** direct mode: origin certificate and client authentication (unused in tunnel mode). */
    readonly originTls: OriginTlsConfig;
    readonly tools: { readonly nssm: ToolPin; readonly cloudflared: ToolPin };
    /** Seconds the health step waits for 200. */
    readonly healthTimeoutSeconds: number;
    /** Non-secret environment of the service process (besides PYTHONUTF8=1). */
    readonly serviceEnv: Readonly<Record<string, string>>;
    /** Longest run of one host step, seconds. */
    readonly stepTimeoutSeconds: number;
    /** Remove the guide's scheduled task, startup script and PATH entries (else only reported). */
    readonly removeGuideLeftovers: boolean;
}
