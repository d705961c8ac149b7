/**
 * The pure rules over every resource of the offline plans of prod and staging (inputs as the policy
 * engine sees them: secrets unwrapped), and the pack's wiring.
 */
import { describe, expect, it, vi } from "vitest";
import { allViolations } from "../../policy/rules";
import { plan } from "../harness";
import { policyView } from "./util";

const policyMock = vi.hoisted(() => ({ packs: [] as { name: string; args: { policies: { name: string; enforcementLevel?: string }[] } }[] }));
vi.mock("@pulumi/policy", async (importOriginal) => ({
    ...(await importOriginal<object>()),
    PolicyPack: class {
        constructor(name: string, args: { policies: { name: string; enforcementLevel?: string }[] }) {
            policyMock.packs.push({ name, args });
        }
    },
}));

async function resourcesOf(stack: string) {
    const p = await plan(stack);
    return p.run.resources.map((r) => ({ type: r.type, urn: r.urn, props: policyView(r.inputs) as Record<string, unknown> }));
}

describe("offline plans", () => {
    it.each(["prod", "staging"])("%s: no violation of any rule", async (stack) => {
        const resources = await resourcesOf(stack);
        expect(resources.length).toBeGreaterThan(0);
        expect(allViolations(resources)).toEqual([]);
    });

    it("prod: the zone-setting rules see the managed ssl and min_tls_version settings", async () => {
        const resources = await resourcesOf("prod");
        const settings = resources.filter((r) => r.type === "cloudflare:index/zoneSetting:ZoneSetting").map((r) => [r.props.settingId, r.props.value]);
        expect(settings).toContainEqual(["ssl", "full"]);
        expect(settings).toContainEqual(["min_tls_version", "1.2"]);
        // The same resources with a weakened value are caught: the rules do read these inputs.
        const weakened = resources.map((r) =>
            r.props.settingId === "ssl" ? { ...r, props: { ...r.props, value: "flexible" } } : r.props.settingId === "min_tls_version" ? { ...r, props: { ...r.props, value: "1.0" } } : r,
        );
        expect(allViolations(weakened).map((v) => v.rule)).toEqual(["zone-ssl-mode-encrypted", "zone-min-tls-1-2"]);
    });
});

describe("policy pack", () => {
    it("registers nova-guardrails with every policy mandatory", async () => {
        await import("../../policy/index");
        expect(policyMock.packs).toHaveLength(1);
        const [pack] = policyMock.packs;
        expect(pack.name).toBe("nova-guardrails");
        expect(pack.args.policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
            ["zone-ssl-mode-encrypted", "mandatory"],
            ["zone-min-tls-1-2", "mandatory"],
            ["remote-command-host-key", "mandatory"],
            ["command-secret-output-not-logged", "mandatory"],
            ["downloads-pinned-sha256", "mandatory"],
            ["origin-firewall-cloudflare-only", "mandatory"],
        ]);
    });
});
