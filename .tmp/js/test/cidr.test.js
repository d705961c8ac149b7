"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const fast_check_1 = __importDefault(require("fast-check"));
const vitest_1 = require("vitest");
const cidr_1 = require("../components/host/cidr");
const octet = fast_check_1.default.integer({ min: 0, max: 255 });
const ipv4 = fast_check_1.default.tuple(octet, octet, octet, octet);
const group = fast_check_1.default.integer({ min: 0, max: 0xffff });
const ipv6 = fast_check_1.default.array(group, { minLength: 8, maxLength: 8 });
function maskOf(prefix) {
    const bits = "1".repeat(prefix).padEnd(32, "0");
    return [0, 8, 16, 24].map((i) => parseInt(bits.slice(i, i + 8), 2)).join(".");
}
(0, vitest_1.describe)("normalizeCidr", () => {
    (0, vitest_1.it)("maps the mask form and the prefix form of any IPv4 CIDR to the same text", () => {
        fast_check_1.default.assert(fast_check_1.default.property(ipv4, fast_check_1.default.integer({ min: 0, max: 32 }), (a, prefix) => {
            const addr = a.join(".");
            (0, vitest_1.expect)((0, cidr_1.normalizeCidr)(`${addr}/${maskOf(prefix)}`)).toBe(`${addr}/${prefix}`);
            (0, vitest_1.expect)((0, cidr_1.normalizeCidr)(`${addr}/${prefix}`)).toBe(`${addr}/${prefix}`);
            (0, vitest_1.expect)((0, cidr_1.maskToPrefix)(maskOf(prefix))).toBe(prefix);
        }), { numRuns: 1000 });
    });
    (0, vitest_1.it)("maps any spelling of an IPv6 CIDR to one canonical text, idempotently", () => {
        fast_check_1.default.assert(fast_check_1.default.property(ipv6, fast_check_1.default.integer({ min: 0, max: 128 }), (g, prefix) => {
            const longForm = g.map((x) => x.toString(16).toUpperCase().padStart(4, "0")).join(":");
            const canonical = (0, cidr_1.normalizeCidr)(`${longForm}/${prefix}`);
            (0, vitest_1.expect)((0, cidr_1.normalizeCidr)(canonical)).toBe(canonical);
            (0, vitest_1.expect)(canonical).toBe(`${(0, cidr_1.formatIpv6)(g)}/${prefix}`);
            (0, vitest_1.expect)(canonical).toBe(canonical.toLowerCase());
            (0, vitest_1.expect)(canonical.split("::").length).toBeLessThanOrEqual(2);
        }), { numRuns: 1000 });
    });
    (0, vitest_1.it)("follows RFC 5952 and the usual defaults", () => {
        (0, vitest_1.expect)((0, cidr_1.normalizeCidr)("2400:CB00:0000:0000:0000:0000:0000:0000/32")).toBe("2400:cb00::/32");
        (0, vitest_1.expect)((0, cidr_1.normalizeCidr)("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1/128");
        (0, vitest_1.expect)((0, cidr_1.normalizeCidr)("2001:db8:0:1:1:1:1:1/64")).toBe("2001:db8:0:1:1:1:1:1/64");
        (0, vitest_1.expect)((0, cidr_1.normalizeCidr)("::ffff:192.0.2.1")).toBe("::ffff:c000:201/128");
        (0, vitest_1.expect)((0, cidr_1.normalizeCidr)("173.245.48.0/255.255.240.0")).toBe("173.245.48.0/20");
        (0, vitest_1.expect)((0, cidr_1.normalizeCidr)("1.2.3.4")).toBe("1.2.3.4/32");
        (0, vitest_1.expect)((0, cidr_1.normalizeCidr)("::/0")).toBe("::/0");
    });
    (0, vitest_1.it)("rejects malformed input", () => {
        for (const bad of ["1.2.3", "1.2.3.256/24", "1.2.3.4/33", "01.2.3.4/8", "1.2.3.4/255.0.255.0",
            "2400:cb00::/129", "1::2::3", "gggg::/16", "", "1.2.3.4/", "1:2:3:4:5:6:7:8:9"]) {
            (0, vitest_1.expect)((0, cidr_1.isCidr)(bad), bad).toBe(false);
        }
    });
    (0, vitest_1.it)("de-duplicates and sorts lists", () => {
        (0, vitest_1.expect)((0, cidr_1.normalizeCidrList)(["2400:CB00::/32", "1.2.3.0/255.255.255.0", "1.2.3.0/24"])).toEqual([
            "1.2.3.0/24",
            "2400:cb00::/32",
        ]);
    });
});
