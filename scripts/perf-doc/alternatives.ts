/**
 * One representative alternative value per configuration key, to find out what changing that key
 * re-runs. Values are valid configuration; a key that must change together with another (a new tool
 * version needs its SHA-256) names the companion keys in `also`.
 */
import { zoneHostnameEntry } from "../../components/edge/zoneHostnames";
import type { NovaConfig } from "../../components/types";

export interface Alternative {
    /** Key of CONFIG_KEYS (without `nova:`). */
    readonly key: string;
    /** The raw value set (as `pulumi config set` stores it), given the stack's current configuration. */
    readonly value: (cfg: NovaConfig) => string;
    /** How the value is shown in the docs when the raw value is long or secret. */
    readonly shown?: string;
    /** Keys that must change with it for the configuration to stay valid. */
    readonly also?: (cfg: NovaConfig) => Readonly<Record<string, string>>;
    readonly secret?: boolean;
    /** Why the key has no effect on this stack (its mode or transports), else undefined. */
    readonly notApplicable?: (cfg: NovaConfig) => string | undefined;
}

const tunnelOnly = (cfg: NovaConfig) => (cfg.ingressMode === "tunnel" ? undefined : "tunnel mode only");
const directOnly = (cfg: NovaConfig) => (cfg.ingressMode === "direct" ? undefined : "direct mode only");
const transportOnly = (transport: "ssh" | "winrm") => (cfg: NovaConfig) =>
    cfg.hosts.some((h) => h.transport === transport && h.credentialKey === (transport === "ssh" ? "sshPrivateKey" : "winrmPassword"))
        ? undefined
        : `no ${transport} host uses it`;
const zoneOwnerOnly = (cfg: NovaConfig) => (cfg.edge.manageZone ? undefined : "zone-owning stack only (nova:manageZone true)");
/** `nova:zoneHostnames` as the stack file writes it (`host:port` for direct-mode stacks). */
const zoneEntries = (cfg: NovaConfig): string[] => cfg.edge.otherHostnames.map((h) => zoneHostnameEntry(h, cfg.edge.otherDirectPorts[h]));
const OTHER_SHA = "1111111111111111111111111111111111111111111111111111111111111111";
const OTHER_HEX32 = "22222222222222222222222222222222";

