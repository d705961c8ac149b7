"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CLOUDFLARE_IP_RANGES_SNAPSHOT = exports.OFFLINE_TUNNEL_TOKEN = exports.OFFLINE_ZONE_ID = void 0;
exports.fakeUuid = fakeUuid;
exports.answerInvoke = answerInvoke;
exports.answerResource = answerResource;
/**
 * Offline answers to the data sources the program reads, for the mock runtime of the offline plan
 * and the tests. Every value here is a clearly named stand-in: the real run asks Cloudflare.
 */
const node_crypto_1 = require("node:crypto");
/** Stand-in zone id returned for any zone looked up by name. */
exports.OFFLINE_ZONE_ID = "0ff11e00000000000000000000000000";
/** Stand-in connector token returned by the tunnel-token data source. */
exports.OFFLINE_TUNNEL_TOKEN = "offline-fixture-tunnel-token";
/**
 * Cloudflare's published IP ranges (https://www.cloudflare.com/ips-v4 and /ips-v6), snapshot recorded
 * on 2026-11-25; the list has been unchanged since 2023. The real run reads `getIpRanges`.
 */
exports.CLOUDFLARE_IP_RANGES_SNAPSHOT = {
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
};
/** A deterministic stand-in UUID derived from a resource name. */
function fakeUuid(seed) {
    const h = (0, node_crypto_1.createHash)("sha256").update(seed).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
/** Answers of the invokes the program makes, by token. Unknown tokens throw. */
function answerInvoke(token, inputs) {
    switch (token) {
        case "cloudflare:index/getZone:getZone": {
            const filter = (inputs.filter ?? {});
            return { id: exports.OFFLINE_ZONE_ID, name: filter.name ?? "", status: "active" };
        }
        case "cloudflare:index/getIpRanges:getIpRanges":
            return {
                id: "offline-ip-ranges",
                ipv4Cidrs: [...exports.CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs],
                ipv6Cidrs: [...exports.CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs],
            };
        case "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken":
            return { ...inputs, token: exports.OFFLINE_TUNNEL_TOKEN };
        default:
            throw new Error(`offline fixtures: no answer for invoke ${token}`);
    }
}
/** The state a provider would return for a new resource: its inputs plus computed fields. */
function answerResource(type, name, inputs) {
    switch (type) {
        case "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared":
            return { id: fakeUuid(name), state: { ...inputs, status: "inactive" } };
        case "random:index/randomBytes:RandomBytes": {
            const bytes = (0, node_crypto_1.createHash)("sha256").update(`offline:${name}`).digest().subarray(0, Number(inputs.length ?? 32));
            return { id: `${name}-id`, state: { ...inputs, base64: bytes.toString("base64"), hex: bytes.toString("hex") } };
        }
        case "command:remote:Command":
        case "command:local:Command":
            return { id: `${name}-id`, state: { ...inputs, stdout: "", stderr: "" } };
        default:
            return { id: `${name}-id`, state: { ...inputs } };
    }
}
