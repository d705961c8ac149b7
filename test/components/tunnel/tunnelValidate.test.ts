import { describe, expect, it } from "vitest";
import { isInZone, validateTunnelHostnames } from "../../../components/tunnel/validate";

const ZONE = "itspirit.ovh";
const MAIN = "nova-rondot.itspirit.ovh";

function check(extras: string[]): string[] {
    return validateTunnelHostnames(ZONE, MAIN, extras);
}

describe("validateTunnelHostnames", () => {
    it("accepts names under the zone and the apex itself", () => {
        expect(check([])).toEqual([]);
        expect(check(["api.nova-rondot.itspirit.ovh", "nova.itspirit.ovh", "itspirit.ovh", "A-1.ItSpirit.OVH"])).toEqual(
            [],
        );
    });

    it("rejects a name outside the zone, with key, index and value", () => {
        expect(check(["nova.itspirit.ovh", "nova.example.com"])).toEqual([
            'nova:tunnelExtraHostnames[1] "nova.example.com" is outside the zone itspirit.ovh: it must equal it or end with .itspirit.ovh.',
        ]);
    });

    it("does not take a name that merely ends with the zone's text as inside it", () => {
        const errors = check(["evilitspirit.ovh"]);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/^nova:tunnelExtraHostnames\[0\] "evilitspirit\.ovh" is outside the zone/);
    });

    it("rejects a duplicate of the main hostname, case-insensitively", () => {
        expect(check(["Nova-Rondot.itspirit.ovh"])).toEqual([
            'nova:tunnelExtraHostnames[0] "Nova-Rondot.itspirit.ovh" duplicates the main hostname nova:hostname (hostnames compare case-insensitively).',
        ]);
    });

    it("rejects a duplicate among the extras, naming the first index", () => {
        expect(check(["a.itspirit.ovh", "b.itspirit.ovh", "A.itspirit.ovh"])).toEqual([
            'nova:tunnelExtraHostnames[2] "A.itspirit.ovh" duplicates nova:tunnelExtraHostnames[0] (hostnames compare case-insensitively).',
        ]);
    });

    it("rejects wildcards", () => {
        const errors = check(["*.itspirit.ovh"]);
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/^nova:tunnelExtraHostnames\[0\] "\*\.itspirit\.ovh" is a wildcard/);
    });

    it("rejects catch-all and service text", () => {
        const errors = check(["http_status:404", "http://x.itspirit.ovh", "x.itspirit.ovh:8000", "x.itspirit.ovh/api"]);
        expect(errors).toHaveLength(4);
        errors.forEach((e, i) => {
            expect(e).toMatch(new RegExp(`^nova:tunnelExtraHostnames\\[${i}\\] ".*" is not a bare hostname`));
        });
    });

    it("rejects malformed DNS names", () => {
        const long = `${"a".repeat(64)}.itspirit.ovh`;
        expect(check(["", "a..itspirit.ovh", "-a.itspirit.ovh", "a_b.itspirit.ovh", long, "x.itspirit.ovh."])).toEqual([
            'nova:tunnelExtraHostnames[0] "" is empty.',
            'nova:tunnelExtraHostnames[1] "a..itspirit.ovh" has an empty label (leading, trailing or doubled dot).',
            'nova:tunnelExtraHostnames[2] "-a.itspirit.ovh" has an invalid label "-a" (letters, digits and inner hyphens, 1 to 63 characters).',
            'nova:tunnelExtraHostnames[3] "a_b.itspirit.ovh" has an invalid label "a_b" (letters, digits and inner hyphens, 1 to 63 characters).',
            `nova:tunnelExtraHostnames[4] "${long}" has a label of 64 characters (DNS labels are at most 63).`,
            'nova:tunnelExtraHostnames[5] "x.itspirit.ovh." has an empty label (leading, trailing or doubled dot).',
        ]);
    });

    it("rejects a name longer than 253 characters", () => {
        const name = `${Array.from({ length: 5 }, () => "a".repeat(60)).join(".")}.itspirit.ovh`;
        // The name is shown cut to 80 characters.
        expect(check([name])).toEqual([`nova:tunnelExtraHostnames[0] ${JSON.stringify(name).slice(0, 77)}... is longer than 253 characters.`]);
    });

    it("reports every bad entry, not only the first", () => {
        expect(check(["*.itspirit.ovh", "ok.itspirit.ovh", "x.example.com", "OK.itspirit.ovh"])).toHaveLength(3);
    });
});

describe("isInZone", () => {
    it("compares whole labels, case-insensitively", () => {
        expect(isInZone(ZONE, "ITSPIRIT.ovh")).toBe(true);
        expect(isInZone(ZONE, "a.b.itspirit.ovh")).toBe(true);
        expect(isInZone(ZONE, "xitspirit.ovh")).toBe(false);
        expect(isInZone(ZONE, "itspirit.ovh.example.com")).toBe(false);
    });
});
