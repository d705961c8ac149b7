"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.MANAGED_ENV_KEYS = exports.NovaConfigError = void 0;
exports.parseNovaConfig = parseNovaConfig;
exports.collectNovaConfig = collectNovaConfig;
/**
 * Parses the raw `nova:` configuration into one immutable NovaConfig, reporting every problem at
 * once, each naming its key, the value given and what is accepted.
 */
const zod_1 = require("zod");
const validateEdge_1 = require("../edge/validateEdge");
const validate_1 = require("../tunnel/validate");
const toolPins_1 = require("../host/toolPins");
const keys_1 = require("./keys");
const v = __importStar(require("./validators"));
/** Every problem found in a stack's configuration. */
class NovaConfigError extends Error {
    problems;
    constructor(problems) {
        super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
        this.problems = problems;
        this.name = "NovaConfigError";
    }
}
exports.NovaConfigError = NovaConfigError;
/** The keys the program sets itself in `.env`; appEnv may not override them. */
exports.MANAGED_ENV_KEYS = ["NOVA_MODE", "APP_HOST", "APP_PORT", "UVICORN_RELOAD"];
const show = (value) => (typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value));
const onOff = zod_1.z.enum(["on", "off"]);
const zoneSettingsSchema = zod_1.z.strictObject({
    alwaysUseHttps: onOff.optional(),
    automaticHttpsRewrites: onOff.optional(),
    minTlsVersion: zod_1.z.enum(["1.2", "1.3"]).optional(),
    tls13: onOff.optional(),
    zeroRtt: onOff.optional(),
    earlyHints: onOff.optional(),
    http3: onOff.optional(),
    browserCacheTtl: zod_1.z.number().int().min(0).max(31536000).optional(),
    alwaysOnline: onOff.optional(),
    websockets: onOff.optional(),
});
const hostSchema = zod_1.z.strictObject({
    name: zod_1.z.string(),
    address: zod_1.z.string(),
    port: zod_1.z.number().int().min(1).max(65535).optional(),
    transport: zod_1.z.enum(["ssh", "winrm"]).optional(),
    user: zod_1.z.string(),
    hostKey: zod_1.z.string().optional(),
    credentialKey: zod_1.z.string().optional(),
    winrmAllowHttp: zod_1.z.boolean().optional(),
    winrmCaFile: zod_1.z.string().optional(),
});
class Reader {
    problems = [];
    raw;
    /** An empty string reads as unset: Pulumi.yaml declares optional keys with default "". */
    constructor(raw) {
        this.raw = (key) => (raw(key) === "" ? undefined : raw(key));
    }
    fail(key, accepted, given) {
        this.problems.push(`${(0, keys_1.fullKey)(key)}: expected ${accepted}${given === undefined ? "" : `, got ${show(given)}`}`);
    }
    spec(key) {
        const spec = keys_1.CONFIG_KEYS.find((k) => k.key === key);
        if (!spec)
            throw new Error(`unknown configuration key ${key}`);
        return spec;
    }
    /** A string, checked; the declared default when unset. */
    str(key, check, fallback) {
        const raw = this.raw(key) ?? this.spec(key).default ?? fallback;
        if (raw === undefined)
            return undefined;
        const why = check?.(raw);
        if (why) {
            this.fail(key, why, raw);
            return undefined;
        }
        return raw;
    }
    required(key, check, when = "") {
        const value = this.str(key, check);
        if (value === undefined && this.raw(key) === undefined)
            this.problems.push(`${(0, keys_1.fullKey)(key)}: required${when}; set it with \`pulumi config set ${(0, keys_1.fullKey)(key)} <value>\``);
        return value;
    }
    oneOf(key, values) {
        const value = this.str(key);
        if (value !== undefined && values.includes(value))
            return value;
        if (value !== undefined)
            this.fail(key, `one of ${values.join(", ")}`, value);
        return this.spec(key).default;
    }
    bool(key) {
        const raw = this.raw(key);
        if (raw === undefined)
            return this.spec(key).default;
        if (raw === "true" || raw === "false")
            return raw === "true";
        this.fail(key, "true or false", raw);
        return this.spec(key).default;
    }
    int(key, min, max) {
        const raw = this.raw(key);
        const fallback = this.spec(key).default;
        if (raw === undefined)
            return fallback;
        if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) {
            this.fail(key, `an integer ${min}-${max}`, raw);
            return fallback;
        }
        return Number(raw);
    }
    /** A JSON value (Pulumi passes lists and objects as JSON text), shape-checked with zod. */
    json(key, schema, accepted) {
        const raw = this.raw(key);
        if (raw === undefined)
            return undefined;
        let value;
        try {
            value = JSON.parse(raw);
        }
        catch {
            this.fail(key, accepted, raw);
            return undefined;
        }
        const result = schema.safeParse(value);
        if (result.success)
            return result.data;
        for (const issue of result.error.issues) {
            const at = issue.path.length ? `${(0, keys_1.fullKey)(key)}${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}` : (0, keys_1.fullKey)(key);
            this.problems.push(`${at}: ${issue.message}; expected ${accepted}`);
        }
        return undefined;
    }
    list(key, check, accepted = "a list of strings") {
        const items = this.json(key, zod_1.z.array(zod_1.z.string()), accepted) ?? this.spec(key).default ?? [];
        items.forEach((item, i) => {
            const why = check?.(item);
            if (why)
                this.problems.push(`${(0, keys_1.fullKey)(key)}[${i}]: expected ${why}, got ${show(item)}`);
        });
        return items;
    }
}
function toolPin(r, tool, dflt, needed) {
    const version = r.str(`${tool}Version`, v.checkVersion) ?? dflt.version;
    const url = r.str(`${tool}Url`, v.checkDownloadUrl) ?? (version === dflt.version ? dflt.url : dflt.url.split(dflt.version).join(version));
    const given = r.str(`${tool}Sha256`, v.checkSha256);
    const published = version === dflt.version && url === dflt.url ? dflt.sha256 : undefined;
    const sha256 = (given ?? published ?? "").toLowerCase();
    if (needed && !sha256 && given === undefined) {
        r.problems.push(`${(0, keys_1.fullKey)(`${tool}Sha256`)}: required: no published SHA-256 is pinned for ${tool} ${version} at ${url}; ` +
            `set the hash from the release's published checksums with \`pulumi config set ${(0, keys_1.fullKey)(`${tool}Sha256`)} <sha256>\``);
    }
    return { version, url, sha256 };
}
function parseHosts(r) {
    const hosts = r.json("hosts", zod_1.z.array(hostSchema).min(1), "a non-empty list of {name, address, user, transport, port, hostKey, credentialKey}") ?? [];
    if (r.problems.every((p) => !p.startsWith((0, keys_1.fullKey)("hosts"))) && hosts.length === 0) {
        r.problems.push(`${(0, keys_1.fullKey)("hosts")}: required: a list of at least one Windows host`);
    }
    const seen = new Set();
    return hosts.map((h, i) => {
        const at = (field, why, given) => r.problems.push(`${(0, keys_1.fullKey)("hosts")}[${i}].${field}: expected ${why}, got ${show(given)}`);
        const transport = h.transport ?? "ssh";
        const check = (field, value, fn) => {
            const why = value === undefined ? undefined : fn(value);
            if (why)
                at(field, why, value);
        };
        check("name", h.name, v.checkHostName);
        if (seen.has(h.name))
            at("name", "a name not used by another host", h.name);
        seen.add(h.name);
        check("address", h.address, v.checkAddress);
        check("user", h.user, v.checkUserName);
        check("credentialKey", h.credentialKey, (s) => (/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(s) ? undefined : "the name of a secret key of nova: (letters and digits)"));
        if (transport === "ssh") {
            if (h.hostKey === undefined)
                r.problems.push(`${(0, keys_1.fullKey)("hosts")}[${i}].hostKey: required for ssh hosts (without it the host key is not checked); get it with ssh-keyscan`);
            check("hostKey", h.hostKey, v.checkHostKey);
            if (h.winrmAllowHttp !== undefined || h.winrmCaFile !== undefined)
                at("transport", "winrm when winrmAllowHttp or winrmCaFile is set", transport);
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
function parseEdge(r) {
    const ssl = r.oneOf("sslMode", ["full", "strict"]);
    const o = r.json("zoneSettings", zoneSettingsSchema, "an object of zone setting overrides (see the README)") ?? {};
    const zoneSettings = {
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
    const waf = r.oneOf("waf", ["managed", "owasp", "off"]);
    const rootPath = r.oneOf("rootPath", ["redirect", "rewrite", "none"]);
    const rulesEngine = r.oneOf("rulesEngine", ["rulesets", "pageRules"]);
    const assetsEdgeTtl = r.int("assetsEdgeTtl", 1, 31536000);
    const edge = { manageZone: r.bool("manageZone"), zoneSettings, unmanagedSettings, waf, rootPath, rulesEngine, assetsEdgeTtl };
    r.problems.push(...(0, validateEdge_1.validateEdgeChoices)(edge));
    return edge;
}
/** Parses and validates a stack's `nova:` configuration; throws NovaConfigError listing every problem. */
function parseNovaConfig(raw, stack) {
    const { config, problems } = collectNovaConfig(raw, stack);
    if (problems.length > 0)
        throw new NovaConfigError(problems);
    return config;
}
/**
 * Parses what it can and lists every problem. The config is filled with defaults where a value was
 * refused: use it only to find further problems (such as missing secrets), never to deploy.
 */
function collectNovaConfig(raw, stack) {
    const r = new Reader(raw);
    const zoneName = r.required("zoneName", v.checkDnsName) ?? "";
    const zoneId = r.str("zoneId", v.checkHex32);
    const ingressMode = r.oneOf("ingressMode", ["tunnel", "direct"]);
    const accountId = ingressMode === "tunnel" ? r.required("accountId", v.checkHex32, " in tunnel mode") : r.str("accountId", v.checkHex32);
    const hostname = r.required("hostname", v.checkDnsName);
    if (hostname && zoneName && !(0, validate_1.isInZone)(zoneName, hostname))
        r.fail("hostname", `a name inside the zone ${zoneName}`, hostname);
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
    const edge = parseEdge(r);
    const tunnelName = r.str("tunnelName", (s) => (/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(s) ? undefined : "a tunnel name of letters, digits and . _ -"), `nova-${stack}`) ?? `nova-${stack}`;
    const extraHostnames = r.list("tunnelExtraHostnames", undefined, "a list of DNS names inside the zone");
    if (zoneName && hostname)
        r.problems.push(...(0, validate_1.validateTunnelHostnames)(zoneName, hostname, extraHostnames));
    const hosts = parseHosts(r);
    const appDirectory = r.required("appDirectory", v.checkWindowsPath) ?? "C:\\";
    const service = {
        name: r.str("serviceName", v.checkServiceName) ?? "NOVA-Backend",
        appDirectory,
        pythonExe: r.str("pythonExe", v.checkWindowsPath) ?? `${appDirectory}\\.venv\\Scripts\\python.exe`,
        entryPoint: r.str("entryPoint", v.checkWindowsFile) ?? "main.py",
        logDirectory: r.str("logDirectory", v.checkWindowsPath) ?? `${appDirectory}\\logs`,
    };
    const appEnv = r.json("appEnv", zod_1.z.record(zod_1.z.string(), zod_1.z.string()), "an object of {NAME: \"value\"} strings") ?? {};
    const managed = exports.MANAGED_ENV_KEYS;
    for (const [k, val] of Object.entries(appEnv)) {
        const why = v.checkEnvName(k) ?? (managed.includes(k.toUpperCase()) ? `a name other than ${exports.MANAGED_ENV_KEYS.join(", ")} (set by the program)` : undefined);
        if (why)
            r.problems.push(`${(0, keys_1.fullKey)("appEnv")}.${k}: expected ${why}`);
        const whyValue = v.checkEnvValue(val);
        if (whyValue)
            r.problems.push(`${(0, keys_1.fullKey)("appEnv")}.${k}: expected ${whyValue}, got ${show(val)}`);
    }
    const appSecretEnvKeys = r.list("appSecretEnvKeys", v.checkEnvName);
    appSecretEnvKeys.forEach((k, i) => {
        if (managed.includes(k.toUpperCase()) || k in appEnv || appSecretEnvKeys.indexOf(k) !== i) {
            r.problems.push(`${(0, keys_1.fullKey)("appSecretEnvKeys")}[${i}]: expected a name listed once, not in ${(0, keys_1.fullKey)("appEnv")} nor set by the program, got ${show(k)}`);
        }
    });
    const cloudflared = toolPin(r, "cloudflared", toolPins_1.CLOUDFLARED_DEFAULT, ingressMode === "tunnel");
    if (v.compareVersions(cloudflared.version, toolPins_1.CLOUDFLARED_MIN_VERSION) < 0) {
        r.fail("cloudflaredVersion", `${toolPins_1.CLOUDFLARED_MIN_VERSION} or later (earlier releases put the tunnel token in the service's ImagePath)`, cloudflared.version);
    }
    const tools = { nssm: toolPin(r, "nssm", toolPins_1.NSSM_DEFAULT, true), cloudflared };
    const healthTimeoutSeconds = r.int("healthTimeoutSeconds", 5, 3600);
    const config = deepFreeze({
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
    });
    return { config, problems: r.problems };
}
function deepFreeze(value) {
    if (value && typeof value === "object") {
        for (const v of Object.values(value))
            deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}
