/**
 * Parses the raw `nova:` configuration into one immutable NovaConfig, reporting every problem at
 * once, each naming its key, the value given and what is accepted.
 */
import { z } from "zod";
import { validateEdgeChoices } from "../edge/validateEdge";
import { isInZone, validateHostnameList, validateTunnelHostnames } from "../tunnel/validate";
import { CLOUDFLARED_DEFAULT, CLOUDFLARED_MIN_VERSION, NSSM_DEFAULT, ToolDefault } from "../host/toolPins";
import { EdgeConfig, HostConfig, NovaConfig, ToolPin, ZoneSettingsConfig } from "../types";
import { CONFIG_KEYS, ConfigKey, fullKey } from "./keys";
import * as v from "./validators";

/** Reads the raw string of `nova:<key>`, undefined when unset. */
export type RawConfig = (key: string) => string | undefined;

/** Every problem found in a stack's configuration. */
export class NovaConfigError extends Error {
    constructor(public readonly problems: readonly string[]) {
        super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
        this.name = "NovaConfigError";
    }
}

/** The keys the program sets itself in `.env`; appEnv may not override them. */
export const MANAGED_ENV_KEYS = ["NOVA_MODE", "APP_HOST", "APP_PORT", "UVICORN_RELOAD"] as const;

const show = (value: unknown): string => (typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value));

const onOff = z.enum(["on", "off"]);
const zoneSettingsSchema = z.strictObject({
    alwaysUseHttps: onOff.optional(),
    automaticHttpsRewrites: onOff.optional(),
    minTlsVersion: z.enum(["1.2", "1.3"]).optional(),
    tls13: onOff.optional(),
    zeroRtt: onOff.optional(),
    earlyHints: onOff.optional(),
    http3: onOff.optional(),
    browserCacheTtl: z.number().int().min(0).max(31536000).optional(),
    alwaysOnline: onOff.optional(),
    websockets: onOff.optional(),
});

const hostSchema = z.strictObject({
    name: z.string(),
    address: z.string(),
    port: z.number().int().min(1).max(65535).optional(),
    transport: z.enum(["ssh", "winrm"]).optional(),
    user: z.string(),
    hostKey: z.string().optional(),
    credentialKey: z.string().optional(),
    winrmAllowHttp: z.boolean().optional(),
    winrmCaFile: z.string().optional(),
});

class Reader {
    readonly problems: string[] = [];
    private readonly raw: RawConfig;
    /** An empty string reads as unset: Pulumi.yaml declares optional keys with default "". */
    constructor(raw: RawConfig) {
        this.raw = (key) => (raw(key) === "" ? undefined : raw(key));
    }

    fail(key: string, accepted: string, given?: unknown): void {
        this.problems.push(`${fullKey(key)}: expected ${accepted}${given === undefined ? "" : `, got ${show(given)}`}`);
    }

    private spec(key: string): ConfigKey {
        const spec = CONFIG_KEYS.find((k) => k.key === key);
        if (!spec) throw new Error(`unknown configuration key ${key}`);
        return spec;
    }

    /** A string, checked; the declared default when unset. */
    str(key: string, check?: (s: string) => string | undefined, fallback?: string): string | undefined {
        const raw = this.raw(key) ?? (this.spec(key).default as string | undefined) ?? fallback;
        if (raw === undefined) return undefined;
        const why = check?.(raw);
        if (why) {
            this.fail(key, why, raw);
            return undefined;
        }
        return raw;
    }

    required(key: string, check?: (s: string) => string | undefined, when = ""): string | undefined {
        const value = this.str(key, check);
        if (value === undefined && this.raw(key) === undefined) this.problems.push(`${fullKey(key)}: required${when}; set it with \`pulumi config set ${fullKey(key)} <value>\``);
        return value;
    }

    oneOf<T extends string>(key: string, values: readonly T[]): T {
        const value = this.str(key);
        if (value !== undefined && (values as readonly string[]).includes(value)) return value as T;
        if (value !== undefined) this.fail(key, `one of ${values.join(", ")}`, value);
        return this.spec(key).default as T;
    }

