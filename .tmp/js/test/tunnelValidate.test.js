"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const validate_1 = require("../components/tunnel/validate");
const ZONE = "itspirit.ovh";
const MAIN = "nova-rondot.itspirit.ovh";
function check(extras) {
    return (0, validate_1.validateTunnelHostnames)(ZONE, MAIN, extras);
}
(0, vitest_1.describe)("validateTunnelHostnames", () => {
    (0, vitest_1.it)("accepts names under the zone and the apex itself", () => {
        (0, vitest_1.expect)(check([])).toEqual([]);
        (0, vitest_1.expect)(check(["api.nova-rondot.itspirit.ovh", "nova.itspirit.ovh", "itspirit.ovh", "A-1.ItSpirit.OVH"])).toEqual([]);
    });
    (0, vitest_1.it)("rejects a name outside the zone, with key, index and value", () => {
        (0, vitest_1.expect)(check(["nova.itspirit.ovh", "nova.example.com"])).toEqual([
            'nova:tunnelExtraHostnames[1] "nova.example.com" is outside the zone itspirit.ovh: it must equal it or end with .itspirit.ovh.',
        ]);
    });
    (0, vitest_1.it)("does not take a name that merely ends with the zone's text as inside it", () => {
        const errors = check(["evilitspirit.ovh"]);
        (0, vitest_1.expect)(errors).toHaveLength(1);
        (0, vitest_1.expect)(errors[0]).toMatch(/^nova:tunnelExtraHostnames\[0\] "evilitspirit\.ovh" is outside the zone/);
    });
    (0, vitest_1.it)("rejects a duplicate of the main hostname, case-insensitively", () => {
        (0, vitest_1.expect)(check(["Nova-Rondot.itspirit.ovh"])).toEqual([
            'nova:tunnelExtraHostnames[0] "Nova-Rondot.itspirit.ovh" duplicates the main hostname nova:hostname (hostnames compare case-insensitively).',
        ]);
    });
    (0, vitest_1.it)("rejects a duplicate among the extras, naming the first index", () => {
        (0, vitest_1.expect)(check(["a.itspirit.ovh", "b.itspirit.ovh", "A.itspirit.ovh"])).toEqual([
            'nova:tunnelExtraHostnames[2] "A.itspirit.ovh" duplicates nova:tunnelExtraHostnames[0] (hostnames compare case-insensitively).',
        ]);
    });
    (0, vitest_1.it)("rejects wildcards", () => {
        const errors = check(["*.itspirit.ovh"]);
        (0, vitest_1.expect)(errors).toHaveLength(1);
        (0, vitest_1.expect)(errors[0]).toMatch(/^nova:tunnelExtraHostnames\[0\] "\*\.itspirit\.ovh" is a wildcard/);
    });
    (0, vitest_1.it)("rejects catch-all and service text", () => {
        const errors = check(["http_status:404", "http://x.itspirit.ovh", "x.itspirit.ovh:8000", "x.itspirit.ovh/api"]);
        (0, vitest_1.expect)(errors).toHaveLength(4);
        errors.forEach((e, i) => {
            (0, vitest_1.expect)(e).toMatch(new RegExp(`^nova:tunnelExtraHostnames\\[${i}\\] ".*" is not a bare hostname`));
        });
    });
    (0, vitest_1.it)("rejects malformed DNS names", () => {
        const long = `${"a".repeat(64)}.itspirit.ovh`;
        (0, vitest_1.expect)(check(["", "a..itspirit.ovh", "-a.itspirit.ovh", "a_b.itspirit.ovh", long, "x.itspirit.ovh."])).toEqual([
            'nova:tunnelExtraHostnames[0] "" is empty.',
            'nova:tunnelExtraHostnames[1] "a..itspirit.ovh" has an empty label (leading, trailing or doubled dot).',
            'nova:tunnelExtraHostnames[2] "-a.itspirit.ovh" has an invalid label "-a" (letters, digits and inner hyphens, 1 to 63 characters).',
            'nova:tunnelExtraHostnames[3] "a_b.itspirit.ovh" has an invalid label "a_b" (letters, digits and inner hyphens, 1 to 63 characters).',
            `nova:tunnelExtraHostnames[4] "${long}" has an invalid label "${"a".repeat(64)}" (letters, digits and inner hyphens, 1 to 63 characters).`,
            'nova:tunnelExtraHostnames[5] "x.itspirit.ovh." has an empty label (leading, trailing or doubled dot).',
        ]);
    });
    (0, vitest_1.it)("rejects a name longer than 253 characters", () => {
        const name = `${Array.from({ length: 5 }, () => "a".repeat(60)).join(".")}.itspirit.ovh`;
        (0, vitest_1.expect)(check([name])).toEqual([`nova:tunnelExtraHostnames[0] "${name}" is longer than 253 characters.`]);
    });
    (0, vitest_1.it)("reports every bad entry, not only the first", () => {
        (0, vitest_1.expect)(check(["*.itspirit.ovh", "ok.itspirit.ovh", "x.example.com", "OK.itspirit.ovh"])).toHaveLength(3);
    });
});
(0, vitest_1.describe)("isInZone", () => {
    (0, vitest_1.it)("compares whole labels, case-insensitively", () => {
        (0, vitest_1.expect)((0, validate_1.isInZone)(ZONE, "ITSPIRIT.ovh")).toBe(true);
        (0, vitest_1.expect)((0, validate_1.isInZone)(ZONE, "a.b.itspirit.ovh")).toBe(true);
        (0, vitest_1.expect)((0, validate_1.isInZone)(ZONE, "xitspirit.ovh")).toBe(false);
        (0, vitest_1.expect)((0, validate_1.isInZone)(ZONE, "itspirit.ovh.example.com")).toBe(false);
    });
});
