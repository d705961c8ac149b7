/**
 * Cloudflare's published IP ranges (https://www.cloudflare.com/ips-v4 and /ips-v6), pinned in the
 * policy pack so that the firewall rule is checked against a list the program did not produce itself.
 * Recorded 2026-11-25 (unchanged since 2023). When Cloudflare publishes a change, update this list in
 * the same change that updates the stacks.
 *
 * Containment reuses the program's CIDR parser (components/host/cidr.ts) for validation and canonical
 * form, and Node's `net.BlockList` for the address test.
 */
import { BlockList } from "node:net";
import { normalizeCidr } from "../../components/host/cidr";

export const CLOUDFLARE_RANGES_RECORDED_ON = "2026-11-25";

export const CLOUDFLARE_IPV4: readonly string[] = [
    "173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22", "141.101.64.0/18",
    "108.162.192.0/18", "190.93.240.0/20", "188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17",
    "162.158.0.0/15", "104.16.0.0/13", "104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22",
];

export const CLOUDFLARE_IPV6: readonly string[] = [
    "2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32", "2405:8100::/32",
    "2a06:98c0::/29", "2c0f:f248::/32",
];

export const CLOUDFLARE_RANGES: readonly string[] = [...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6];

interface Parsed {
    readonly address: string;
    readonly prefix: number;
    readonly family: "ipv4" | "ipv6";
}

function parse(cidr: string): Parsed {
    const canonical = normalizeCidr(cidr);
    const slash = canonical.lastIndexOf("/");
    const address = canonical.slice(0, slash);
    return { address, prefix: Number(canonical.slice(slash + 1)), family: address.includes(":") ? "ipv6" : "ipv4" };
}

/**
 * True when every address of `inner` lies in `outer` (CIDRs or bare addresses, IPv4 or IPv6).
 * A block lies inside another exactly when its prefix is at least as long and one of its addresses
 * is inside the other. Throws when either is not a valid CIDR.
 */
export function cidrWithin(inner: string, outer: string): boolean {
    const a = parse(inner);
    const b = parse(outer);
    if (a.family !== b.family || a.prefix < b.prefix) return false;
    const list = new BlockList();
    list.addSubnet(b.address, b.prefix, b.family);
    return list.check(a.address, a.family);
}

/** The entries of `cidrs` that are not inside any of `ranges` (invalid entries included). */
export function cidrsOutside(cidrs: readonly string[], ranges: readonly string[] = CLOUDFLARE_RANGES): string[] {
    return cidrs.filter((cidr) => {
        try {
            return !ranges.some((range) => cidrWithin(cidr, range));
        } catch {
            return true;
        }
    });
}