    /**
     * True when the stack sets the key to something other than its default. (The Pulumi CLI passes
     * Pulumi.yaml's declared default for a key the stack leaves out, so a default value cannot tell.)
     */
    isSet(key: string): boolean {
        const raw = this.raw(key);
        const dflt = this.spec(key).default;
        if (raw === undefined) return false;
        if (dflt === undefined) return true;
        return Array.isArray(dflt) ? raw.replace(/\s/g, "") !== JSON.stringify(dflt) : raw !== String(dflt);
    }

    bool(key: string): boolean {
        const raw = this.raw(key);
        if (raw === undefined) return this.spec(key).default as boolean;
        if (raw === "true" || raw === "false") return raw === "true";
        this.fail(key, "true or false", raw);
        return this.spec(key).default as boolean;
    }

    int(key: string, min: number, max: number): number {
        const raw = this.raw(key);
        const fallback = this.spec(key).default as number;
        if (raw === undefined) return fallback;
        if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
            this.fail(key, `an integer ${min}-${max}`, raw);
            return fallback;
        }
        return Number(raw);
    }

    /** A JSON value (Pulumi passes lists and objects as JSON text), shape-checked with zod. */
    json<T>(key: string, schema: z.ZodType<T>, accepted: string): T | undefined {
        const raw = this.raw(key);
        if (raw === undefined) return undefined;
        let value: unknown;
        try {
            value = JSON.parse(raw);
        } catch {
            this.fail(key, accepted, raw);
            return undefined;
        }
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        for (const issue of result.error.issues) {
            const at = issue.path.length ? `${fullKey(key)}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}` : fullKey(key);
            this.problems.push(`${at}: ${issue.message}; expected ${accepted}`);
        }
        return undefined;
    }

    list(key: string, check?: (s: string) => string | undefined, accepted = "a list of strings"): readonly string[] {
        const items = this.json(key, z.array(z.string()), accepted) ?? (this.spec(key).default as readonly string[] | undefined) ?? [];
        items.forEach((item, i) => {
            const why = check?.(item);
            if (why) this.problems.push(`${fullKey(key)}[${i}]: expected ${why}, got ${show(item)}`);
        });
        return items;
    }
}

function toolPin(r: Reader, tool: "nssm" | "cloudflared", dflt: ToolDefault, needed: boolean): ToolPin {
    const version = r.str(`${tool}Version`, v.checkVersion) ?? dflt.version;
    const url = r.str(`${tool}Url`, v.checkDownloadUrl) ?? (version === dflt.version ? dflt.url : dflt.url.split(dflt.version).join(version));
    const given = r.str(`${tool}Sha256`, v.checkSha256);
    const published = version === dflt.version && url === dflt.url ? dflt.sha256 : undefined;
    const sha256 = (given ?? published ?? "").toLowerCase();
    if (needed && !sha256 && given === undefined) {
        r.problems.push(
            `${fullKey(`${tool}Sha256`)}: required: no published SHA-256 is pinned for ${tool} ${version} at ${url}; ` +
                `set the hash from the release's published checksums with \`pulumi config set ${fullKey(`${tool}Sha256`)} <sha256>\``,
        );
    }
    return { version, url, sha256 };
}

