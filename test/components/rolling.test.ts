/**
 * Rolling restarts across the hosts of one tunnel: in the plan, each host's steps that may restart the
 * app or its connector depend on the previous host's health step, so Pulumi restarts at most one host
 * at a time; a one-host stack keeps exactly the shape of a chain of steps.
 */
import { describe, expect, it } from "vitest";
import { RESTARTING_STEPS } from "../../components/windowsHostService";
import { planOffline } from "../../scripts/shared/planning/plan";
import { readStackFile } from "../../components/config/stackFile";
import { withHostCount } from "../../scripts/shared/planning/stackVariants";
import type { RecordedResource } from "../../scripts/shared/planning/mockRuntime";
import { ROOT, program } from "../support/harness";

const REMOTE = "command:remote:Command";

function byName(resources: readonly RecordedResource[]): Map<string, RecordedResource> {
    return new Map(resources.filter((r) => r.type === REMOTE).map((r) => [r.name, r]));
}

describe("rolling restarts", () => {
    it("a 3-host tunnel stack: each host's restarting steps wait for the previous host's health", async () => {
        const p = await planOffline(withHostCount(readStackFile("prod", ROOT), 3), program);
        expect(p.config.ingressMode).toBe("tunnel");
        const hosts = p.config.hosts.map((h) => h.name);
        expect(hosts).toHaveLength(3);
        const steps = byName(p.run.resources);
        const urnOf = (name: string) => steps.get(name)!.urn;
        const names = [...steps.keys()];
        for (const [i, host] of hosts.entries()) {
            const own = names.filter((n) => n.startsWith(`${host}-`));
            for (const name of own) {
                const step = name.slice(host.length + 1);
                const foreign = steps.get(name)!.dependencies.filter((d) => names.some((n) => urnOf(n) === d && !n.startsWith(`${host}-`)));
                const expected = i > 0 && (RESTARTING_STEPS as readonly string[]).includes(step) ? [urnOf(`${hosts[i - 1]}-health`)] : [];
                expect({ name, foreign }).toEqual({ name, foreign: expected });
            }
        }
        expect([...RESTARTING_STEPS]).toEqual(["tools", "dotenv", "certificate", "service", "cloudflared"]);
    });

    it("one host: every step depends on the previous step only (the plan's shape is unchanged)", async () => {
        const p = await planOffline(readStackFile("prod", ROOT), program);
        const steps = [...byName(p.run.resources).values()];
        const urns = new Set(steps.map((r) => r.urn));
        steps.forEach((r, i) => expect(r.dependencies.filter((d) => urns.has(d))).toEqual(i === 0 ? [] : [steps[i - 1].urn]));
    });
});
