import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatIpv6, isCidr, maskToPrefix, normalizeCidr, normalizeCidrList } from "../../../components/host/cidr";

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet);
const group = fc.integer({ min: 0, max: 0xffff });
const ipv6 = fc.array(group, { minLength: 8, maxLength: 8 });

function maskOf(prefix: number): string {
    const bits = "1".repeat(prefix).padEnd(32, "0");
    return [0, 8, 16, 24].map((i) => parseInt(bits.slice(i, i + 8), 2)).join(".");
}

describe("normalizeCidr", () => {
    it("maps the mask form and the prefix form of any IPv4 CIDR to the same text", () => {
        fc.assert(
            fc.property(ipv4, fc.integer({ min: 0, max: 32 }), (a, prefix) => {
                const addr = a.join(".");
                expect(normalizeCidr(`${addr}/${maskOf(prefix)}`)).toBe(`${addr}/${prefix}`);
                expect(normalizeCidr(`${addr}/${prefix}`)).toBe(`${addr}/${prefix}`);
                expect(maskToPrefix(maskOf(prefix))).toBe(prefix);
            }),
            { numRuns: 1000 },
        );
    });

    it("maps any spelling of an IPv6 CIDR to one canonical text, idempotently", () => {
        fc.assert(
            fc.property(ipv6, fc.integer({ min: 0, max: 128 }), (g, prefix) => {
                const longForm = g.map((x) => x.toString(16).toUpperCase().padStart(4, "0")).join(":");
                const canonical = normalizeCidr(`${longForm}/${prefix}`);
                expect(normalizeCidr(canonical)).toBe(canonical);
                expect(canonical).toBe(`${formatIpv6(g)}/${prefix}`);
                expect(canonical).toBe(canonical.toLowerCase());
                expect(canonical.split("::").length).toBeLessThanOrEqual(2);
            }),
            { numRuns: 1000 },
        );
    });

    it("follows RFC 5952 and the usual defaults", () => {
        expect(normalizeCidr("2400:CB00:0000:0000:0000:0000:0000:0000/32")).toBe("2400:cb00::/32");
        expect(normalizeCidr("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1/128");
        expect(normalizeCidr("2001:db8:0:1:1:1:1:1/64")).toBe("2001:db8:0:1:1:1:1:1/64");
        expect(normalizeCidr("::ffff:192.0.2.1")).toBe("::ffff:c000:201/128");
        expect(normalizeCidr("173.245.48.0/255.255.240.0")).toBe("173.245.48.0/20");
        expect(normalizeCidr("1.2.3.4")).toBe("1.2.3.4/32");
        expect(normalizeCidr("::/0")).toBe("::/0");
    });

    it("rejects malformed input", () => {
        for (const bad of ["1.2.3", "1.2.3.256/24", "1.2.3.4/33", "01.2.3.4/8", "1.2.3.4/255.0.255.0",
            "2400:cb00::/129", "1::2::3", "gggg::/16", "", "1.2.3.4/", "1:2:3:4:5:6:7:8:9"]) {
            expect(isCidr(bad), bad).toBe(false);
        }
    });

    it("de-duplicates and sorts lists", () => {
        expect(normalizeCidrList(["2400:CB00::/32", "1.2.3.0/255.255.255.0", "1.2.3.0/24"])).toEqual([
            "1.2.3.0/24",
            "2400:cb00::/32",
        ]);
    });
});