function parseHosts(r: Reader): HostConfig[] {
    const hosts = r.json("hosts", z.array(hostSchema).min(1), "a non-empty list of {name, address, user, transport, port, hostKey, credentialKey}") ?? [];
    if (r.problems.every((p) => !p.startsWith(fullKey("hosts"))) && hosts.length === 0) {
        r.problems.push(`${fullKey("hosts")}: required: a list of at least one Windows host`);
    }
    const seen = new Set<string>();
    return hosts.map((h, i) => {
        const at = (field: string, why: string, given: unknown) => r.problems.push(`${fullKey("hosts")}[${i}].${field}: expected ${why}, got ${show(given)}`);
        const transport = h.transport ?? "ssh";
        const check = (field: string, value: string | undefined, fn: (s: string) => string | undefined) => {
            const why = value === undefined ? undefined : fn(value);
            if (why) at(field, why, value);
        };
        check("name", h.name, v.checkHostName);
        if (seen.has(h.name)) at("name", "a name not used by another host", h.name);
        seen.add(h.name);
        check("address", h.address, v.checkAddress);
        check("user", h.user, v.checkUserName);
        check("credentialKey", h.credentialKey, (s) => (/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(s) ? undefined : "the name of a secret key of nova: (letters and digits)"));
        if (transport === "ssh") {
            if (h.hostKey === undefined) r.problems.push(`${fullKey("hosts")}[${i}].hostKey: required for ssh hosts (without it the host key is not checked); get it with ssh-keyscan`);
            check("hostKey", h.hostKey, v.checkHostKey);
            if (h.winrmAllowHttp !== undefined || h.winrmCaFile !== undefined) at("transport", "winrm when winrmAllowHttp or winrmCaFile is set", transport);
        } else if (h.winrmAllowHttp && h.winrmCaFile !== undefined) {
            at("winrmCaFile", "no CA file with winrmAllowHttp (a CA applies to HTTPS only)", h.winrmCaFile);
        }
        return {
            name: h.name,
            address: h.address,
            port: h.port ?? (transport === "ssh" ? 22 : h.winrmAllowHttp ? 5985 : 5986),
            transport,
            user: h.user,
            ...(h.hostKey !== undefined ? { hostKey: h.hostKey.trim() } : {}),
            credentialKey: h.credentialKey ?? (transport === "ssh" ? "sshPrivateKey" : "winrmPassword"),
            winrmAllowHttp: h.winrmAllowHttp ?? false,
            ...(h.winrmCaFile !== undefined ? { winrmCaFile: h.winrmCaFile } : {}),
        };
    });
}

/** Keys of the zone-wide resources: only the stack that owns the zone (nova:manageZone true) sets them. */
export const ZONE_WIDE_KEYS = ["sslMode", "zoneSettings", "unmanagedSettings", "waf", "rootPath", "rulesEngine", "assetsEdgeTtl", "zoneHostnames"] as const;

function parseEdge(r: Reader, zoneName: string, hostname: string | undefined): EdgeConfig {
    const manageZone = r.bool("manageZone");
    if (!manageZone) {
        for (const key of ZONE_WIDE_KEYS) {
            if (r.isSet(key)) {
                r.problems.push(
                    `${fullKey(key)}: has no effect with ${fullKey("manageZone")} false: the zone's settings, WAF and rules belong to the stack ` +
                        `that owns the zone (list this stack's hostname in its ${fullKey("zoneHostnames")}); remove it from this stack`,
                );
            }
        }
    }
    const ssl = r.oneOf("sslMode", ["full", "strict"] as const);
    const o = r.json("zoneSettings", zoneSettingsSchema, "an object of zone setting overrides (see the README)") ?? {};
    const zoneSettings: ZoneSettingsConfig = {
        ssl,
        alwaysUseHttps: o.alwaysUseHttps ?? "on",
        automaticHttpsRewrites: o.automaticHttpsRewrites ?? "on",
        minTlsVersion: o.minTlsVersion ?? "1.2",
        tls13: o.tls13 ?? "on",
        zeroRtt: o.zeroRtt ?? "off",
        earlyHints: o.earlyHints ?? "on",
        http3: o.http3 ?? "on",
        browserCacheTtl: o.browserCacheTtl ?? 14400,
        alwaysOnline: o.alwaysOnline ?? "on",
        websockets: o.websockets ?? "on",
    };
    const unmanagedSettings = r.list("unmanagedSettings");
    const waf = r.oneOf("waf", ["managed", "owasp", "off"] as const);
    const rootPath = r.oneOf("rootPath", ["redirect", "rewrite", "none"] as const);
    const rulesEngine = r.oneOf("rulesEngine", ["rulesets", "pageRules"] as const);
    const assetsEdgeTtl = r.int("assetsEdgeTtl", 1, 31536000);
    const otherHostnames = r.list("zoneHostnames", undefined, "a list of DNS names inside the zone");
    if (zoneName && hostname) r.problems.push(...validateHostnameList(fullKey("zoneHostnames"), zoneName, hostname, otherHostnames));
    if (otherHostnames.length > 0 && rulesEngine === "pageRules") {
        r.problems.push(`${fullKey("zoneHostnames")}: expected an empty list with ${fullKey("rulesEngine")} pageRules (Page Rules are per hostname, and Free allows 3); use rulesets`);
    }
    const edge = { manageZone, otherHostnames, zoneSettings, unmanagedSettings, waf, rootPath, rulesEngine, assetsEdgeTtl };
    r.problems.push(...validateEdgeChoices(edge));
    return edge;
}

