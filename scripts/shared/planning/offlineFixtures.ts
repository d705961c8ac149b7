/**
 * Offline answers to the data sources the program reads, for the mock runtime of the offline plan
 * and the tests. Every value here is a clearly named stand-in: the real run asks Cloudflare.
 */
import { createHash } from "node:crypto";

/** Stand-in zone id returned for any zone looked up by name. */
export const OFFLINE_ZONE_ID = "0ff11e00000000000000000000000000";

/** Stand-in connector token returned by the tunnel-token data source. */
export const OFFLINE_TUNNEL_TOKEN = "offline-fixture-tunnel-token";

/**
 * Cloudflare's published IP ranges (https://www.cloudflare.com/ips-v4 and /ips-v6), snapshot recorded
 * on 2026-11-25; the list has been unchanged since 2023. The real run reads `getIpRanges`.
 */
export const CLOUDFLARE_IP_RANGES_SNAPSHOT = {
    recordedOn: "2026-11-25",
    ipv4Cidrs: [
        "173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22", "141.101.64.0/18",
        "108.162.192.0/18", "190.93.240.0/20", "188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17",
        "162.158.0.0/15", "104.16.0.0/13", "104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22",
    ],
    ipv6Cidrs: [
        "2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32", "2405:8100::/32",
        "2a06:98c0::/29", "2c0f:f248::/32",
    ],
} as const;

/**
 * Stand-in for the CSR a `certificate-request` host step prints: a real P-256 request (its key was
 * thrown away), so the program's parsing runs offline as it does against a host.
 */
export const OFFLINE_CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIIBFTCBvQIBADAkMSIwIAYDVQQDExlub3ZhLXN0YWdpbmcuaXRzcGlyaXQub3Zo
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYZ7DCZhN7ar5bDc85syk+YGah5jN
o/F7ZDM+xlknX4T5kr+hT0hGNipdX3p0rzv4/guER2hbCYU4xKFdO4tFwqA3MDUG
CSqGSIb3DQEJDjEoMCYwJAYDVR0RBB0wG4IZbm92YS1zdGFnaW5nLml0c3Bpcml0
Lm92aDAKBggqhkjOPQQDAgNHADBEAiBrkj9T2xhnjpC2erVqq1/s1zZOX86NLLDA
K+vbgY+ZTQIgNb3dI5WSzVAI0rIiV5jfl1b99yyOTdRUpaNVujAasng=
-----END CERTIFICATE REQUEST-----
`;

/** Stand-in for the certificate the Origin CA issues (not a certificate: the offline plan signs nothing). */
export const OFFLINE_ORIGIN_CERTIFICATE = "-----BEGIN CERTIFICATE-----\nb2ZmbGluZS1maXh0dXJlLW9yaWdpbi1jZXJ0aWZpY2F0ZQ==\n-----END CERTIFICATE-----\n";
/** Stand-in expiry of that certificate. */
export const OFFLINE_ORIGIN_CERTIFICATE_EXPIRES_ON = "2027-12-01T00:00:00Z";

/** A deterministic stand-in UUID derived from a resource name. */
export function fakeUuid(seed: string): string {
    const h = createHash("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Answers of the invokes the program makes, by token. Unknown tokens throw. */
export function answerInvoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
        case "cloudflare:index/getZone:getZone": {
            const filter = (inputs.filter ?? {}) as { name?: string };
            return { id: OFFLINE_ZONE_ID, name: filter.name ?? "", status: "active" };
        }
        case "cloudflare:index/getIpRanges:getIpRanges":
            return {
                id: "offline-ip-ranges",
                ipv4Cidrs: [...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs],
                ipv6Cidrs: [...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs],
            };
        case "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken":
            return { ...inputs, token: OFFLINE_TUNNEL_TOKEN };
        default:
            throw new Error(`offline fixtures: no answer for invoke ${token}`);
    }
}

/** The state a provider would return for a new resource: its inputs plus computed fields. */
export function answerResource(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
    switch (type) {
        case "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared":
            return { id: fakeUuid(name), state: { ...inputs, status: "inactive" } };
        case "random:index/randomBytes:RandomBytes": {
            const bytes = createHash("sha256").update(`offline:${name}`).digest().subarray(0, Number(inputs.length ?? 32));
            return { id: `${name}-id`, state: { ...inputs, base64: bytes.toString("base64"), hex: bytes.toString("hex") } };
        }
        case "command:remote:Command":
        case "command:local:Command": {
            const stdout = name.endsWith("-certificate-request")
                ? `${JSON.stringify({ step: "certificate-request", changed: ["key-request"], csr: OFFLINE_CSR })}\n`
                : "";
            return { id: `${name}-id`, state: { ...inputs, stdout, stderr: "" } };
        }
        case "cloudflare:index/originCaCertificate:OriginCaCertificate":
            return { id: `${name}-id`, state: { ...inputs, certificate: OFFLINE_ORIGIN_CERTIFICATE, expiresOn: OFFLINE_ORIGIN_CERTIFICATE_EXPIRES_ON } };
        default:
            return { id: `${name}-id`, state: { ...inputs } };
    }
}
