/**
 * Parses the raw `nova:` configuration into one immutable NovaConfig, reporting every problem at
 * once, each naming its key, the value given and what is accepted.
 */
import * as pulumi from "@pulumi/pulumi";
import { inspect } from "node:util";
import { z } from "zod";
import { validateEdgeChoices } from "../edge/validateEdge";
import { isInZone, validateHostnameList, validateTunnelHostnames } from "../tunnel/validate";
import { CLOUDFLARED_DEFAULT, CLOUDFLARED_MIN_VERSION, NSSM_DEFAULT, ToolDefault } from "../host/toolPins";
import { EdgeConfig, IngressMode, NovaConfig, ToolPin, ZoneSettingsConfig } from "../types";
import { parseZoneHostnames } from "../edge/zoneHostnames";
import { fullKey } from "./keys";
import { parseHosts } from "./hosts";
import { isZeroId, Pending, privateAddress, addressPlaceholder } from "./placeholders";
import { RawConfig, Reader } from "./reader";
import { EDGE_TTL_MIN, ZONE_PLANS, ZONE_SETTING_FIELDS, ZONE_SETTINGS_ACCEPTED, zoneSettingsSchema } from "./schemas";
import { coherenceProblems } from "./coherence";
import { checkDotenvValue, parseServiceEnv } from "./envValues";
import { secretProblems } from "./secrets";
import { ConfigEnvironment, plaintextSecretProblems, secretLookingEnvProblems, secretLookingName, unknownKeyProblems } from "./stackKeys";
import * as v from "./validators";
import { show } from "./words";

export type { RawConfig } from "./reader";

/**
 * Every problem found in a stack's configuration, in one list. A `pulumi.RunError`, so that
 * `pulumi preview` prints the list once, without a stack trace.
 */
export class NovaConfigError extends pulumi.RunError {
    constructor(public readonly problems: readonly string[]) {
        super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
        this.name = "NovaConfigError";
    }

    /**
     * What `util.inspect` shows: the message. Pulumi's Node runner inspects every uncaught error for its
     * trace span, even a RunError whose message it prints; inspecting this one in full there took seconds
     * and gigabytes of heap (the runner's `defaultErrorMessage`, pulumi/pulumi#20567).
     */
    [inspect.custom](): string {
        return `${this.name}: ${this.message}`;
    }
}

/** What a stack's configuration parses to, and what is wrong with it. */
export interface ConfigReport {
    /** Filled with defaults where a value was refused: never deploy it when problems is not empty. */
    readonly config: NovaConfig;
    /** Wrong values, unknown keys, secrets in plain text, combinations that cannot work. */
    readonly problems: string[];
    /** Placeholders and missing secrets: a real run refuses them, the offline plan lists them. */
    readonly pending: Pending[];
}

/** The keys the program sets itself in `.env`; appEnv may not override them. */
export const MANAGED_ENV_KEYS = ["NOVA_MODE", "APP_HOST", "APP_PORT", "UVICORN_RELOAD"] as const;

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

/** Validities the Cloudflare Origin CA issues, days (OriginCaCertificate `requestedValidity`). */
export const ORIGIN_CA_VALIDITY_DAYS: readonly number[] = [7, 30, 90, 365, 730, 1095, 5475];

/** `module:attribute` of the ASGI app, dotted Python identifiers on both sides. */
const APP_MODULE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Keys of the zone-wide resources: only the stack that owns the zone (nova:manageZone true) sets them. */
export const ZONE_WIDE_KEYS = ["sslMode", "zoneSettings", "unmanagedSettings", "waf", "rootPath", "rulesEngine", "assetsEdgeTtl", "zoneHostnames", "zonePlan"] as const;