/** Parses and validates a stack's `nova:` configuration; throws NovaConfigError listing every problem. */
export function parseNovaConfig(raw: RawConfig, stack: string): NovaConfig {
    const { config, problems } = collectNovaConfig(raw, stack);
    if (problems.length > 0) throw new NovaConfigError(problems);
    return config;
}

/**
 * Parses what it can and lists every problem. The config is filled with defaults where a value was
 * refused: use it only to find further problems (such as missing secrets), never to deploy.
 */
export function collectNovaConfig(raw: RawConfig, stack: string): { config: NovaConfig; problems: string[] } {
    const r = new Reader(raw);
    const zoneName = r.required("zoneName", v.checkDnsName) ?? "";
    const zoneId = r.str("zoneId", v.checkHex32);
    const ingressMode = r.oneOf("ingressMode", ["tunnel", "direct"] as const);
    const accountId = ingressMode === "tunnel" ? r.required("accountId", v.checkHex32, " in tunnel mode") : r.str("accountId", v.checkHex32);
    const hostname = r.required("hostname", v.checkDnsName);
    if (hostname && zoneName && !isInZone(zoneName, hostname)) r.fail("hostname", `a name inside the zone ${zoneName}`, hostname);
    const originIpv4 = ingressMode === "direct" ? r.required("originIp", v.checkIpv4, " in direct mode") : r.str("originIp", v.checkIpv4);
    const originIpv6 = r.str("originIpv6", v.checkIpv6);
    const appPort = r.int("appPort", 1, 65535);

    const spa = r.str("spaPath", v.checkUrlPath) ?? "/mail-to-biz";
    const paths = {
        spa,
        api: r.str("apiPath", v.checkUrlPath) ?? "/api",
        ws: r.str("wsPath", v.checkUrlPath) ?? "/ws",
        health: r.str("healthPath", v.checkUrlPath) ?? "/health",
        assets: r.str("assetsPath", v.checkUrlPath) ?? `${spa}/assets`,
    };
    const edge = parseEdge(r, zoneName, hostname);

    const tunnelName = r.str("tunnelName", (s) => (/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(s) ? undefined : "a tunnel name of letters, digits and . _ -"), `nova-${stack}`) ?? `nova-${stack}`;
    const extraHostnames = r.list("tunnelExtraHostnames", undefined, "a list of DNS names inside the zone");
    if (zoneName && hostname) r.problems.push(...validateTunnelHostnames(zoneName, hostname, extraHostnames));

    const hosts = parseHosts(r);

    const appDirectory = r.required("appDirectory", v.checkWindowsPath) ?? "C:\\";
    const service = {
        name: r.str("serviceName", v.checkServiceName) ?? "NOVA-Backend",
        appDirectory,
        pythonExe: r.str("pythonExe", v.checkWindowsPath) ?? `${appDirectory}\\.venv\\Scripts\\python.exe`,
        entryPoint: r.str("entryPoint", v.checkWindowsFile) ?? "main.py",
        logDirectory: r.str("logDirectory", v.checkWindowsPath) ?? `${appDirectory}\\logs`,
        account: r.oneOf("serviceAccount", ["virtual", "LocalSystem"] as const),
        fixFolderAcls: r.bool("fixFolderAcls"),
    };

    const appEnv = r.json("appEnv", z.record(z.string(), z.string()), "an object of {NAME: \"value\"} strings") ?? {};
    const managed: readonly string[] = MANAGED_ENV_KEYS;
    // Windows environment names ignore case: names that differ only in case are the same variable.
    const envNames = Object.keys(appEnv).map((k) => k.toUpperCase());
    for (const [k, val] of Object.entries(appEnv)) {
        const why =
            v.checkEnvName(k) ??
            (managed.includes(k.toUpperCase()) ? `a name other than ${MANAGED_ENV_KEYS.join(", ")} (set by the program)` : undefined) ??
            (envNames.filter((n) => n === k.toUpperCase()).length > 1 ? "a name used once (Windows ignores the case of environment names)" : undefined);
        if (why) r.problems.push(`${fullKey("appEnv")}.${k}: expected ${why}`);
        const whyValue = v.checkEnvValue(val) ?? checkDotenvValue(val);
        if (whyValue) r.problems.push(`${fullKey("appEnv")}.${k}: expected ${whyValue}, got ${show(val)}`);
    }
    const appSecretEnvKeys = r.list("appSecretEnvKeys", v.checkEnvName);
    appSecretEnvKeys.forEach((k, i) => {
        const upper = k.toUpperCase();
        if (managed.includes(upper) || envNames.includes(upper) || appSecretEnvKeys.findIndex((o) => o.toUpperCase() === upper) !== i) {
            r.problems.push(`${fullKey("appSecretEnvKeys")}[${i}]: expected a name listed once (case ignored), not in ${fullKey("appEnv")} nor set by the program, got ${show(k)}`);
        }
    });

    const cloudflared = toolPin(r, "cloudflared", CLOUDFLARED_DEFAULT, ingressMode === "tunnel");
    if (v.compareVersions(cloudflared.version, CLOUDFLARED_MIN_VERSION) < 0) {
        r.fail("cloudflaredVersion", `${CLOUDFLARED_MIN_VERSION} or later (earlier releases put the tunnel token in the service's ImagePath)`, cloudflared.version);
    }
    const tools = { nssm: toolPin(r, "nssm", NSSM_DEFAULT, true), cloudflared };
    const healthTimeoutSeconds = r.int("healthTimeoutSeconds", 5, 3600);
    const serviceEnv = parseServiceEnv(r, [...Object.keys(appEnv), ...appSecretEnvKeys]);
    const stepTimeoutSeconds = r.int("stepTimeoutSeconds", 60, 86400);
    const removeGuideLeftovers = r.bool("removeGuideLeftovers");

    const config: NovaConfig = deepFreeze({
        stack,
        zoneName,
        ...(zoneId !== undefined ? { zoneId } : {}),
        accountId: accountId ?? "",
        hostname: hostname ?? "",
        ingressMode,
        ...(originIpv4 !== undefined ? { originIpv4 } : {}),
        ...(originIpv6 !== undefined ? { originIpv6 } : {}),
        appPort,
        hosts,
        service,
        appEnv,
        appSecretEnvKeys,
        paths,
        edge,
        tunnel: { name: tunnelName, extraHostnames },
        tools,
        healthTimeoutSeconds,
        serviceEnv,
        stepTimeoutSeconds,
        removeGuideLeftovers,
    });
    return { config, problems: r.problems };
}

