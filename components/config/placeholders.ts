/**
 * Values that have the right form but cannot be real: a host key that does not decode to a key of
 * its type, the all-zero account id, documentation (TEST-NET) addresses. A real run refuses them
 * ("set the real value"); the offline plan renders a committed stack with them and lists them
 * under "to set before a real preview".
 */
import { isIP } from "node:net";

/** A value to set before a real preview: a placeholder, or a secret the stack does not hold. */
export interface Pending {
    /** A placeholder value, or a secret the stack does not hold. */
    readonly kind: "placeholder" | "secret";
    /** Where: `nova:accountId`, `nova:hosts[0].hostKey`. */
    readonly key: string;
    /** The problem as a real run reports it, with how to set the real value. */
    readonly message: string;
}

let allowed = 0;

/**
 * Runs `fn` with placeholders accepted by the program's own validation: only the offline plan does
 * this (it lists them itself), so that a committed stack file still renders.
 */
export async function withPlaceholdersAllowed<T>(fn: () => Promise<T>): Promise<T> {
    allowed++;
    try {
        return await fn();
    } finally {
        allowed--;
    }
}

export function placeholdersAllowed(): boolean {
    return allowed > 0;
}

/** The `ssh-keyscan -t` type of a host key prefix. */
export function keyscanType(prefix: string): string {
    if (prefix.startsWith("ecdsa-")) return "ecdsa";
    if (prefix === "ssh-ed25519") return "ed25519";
    return "rsa";
}

/**
 * Why an OpenSSH host key line (`<type> <base64>`, already of the right form) is not a real key:
 * its base64 does not decode, or the key type inside the blob is not the one the line names.
 */
export function hostKeyPlaceholder(line: string): string | undefined {
    const [prefix, data = ""] = line.trim().split(" ");
    const blob = Buffer.from(data, "base64");
    if (data.length % 4 !== 0 || blob.toString("base64") !== data) return `the key data is not valid base64 (a placeholder?)`;
    const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
    const inside = length > 0 && 4 + length <= blob.length ? blob.subarray(4, 4 + length).toString("latin1") : "";
    const expected = prefix.startsWith("rsa-sha2-") ? "ssh-rsa" : prefix;
    if (inside !== expected) return `the key data holds ${inside ? `a ${inside} key` : "no key type"}, not ${expected}`;
    if (expected === "ssh-ed25519" && blob.length !== 4 + 11 + 4 + 32) return "the key data is not one ed25519 key (32 bytes)";
    return undefined;
}

const TEST_NET_V4 = [/^192\.0\.2\./, /^198\.51\.100\./, /^203\.0\.113\./];

/** Why an address is a documentation one (RFC 5737 TEST-NET, RFC 3849 2001:db8::/32), if it is. */
export function addressPlaceholder(address: string): string | undefined {
    if (isIP(address) === 4 && TEST_NET_V4.some((r) => r.test(address))) return "is a documentation address (TEST-NET, RFC 5737)";
    if (isIP(address) === 6 && /^2001:0?db8:/i.test(address)) return "is a documentation address (2001:db8::/32, RFC 3849)";
    return undefined;
}

/** True for the all-zero id of the stack files' examples. */
export function isZeroId(id: string): boolean {
    return /^0+$/.test(id);
}

/** Why Cloudflare's edge cannot reach this origin address: private, loopback, link-local or shared. */
export function privateAddress(address: string): string | undefined {
    if (isIP(address) === 4) {
        const [a, b] = address.split(".").map(Number);
        const ranges: [boolean, string][] = [
            [a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168), "a private address (RFC 1918)"],
            [a === 127, "a loopback address"],
            [a === 169 && b === 254, "a link-local address"],
            [a === 100 && b >= 64 && b <= 127, "a shared (carrier-grade NAT) address"],
            [a === 0, "not a routable address"],
        ];
        return ranges.find(([hit]) => hit)?.[1];
    }
    if (isIP(address) === 6) {
        const lower = address.toLowerCase();
        if (lower === "::1") return "a loopback address";
        if (/^f[cd]/.test(lower)) return "a unique local address (fc00::/7)";
        if (/^fe[89ab]/.test(lower)) return "a link-local address";
    }
    return undefined;
}
