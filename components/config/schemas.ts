/**
 * The shapes of the object-valued keys (`nova:hosts[]` entries, `nova:zoneSettings`): one zod
 * schema each, and beside it what each field accepts in our words. Unknown fields are refused with
 * a "did you mean" from these schemas' fields.
 */
import { z } from "zod";
import { FieldWords, shapeOf } from "./words";

const onOff = z.enum(["on", "off"]);

export const zoneSettingsSchema = z.strictObject({
    alwaysUseHttps: onOff.optional(),
    automaticHttpsRewrites: onOff.optional(),
    minTlsVersion: z.enum(["1.2", "1.3"]).optional(),
    tls13: onOff.optional(),
    zeroRtt: onOff.optional(),
    earlyHints: onOff.optional(),
    http3: onOff.optional(),
    browserCacheTtl: z.number().optional(),
    alwaysOnline: onOff.optional(),
    websockets: onOff.optional(),
});

/**
 * The values the Cloudflare API accepts for `browser_cache_ttl`, seconds (0 = respect the origin's
 * headers): the enum of `zones_browser_cache_ttl_value` in Cloudflare's API schema.
 */
export const BROWSER_CACHE_TTLS = [
    0, 30, 60, 120, 300, 1200, 1800, 3600, 7200, 10800, 14400, 18000, 28800, 43200, 57600, 72000, 86400, 172800, 259200,
    345600, 432000, 691200, 1382400, 2073600, 2678400, 5356800, 16070400, 31536000,
] as const;

const ON_OFF = '"on" or "off"';
export const ZONE_SETTING_FIELDS: FieldWords = {
    alwaysUseHttps: ON_OFF,
    automaticHttpsRewrites: ON_OFF,
    minTlsVersion: '"1.2" or "1.3"',
    tls13: ON_OFF,
    zeroRtt: ON_OFF,
    earlyHints: ON_OFF,
    http3: ON_OFF,
    browserCacheTtl: `seconds, one of Cloudflare's values ${BROWSER_CACHE_TTLS.join(", ")} (0: respect the origin's headers)`,
    alwaysOnline: ON_OFF,
    websockets: ON_OFF,
};

export const ZONE_SETTINGS_ACCEPTED = `an object of zone setting overrides ${shapeOf(Object.keys(zoneSettingsSchema.shape))}`;

export const hostSchema = z.strictObject({
    name: z.string(),
    address: z.string(),
    port: z.number().int().min(1).max(65535).optional(),
    transport: z.enum(["ssh", "winrm"]).optional(),
    user: z.string(),
    hostKey: z.string().optional(),
    credentialKey: z.string().optional(),
    winrmAllowHttp: z.boolean().optional(),
    winrmAuth: z.enum(["negotiate", "basic"]).optional(),
    winrmCaFile: z.string().optional(),
    detached: z.boolean().optional(),
});

export const HOST_FIELDS: FieldWords = {
    name: "a name of lower-case letters, digits and - (used in resource names)",
    address: "the DNS name or IP address the host is reached at from where pulumi runs",
    port: "an integer 1-65535 (default 22 for ssh, 5986 for winrm, 5985 with winrmAllowHttp)",
    transport: '"ssh" (default) or "winrm"',
    user: "the Windows account to connect as, optionally DOMAIN\\user",
    hostKey: 'ssh hosts: the host\'s public key "ssh-ed25519 AAAA..." (ssh-keyscan output without the host name)',
    credentialKey: "the name of the nova: secret holding this host's key or password (default sshPrivateKey for ssh, winrmPassword for winrm)",
    winrmAllowHttp: "winrm hosts: true to allow plain HTTP on port 5985 (default false)",
    winrmAuth: 'winrm hosts: "negotiate" (default, NTLMv2 over HTTPS) or "basic" (an explicit opt-in; Basic must be enabled on the WinRM service)',
    winrmCaFile: "winrm hosts: path of the PEM file of the CA that signed the host's HTTPS certificate",
    detached: "true when the host is gone for good: its steps run nothing on update or delete (default false)",
};

export const HOSTS_ACCEPTED = `a non-empty list of hosts ${shapeOf(Object.keys(hostSchema.shape))}`;

export const ZONE_PLANS = ["free", "pro", "business", "enterprise"] as const;
export type ZonePlan = (typeof ZONE_PLANS)[number];

/**
 * Minimum edge cache TTL of each Cloudflare plan, seconds (developers.cloudflare.com/cache/how-to/
 * edge-browser-cache-ttl: Free 2 hours, Pro 1 hour, Business and Enterprise 1 second).
 */
export const EDGE_TTL_MIN: Readonly<Record<ZonePlan, number>> = { free: 7200, pro: 3600, business: 1, enterprise: 1 };