export const ALTERNATIVES: readonly Alternative[] = [
    {
        key: "zoneName",
        value: () => "example.org",
        also: (cfg): Record<string, string> => ({
            hostname: "nova.example.org",
            ...(cfg.edge.otherHostnames.length > 0 ? { zoneHostnames: JSON.stringify(zoneEntries(cfg).map((h) => h.replace(cfg.zoneName, "example.org"))) } : {}),
        }),
    },
    { key: "zoneId", value: () => "0123456789abcdef0123456789abcdef" },
    { key: "accountId", value: () => OTHER_HEX32, notApplicable: tunnelOnly },
    { key: "hostname", value: (cfg) => `nova-next.${cfg.zoneName}` },
    {
        key: "ingressMode",
        value: (cfg) => (cfg.ingressMode === "tunnel" ? "direct" : "tunnel"),
        also: (cfg): Record<string, string> => (cfg.ingressMode === "tunnel" ? { originIp: "203.0.113.99" } : { accountId: OTHER_HEX32 }),
    },
    { key: "originIp", value: () => "203.0.113.99", notApplicable: directOnly },
    { key: "originIpv6", value: () => "2001:db8::99", notApplicable: directOnly },
    { key: "appPort", value: (cfg) => String(cfg.appPort === 8001 ? 8002 : 8001) },
    { key: "spaPath", value: () => "/app" },
    { key: "apiPath", value: () => "/rest" },
    { key: "wsPath", value: () => "/socket" },
    { key: "healthPath", value: () => "/healthz" },
    { key: "assetsPath", value: () => "/static" },
    {
        key: "manageZone",
        value: (cfg) => String(!cfg.edge.manageZone),
        // Giving the zone up means dropping the keys only its owner may set.
        also: (cfg): Record<string, string> =>
            cfg.edge.manageZone ? { ...(cfg.edge.otherHostnames.length > 0 ? { zoneHostnames: "[]" } : {}), sslMode: "" } : {},
    },
    { key: "zoneHostnames", value: (cfg) => JSON.stringify([...zoneEntries(cfg), `nova-other.${cfg.zoneName}`]), notApplicable: zoneOwnerOnly },
    { key: "sslMode", value: (cfg) => (cfg.edge.zoneSettings.ssl === "full" ? "strict" : "full"), notApplicable: zoneOwnerOnly },
    { key: "zoneSettings", value: () => JSON.stringify({ minTlsVersion: "1.3" }), notApplicable: zoneOwnerOnly },
    { key: "unmanagedSettings", value: () => JSON.stringify(["early_hints"]), notApplicable: zoneOwnerOnly },
    { key: "waf", value: (cfg) => (cfg.edge.waf === "managed" ? "owasp" : "managed"), notApplicable: zoneOwnerOnly },
    { key: "rootPath", value: (cfg) => (cfg.edge.rootPath === "redirect" ? "none" : "redirect"), notApplicable: zoneOwnerOnly },
    {
        key: "rulesEngine",
        value: (cfg) => (cfg.edge.rulesEngine === "rulesets" ? "pageRules" : "rulesets"),
        also: (cfg): Record<string, string> => ({
            ...(cfg.edge.rootPath === "rewrite" ? { rootPath: "redirect" } : {}),
            ...(cfg.edge.otherHostnames.length > 0 ? { zoneHostnames: "[]" } : {}),
        }),
        notApplicable: zoneOwnerOnly,
    },
    { key: "assetsEdgeTtl", value: (cfg) => String(cfg.edge.assetsEdgeTtl === 7200 ? 14400 : 7200), notApplicable: zoneOwnerOnly },
    { key: "zonePlan", value: () => "pro", notApplicable: zoneOwnerOnly },
    { key: "aop", value: (cfg) => String(!cfg.originTls.aop), notApplicable: (cfg) => (cfg.ingressMode === "direct" || Object.keys(cfg.edge.otherDirectPorts).length > 0 ? undefined : "direct mode only") },
    { key: "originCertificateDays", value: (cfg) => String(cfg.originTls.certificateDays === 730 ? 365 : 730), notApplicable: directOnly },
    { key: "appModule", value: () => "app.server:api", notApplicable: directOnly },
    { key: "tunnelName", value: () => "nova-renamed", notApplicable: tunnelOnly },
    { key: "tunnelExtraHostnames", value: (cfg) => JSON.stringify([`extra.${cfg.zoneName}`]), notApplicable: tunnelOnly },
    {
        key: "hosts",
        value: (cfg) =>
            JSON.stringify(
                cfg.hosts.map((h, i) => {
                    // Back to the form the stack file takes: winrm-only fields only on winrm hosts.
                    const { winrmAllowHttp, ...rest } = h;
                    const raw = h.transport === "winrm" ? { ...rest, winrmAllowHttp } : rest;
                    return i === 0 ? { ...raw, address: "192.0.2.99" } : raw;
                }),
            ),
        shown: "first host's address → 192.0.2.99",
    },
    { key: "sshPrivateKey", value: () => "another-ssh-private-key", shown: "another key", secret: true, notApplicable: transportOnly("ssh") },
    { key: "winrmPassword", value: () => "another-winrm-password", shown: "another password", secret: true, notApplicable: transportOnly("winrm") },
    { key: "serviceName", value: (cfg) => `${cfg.service.name}-2` },
    { key: "appDirectory", value: () => "D:\\NOVA" },
    { key: "pythonExe", value: () => "C:\\Python312\\python.exe" },
    { key: "entryPoint", value: () => "server.py" },
    { key: "logDirectory", value: () => "D:\\nova-logs" },
    { key: "appEnv", value: (cfg) => JSON.stringify({ ...cfg.appEnv, FEATURE_FLAG: "on" }), shown: "one more variable" },
    {
        key: "appEnvNotSecret",
        value: () => JSON.stringify(["PUBLIC_KEY"]),
        also: (cfg) => ({ appEnv: JSON.stringify({ ...cfg.appEnv, PUBLIC_KEY: "pk-public" }) }),
        shown: "one more name (with its appEnv entry)",
    },
    {
        key: "appSecretEnvKeys",
        value: (cfg) => JSON.stringify([...cfg.appSecretEnvKeys, "EXTRA_API_KEY"]),
        shown: "one more name",
    },
    {
        key: "appSecretEnv",
        value: (cfg) => JSON.stringify(Object.fromEntries(cfg.appSecretEnvKeys.map((k) => [k, `another-value-of-${k}`]))),
        shown: "other values",
        secret: true,
        notApplicable: (cfg) => (cfg.appSecretEnvKeys.length > 0 ? undefined : "appSecretEnvKeys is empty"),
    },
    { key: "nssmVersion", value: () => "2.24", also: () => ({ nssmSha256: OTHER_SHA }) },
    { key: "nssmUrl", value: () => "https://mirror.example.com/nssm.zip", also: () => ({ nssmSha256: OTHER_SHA }) },
    { key: "nssmSha256", value: () => OTHER_SHA },
    { key: "cloudflaredVersion", value: () => "2026.10.0", also: () => ({ cloudflaredSha256: OTHER_SHA }), notApplicable: tunnelOnly },
    {
        key: "cloudflaredUrl",
        value: () => "https://mirror.example.com/cloudflared.exe",
        also: () => ({ cloudflaredSha256: OTHER_SHA }),
        notApplicable: tunnelOnly,
    },
    { key: "cloudflaredSha256", value: () => OTHER_SHA, notApplicable: tunnelOnly },
    { key: "healthTimeoutSeconds", value: (cfg) => String(cfg.healthTimeoutSeconds === 300 ? 600 : 300) },
    { key: "serviceEnv", value: (cfg) => JSON.stringify({ ...cfg.serviceEnv, FORWARDED_ALLOW_IPS: "127.0.0.1" }), shown: "one more variable" },
    { key: "stepTimeoutSeconds", value: (cfg) => String(cfg.stepTimeoutSeconds === 600 ? 900 : 600) },
    { key: "serviceAccount", value: (cfg) => (cfg.service.account === "virtual" ? "LocalSystem" : "virtual") },
    { key: "fixFolderAcls", value: (cfg) => String(!cfg.service.fixFolderAcls) },
    { key: "removeGuideLeftovers", value: (cfg) => String(!cfg.removeGuideLeftovers) },
];
