"use strict";
/**
 * Validation and canonical form of IPv4/IPv6 CIDRs, as used for the firewall's RemoteAddress list.
 * Canonical form: IPv4 dotted decimal with a prefix length (`1.2.3.0/24`; a mask such as
 * `/255.255.255.0` becomes its prefix; no suffix means /32); IPv6 in RFC 5952 text (lower case, no
 * leading zeros, the longest run of two or more zero groups written `::`) with a prefix length
 * (no suffix means /128). Host bits are kept as given.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.formatIpv6 = formatIpv6;
exports.maskToPrefix = maskToPrefix;
exports.normalizeCidr = normalizeCidr;
exports.isCidr = isCidr;
exports.normalizeCidrList = normalizeCidrList;
function parseIpv4(text) {
    const parts = text.split(".");
    if (parts.length !== 4)
        return undefined;
    const octets = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : NaN));
    return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}
function parseIpv6(text) {
    if (!/^[0-9A-Fa-f:.]+$/.test(text))
        return undefined;
    const halves = text.split("::");
    if (halves.length > 2)
        return undefined;
    const groups = (half) => {
        if (half === "")
            return [];
        const out = [];
        const pieces = half.split(":");
        for (let i = 0; i < pieces.length; i++) {
            const piece = pieces[i];
            if (i === pieces.length - 1 && piece.includes(".")) {
                const v4 = parseIpv4(piece);
                if (!v4)
                    return undefined;
                out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
            }
            else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
                out.push(parseInt(piece, 16));
            }
            else {
                return undefined;
            }
        }
        return out;
    };
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    if (!head || !tail)
        return undefined;
    if (halves[0].includes(".") && halves.length === 2)
        return undefined;
    if (halves.length === 1)
        return head.length === 8 ? head : undefined;
    const missing = 8 - head.length - tail.length;
    return missing >= 1 ? [...head, ...new Array(missing).fill(0), ...tail] : undefined;
}
/** RFC 5952 text of eight 16-bit groups. */
function formatIpv6(groups) {
    let bestStart = -1;
    let bestLen = 0;
    for (let i = 0; i < 8;) {
        if (groups[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && groups[j] === 0)
            j++;
        if (j - i > bestLen) {
            bestStart = i;
            bestLen = j - i;
        }
        i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (bestLen < 2)
        return hex.join(":");
    return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}
/** Prefix length of a contiguous IPv4 netmask (`255.255.240.0` → 20); throws otherwise. */
function maskToPrefix(mask) {
    const octets = parseIpv4(mask);
    if (!octets)
        throw new Error(`not an IPv4 netmask: ${mask}`);
    const bits = octets.map((o) => o.toString(2).padStart(8, "0")).join("");
    if (!/^1*0*$/.test(bits))
        throw new Error(`netmask is not contiguous: ${mask}`);
    return bits.indexOf("0") === -1 ? 32 : bits.indexOf("0");
}
function parsePrefix(text, max, original) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(text) || Number(text) > max) {
        throw new Error(`invalid prefix length in ${original}`);
    }
    return Number(text);
}
/** Canonical `address/prefix` of an IPv4 or IPv6 CIDR, address or mask form; throws when invalid. */
function normalizeCidr(value) {
    const text = value.trim();
    const slash = text.indexOf("/");
    const address = slash === -1 ? text : text.slice(0, slash);
    const suffix = slash === -1 ? undefined : text.slice(slash + 1);
    const v4 = parseIpv4(address);
    if (v4) {
        let prefix = 32;
        if (suffix !== undefined)
            prefix = suffix.includes(".") ? maskToPrefix(suffix) : parsePrefix(suffix, 32, value);
        return `${v4.join(".")}/${prefix}`;
    }
    const v6 = parseIpv6(address);
    if (v6) {
        const prefix = suffix === undefined ? 128 : parsePrefix(suffix, 128, value);
        return `${formatIpv6(v6)}/${prefix}`;
    }
    throw new Error(`not an IPv4 or IPv6 CIDR: ${value}`);
}
/** True when `value` is a valid CIDR (or bare address). */
function isCidr(value) {
    try {
        normalizeCidr(value);
        return true;
    }
    catch {
        return false;
    }
}
/** Canonical, de-duplicated, sorted list (sorted by text, so equal sets give equal lists). */
function normalizeCidrList(values) {
    return [...new Set(values.map(normalizeCidr))].sort();
}