function parseEdge(r: Reader, zoneName: string, hostname: string | undefined, ingressMode: IngressMode, aop: boolean): EdgeConfig {
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
    const zoneEntries = r.list("zoneHostnames", undefined, "a list of DNS names inside the zone, each optionally :port");
    const { hostnames: otherHostnames, directPorts: otherDirectPorts, problems: entryProblems } = parseZoneHostnames(zoneEntries);
    r.problems.push(...entryProblems);
    const direct = ingressMode === "direct" || Object.keys(otherDirectPorts).length > 0;
    const ssl = r.str("sslMode") === undefined ? (direct ? "strict" : "full") : r.oneOf("sslMode", ["full", "strict"] as const);
    const o = r.json("zoneSettings", zoneSettingsSchema, ZONE_SETTINGS_ACCEPTED, ZONE_SETTING_FIELDS) ?? {};
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
    const zonePlan = r.oneOf("zonePlan", ZONE_PLANS);
    if (assetsEdgeTtl < EDGE_TTL_MIN[zonePlan]) {
        r.fail("assetsEdgeTtl", `at least ${EDGE_TTL_MIN[zonePlan]} seconds, the minimum edge cache TTL of the ${zonePlan} plan (${fullKey("zonePlan")})`, assetsEdgeTtl);
    }
    if (zoneName && hostname) r.problems.push(...validateHostnameList(fullKey("zoneHostnames"), zoneName, hostname, otherHostnames));
    if (otherHostnames.length > 0 && rulesEngine === "pageRules") {
        r.problems.push(`${fullKey("zoneHostnames")}: expected an empty list with ${fullKey("rulesEngine")} pageRules (Page Rules are per hostname, and Free allows 3); use rulesets`);
    }
    const zoneAop = manageZone && aop && direct;
    const edge = { manageZone, otherHostnames, otherDirectPorts, zoneAop, zoneSettings, unmanagedSettings, waf, rootPath, rulesEngine, assetsEdgeTtl };
    r.problems.push(...validateEdgeChoices(edge));
    return edge;
}

/**
 * Parses and validates the non-secret part of a stack's `nova:` configuration (for commands that
 * read a stack file: placeholders and missing secrets pass); throws NovaConfigError listing every problem.
 */
export function parseNovaConfig(raw: RawConfig, stack: string): NovaConfig {
    const { config, problems } = collectNovaConfig(raw, stack);
    if (problems.length > 0) throw new NovaConfigError(problems);
    return config;
}

/** An id that must not be the all-zero example. */
function realId(pending: Pending[], key: string, id: string | undefined, where: string): void {
    if (id !== undefined && isZeroId(id)) {
        pending.push({ kind: "placeholder", key: fullKey(key), message: `${fullKey(key)}: ${show(id)} is the all-zero placeholder; set the real value (${where}) with \`pulumi config set ${fullKey(key)} <id>\`` });
    }
}

/** An origin address: a documentation one is a placeholder; a private one cannot be reached by Cloudflare's edge. */
function realOrigin(r: Reader, pending: Pending[], key: string, address: string | undefined, proxied: boolean): void {
    if (address === undefined) return;
    const doc = addressPlaceholder(address);
    if (doc) pending.push({ kind: "placeholder", key: fullKey(key), message: `${fullKey(key)}: ${show(address)} ${doc}; set the real value: the server's public address, with \`pulumi config set ${fullKey(key)} <address>\`` });
    const why = proxied ? privateAddress(address) : undefined;
    if (why) r.fail(key, `a public address: the record is proxied and Cloudflare's edge cannot reach ${why}; set the real value, the server's public address`, address);
}

/**
 * Parses what it can and lists every problem, in one pass: values, unknown keys and secrets (when
 * `env` tells the stack's keys and which are secret). The config is filled with defaults where a
 * value was refused: use it only to find further problems, never to deploy.
 */
