/** Cloudflare's ranges for the direct-mode firewall audit: a given file, else the offline snapshot. */
import type { CloudflareRanges } from "../../../components/host/steps/firewall";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../planning/offlineFixtures";

export interface RangesChoice {
    readonly ranges: CloudflareRanges;
    /** Where they come from, for the output. */
    readonly source: string;
}

/** Parses `{ipv4Cidrs, ipv6Cidrs}` (the shape of cloudflare.getIpRanges and of api.cloudflare.com/client/v4/ips). */
export function parseRangesJson(text: string, origin: string): CloudflareRanges {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch {
        throw new Error(`${origin}: not JSON`);
    }
    const d = ((doc as { result?: unknown })?.result ?? doc) as { ipv4Cidrs?: unknown; ipv6Cidrs?: unknown };
    const list = (v: unknown, name: string): string[] => {
        if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "string" && /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(x))) {
            throw new Error(`${origin}: expected ${name} as a non-empty list of CIDRs`);
        }
        return v as string[];
    };
    return { ipv4: list(d.ipv4Cidrs, "ipv4Cidrs"), ipv6: list(d.ipv6Cidrs, "ipv6Cidrs") };
}

export function chooseRanges(file: string | undefined, readFile: (path: string) => string): RangesChoice {
    if (file !== undefined) return { ranges: parseRangesJson(readFile(file), file), source: `Cloudflare ranges from ${file}` };
    return {
        ranges: { ipv4: [...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs], ipv6: [...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs] },
        source:
            `Cloudflare ranges from the offline snapshot recorded on ${CLOUDFLARE_IP_RANGES_SNAPSHOT.recordedOn} ` +
            "(pass --cloudflare-ranges FILE with the current https://api.cloudflare.com/client/v4/ips answer to compare with today's list)",
    };
}