/**
 * A value python-dotenv reads back unchanged: it expands `${NAME}` (and `${NAME:-default}`) even in
 * quoted values, and a value ending in a backslash escapes the closing quote we write.
 */
export function checkDotenvValue(value: string): string | undefined {
    if (value.includes("${")) return "a value without ${ (python-dotenv would expand it)";
    if (value.endsWith("\\")) return "a value not ending in a backslash (python-dotenv would read the closing quote as escaped)";
    return undefined;
}

/** Names the program sets in the service's environment itself. */
export const MANAGED_SERVICE_ENV_KEYS = ["PYTHONUTF8"] as const;

function parseServiceEnv(r: Reader, otherNames: readonly string[]): Record<string, string> {
    const env = r.json("serviceEnv", z.record(z.string(), z.string()), "an object of {NAME: \"value\"} strings") ?? {};
    const taken = [...MANAGED_SERVICE_ENV_KEYS, ...otherNames].map((n) => n.toUpperCase());
    const names = Object.keys(env).map((k) => k.toUpperCase());
    for (const [k, val] of Object.entries(env)) {
        const why =
            v.checkEnvName(k) ??
            (taken.includes(k.toUpperCase()) ? `a name other than ${MANAGED_SERVICE_ENV_KEYS.join(", ")} and the appEnv and appSecretEnvKeys names` : undefined) ??
            (names.filter((n) => n === k.toUpperCase()).length > 1 ? "a name used once (Windows ignores the case of environment names)" : undefined);
        if (why) r.problems.push(`${fullKey("serviceEnv")}.${k}: expected ${why}`);
        const whyValue = v.checkEnvValue(val);
        if (whyValue) r.problems.push(`${fullKey("serviceEnv")}.${k}: expected ${whyValue}, got ${show(val)}`);
    }
    return env;
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object") {
        for (const v of Object.values(value)) deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}
