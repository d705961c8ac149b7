/**
 * Cloudflare's published IP ranges (https://www.cloudflare.com/ips-v4 and /ips-v6) as the policy pack
 * checks the firewall rule against them: the project's one recorded copy (scripts/shared/planning/offlineFixtures.ts),
 * not the `getIpRanges` answer the program itself used. When Cloudflare publishes a change, update that
 * copy.
 *
 * Containment reuses the program's CIDR parser (components/host/cidr.ts) for validation and canonical
 * form, and Node's `net.BlockList` for the address test.
 */
import { BlockList } from "node:net";
import { normalizeCidr } from "../../components/host/cidr";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../../scripts/shared/planning/offlineFixtures";

export const CLOUDFLARE_RANGES_RECORDED_ON = CLOUDFLARE_IP_RANGES_SNAPSHOT.recordedOn;
export const CLOUDFLARE_IPV4: readonly string[] = CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs;
export const CLOUDFLARE_IPV6: readonly string[] = CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs;
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
