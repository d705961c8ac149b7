import { describe, expect, it } from "vitest";
import {
    CLOUDFLARE_RANGES,
    cidrsOutside,
    cidrWithin,
} from "../../policy/rules/cloudflareRanges";

describe("cidrWithin", () => {
    it.each([
        ["173.245.48.0/20", "173.245.48.0/20", true],
        ["173.245.48.0/24", "173.245.48.0/20", true],
        ["173.245.63.255", "173.245.48.0/20", true],
        ["173.245.64.0/24", "173.245.48.0/20", false],
        ["173.245.32.0/19", "173.245.48.0/20", false],
        ["173.245.48.0/255.255.255.0", "173.245.48.0/20", true],
        ["104.16.0.0/12", "104.16.0.0/13", false],
        ["104.23.255.1/32", "104.16.0.0/13", true],
        ["0.0.0.0/0", "104.16.0.0/13", false],
        ["2606:4700:10::/48", "2606:4700::/32", true],
        ["2606:4701::/32", "2606:4700::/32", false],
        ["2a06:98c7:ffff::1", "2a06:98c0::/29", true],
        ["2a06:98c8::1", "2a06:98c0::/29", false],
        ["2606:4700::/31", "2606:4700::/32", false],
        ["::/0", "2606:4700::/32", false],
        ["::ffff:104.16.0.1", "104.16.0.0/13", false],
        ["104.16.0.1", "2606:4700::/32", false],
    ])("%s within %s is %s", (inner, outer, expected) => {
        expect(cidrWithin(inner, outer)).toBe(expected);
    });

    it("throws on text that is not a CIDR", () => {
        expect(() => cidrWithin("Any", "104.16.0.0/13")).toThrow(/not an IPv4 or IPv6 CIDR/);
        expect(() => cidrWithin("104.16.0.0/33", "104.16.0.0/13")).toThrow(/prefix/);
    });
});

describe("cidrsOutside", () => {
    it("lists what is outside Cloudflare's ranges, and anything unreadable", () => {
        expect(cidrsOutside(["104.16.0.0/13", "203.0.113.0/24", "Any", "2400:cb00:1::/48", "2001:db8::/32"])).toEqual([
            "203.0.113.0/24",
            "Any",
            "2001:db8::/32",
        ]);
    });
    it("accepts every published range", () => {
        expect(cidrsOutside(CLOUDFLARE_RANGES)).toEqual([]);
    });
});