export function collectNovaConfig(raw: RawConfig, stack: string, env?: ConfigEnvironment): ConfigReport {
    const r = new Reader(raw);
    const pending: Pending[] = [];
    const zoneName = r.required("zoneName", v.checkDnsName) ?? "";
    const zoneId = r.str("zoneId", v.checkHex32);
    realId(pending, "zoneId", zoneId, "Cloudflare dashboard > the zone > Overview > Zone ID");
    const ingressMode = r.oneOf("ingressMode", ["tunnel", "direct"] as const);
    const accountId = ingressMode === "tunnel" ? r.required("accountId", v.checkHex32, " in tunnel mode") : r.str("accountId", v.checkHex32);
    realId(pending, "accountId", accountId, "Cloudflare dashboard > the zone > Overview > Account ID");
    const hostname = r.required("hostname", v.checkDnsName);
    if (hostname && zoneName && !isInZone(zoneName, hostname)) r.fail("hostname", `a name inside the zone ${zoneName}`, hostname);
    const originIpv4 = ingressMode === "direct" ? r.required("originIp", v.checkIpv4, " in direct mode") : r.str("originIp", v.checkIpv4);
    const originIpv6 = r.str("originIpv6", v.checkIpv6);
    realOrigin(r, pending, "originIp", originIpv4, ingressMode === "direct");
    realOrigin(r, pending, "originIpv6", originIpv6, ingressMode === "direct");
    const appPort = r.int("appPort", 1, 65535);

    const spa = r.str("spaPath", v.checkUrlPath) ?? "/mail-to-biz";
    const paths = {
        spa,
        api: r.str("apiPath", v.checkUrlPath) ?? "/api",
        ws: r.str("wsPath", v.checkUrlPath) ?? "/ws",
        health: r.str("healthPath", v.checkUrlPath) ?? "/health",
        assets: r.str("assetsPath", v.checkUrlPath) ?? `${spa}/assets`,
    };
    const aop = r.bool("aop");
    const edge = parseEdge(r, zoneName, hostname, ingressMode, aop);
    if (ingressMode === "direct" && edge.manageZone && edge.rulesEngine === "pageRules" && appPort !== 443) {
        r.problems.push(
            `${fullKey("appPort")}: expected 443 with ${fullKey("rulesEngine")} pageRules in direct mode, got ${appPort}: Cloudflare reaches the origin on 443 ` +
                `and only an Origin Rule (a ruleset) can send it to another port; set ${fullKey("rulesEngine")} rulesets, or make the app listen on 443`,
        );
    }
    const originTls = { aop, certificateDays: r.int("originCertificateDays", 1, 5475) };
    if (!ORIGIN_CA_VALIDITY_DAYS.includes(originTls.certificateDays)) r.fail("originCertificateDays", `one of ${ORIGIN_CA_VALIDITY_DAYS.join(", ")} (what the Origin CA issues)`, originTls.certificateDays);

    const tunnelName = r.str("tunnelName", (s) => (/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(s) ? undefined : "a tunnel name of letters, digits and . _ -"), `nova-${stack}`) ?? `nova-${stack}`;
    const extraHostnames = r.list("tunnelExtraHostnames", undefined, "a list of DNS names inside the zone");
    if (zoneName && hostname) r.problems.push(...validateTunnelHostnames(zoneName, hostname, extraHostnames));

    const hosts = parseHosts(r, pending);

    const appDirectory = r.required("appDirectory", v.checkWindowsPath) ?? "C:\\";
    const service = {
        name: r.str("serviceName", v.checkServiceName) ?? "NOVA-Backend",
        appDirectory,
        pythonExe: r.str("pythonExe", v.checkExePath) ?? `${appDirectory}\\.venv\\Scripts\\python.exe`,
        entryPoint: r.str("entryPoint", v.checkWindowsFile) ?? "main.py",
        logDirectory: r.str("logDirectory", v.checkWindowsPath) ?? `${appDirectory}\\logs`,
        appModule: r.str("appModule", (s) => (APP_MODULE.test(s) ? undefined : "module:attribute, e.g. main:app (dotted Python names)")) ?? "main:app",
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
        if (whyValue) r.problems.push(`${fullKey("appEnv")}.${k}: expected ${whyValue}${secretLookingName(k) ? "" : `, got ${show(val)}`}`);
    }
    const appEnvNotSecret = r.list("appEnvNotSecret", v.checkEnvName);
    r.problems.push(...secretLookingEnvProblems(appEnv, appEnvNotSecret));
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
        originTls,
        tools,
        healthTimeoutSeconds,
        serviceEnv,
        stepTimeoutSeconds,
        removeGuideLeftovers,
    });
    const secrets = secretProblems(config, r.raw);
    const problems = [...r.emptyValueProblems(raw), ...r.problems, ...coherenceProblems(config), ...secrets.problems];
    pending.push(...secrets.missing);
    if (env) {
        const credentialKeys = [...new Set(hosts.map((h) => h.credentialKey))];
        problems.unshift(...unknownKeyProblems(env.keys, credentialKeys));
        const sshKeys = hosts.filter((h) => h.transport === "ssh").map((h) => h.credentialKey);
        problems.push(...plaintextSecretProblems(env, credentialKeys, appSecretEnvKeys, sshKeys));
    }
    return { config, problems, pending };
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object") {
        for (const v of Object.values(value)) deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}
