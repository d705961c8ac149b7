import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../../components/config/keys";
import { ALTERNATIVES } from "../../../scripts/perf-doc/alternatives";
import { isCommand } from "../../../scripts/shared/planning/commands";
import { betweenMarkers } from "../../../scripts/shared/markdown/markers";
import { perfDocSections } from "../../../scripts/perf-doc/sections";
import { planOffline } from "../../../scripts/shared/planning/plan";
import type { RerunRow } from "../../../scripts/perf-doc/rerun";
import { readStackFile } from "../../../components/config/stackFile";
import { program, ROOT } from "../../support/harness";

let sections: Awaited<ReturnType<typeof perfDocSections>>;
/** Names of the remote commands each stack registers (none until the host component registers them). */
const commands: Record<string, Set<string>> = {};

beforeAll(async () => {
    sections = await perfDocSections(ROOT, (s) => planOffline(s, program));
    for (const stack of ["prod", "staging"]) {
        const p = await planOffline(readStackFile(stack, ROOT), program);
        commands[stack] = new Set(p.run.resources.filter(isCommand).map((r) => r.name));
    }
}, 120_000);

function row(stack: string, key: string): RerunRow {
    const found = sections.rows[stack].find((r) => r.key === key);
    if (!found) throw new Error(`no row for ${key} in ${stack}`);
    return found;
}

describe("the key → re-run table", () => {
    it("has exactly one alternative value per configuration key", () => {
        expect(ALTERNATIVES.map((a) => a.key).sort()).toEqual(CONFIG_KEYS.map((k) => k.key).sort());
    });

    it("is what docs/PERFORMANCE.md shows (regenerate with npm run perf-doc)", () => {
        const doc = readFileSync(resolve(ROOT, "docs/PERFORMANCE.md"), "utf8");
        expect(betweenMarkers(doc, "commands")).toBe(sections.commands);
        expect(betweenMarkers(doc, "rerun")).toBe(sections.rerun);
    });

    it("never replaces a host step, whatever key changes (a replacement would run the old step's delete)", () => {
        for (const stack of ["prod", "staging"]) {
            for (const r of sections.rows[stack]) expect({ stack, key: r.key, replaced: r.commandsReplaced }).toEqual({ stack, key: r.key, replaced: [] });
        }
    });

    it("re-runs every step whose script changed, for every key", () => {
        for (const stack of ["prod", "staging"]) {
            for (const r of sections.rows[stack]) {
                const rerun = new Set(r.commandsRerun);
                const missed = r.stepScriptsChanged.filter((s) => commands[stack].has(s) && !rerun.has(s) && !r.removed.includes(s));
                expect({ stack, key: r.key, missed }).toEqual({ stack, key: r.key, missed: [] });
            }
        }
    });
});

/**
 * What the step scripts read (components/host/steps/*): appPort → preflight (port owner), dotenv
 * (APP_PORT), firewall (rule name and port), health (URL); serviceName → preflight, tools (restart
 * after an NSSM upgrade), dotenv (restart), service, health (names the service when it fails); appEnv →
 * dotenv; cloudflaredVersion (with its SHA-256) → tools (pin), cloudflared (version check); nssmSha256 →
 * tools; hostname → no host step (health asks 127.0.0.1), only the edge. Health runs again whenever any
 * earlier step does (its stdin carries their digest), so it is re-run with every changed step.
 */
const EXPECTED: Record<string, Record<string, { steps: string[] | "n/a"; resources: string[] }>> = {
    prod: {
        appPort: { steps: ["preflight", "dotenv", "firewall", "health"], resources: ["nova-config"] },
        serviceName: { steps: ["preflight", "tools", "dotenv", "service", "health"], resources: [] },
        appEnv: { steps: ["dotenv"], resources: [] },
        cloudflaredVersion: { steps: ["tools", "cloudflared"], resources: [] },
        nssmSha256: { steps: ["tools"], resources: [] },
        hostname: { steps: [], resources: ["nova-cache", "nova-config", "nova-record", "nova-redirect"] },
    },
    staging: {
        // direct mode: the service's uvicorn line has the port too.
        appPort: { steps: ["preflight", "dotenv", "service", "firewall", "health"], resources: [] },
        // direct mode: the certificate step restarts the service when it installs a new certificate.
        serviceName: { steps: ["preflight", "tools", "dotenv", "certificate", "service", "health"], resources: [] },
        appEnv: { steps: ["dotenv"], resources: [] },
        cloudflaredVersion: { steps: "n/a", resources: [] },
        nssmSha256: { steps: ["tools"], resources: [] },
        // direct mode: the key request (CSR) and the TLS health probe name the hostname; a new certificate follows.
        hostname: { steps: ["certificate-request", "certificate", "health"], resources: ["nova-record", "staging-origin-certificate"] },
    },
};

describe.each(["prod", "staging"])("changing one key of %s", (stack) => {
    const host = stack === "prod" ? "rondot" : "staging";
    it.each(Object.keys(EXPECTED[stack]))("%s re-runs exactly the steps that read it", (key) => {
        const want = EXPECTED[stack][key];
        const r = row(stack, key);
        if (want.steps === "n/a") {
            expect(r.notApplicable).toBe("tunnel mode only");
            return;
        }
        const steps = want.steps.map((s) => `${host}-${s}`).sort();
        expect(r.notApplicable).toBeUndefined();
        expect(r.stepScriptsChanged).toEqual(steps);
        expect(commands[stack].size).toBeGreaterThan(0);
        const health = `${host}-health`;
        expect(r.commandsRerun).toEqual(steps.length > 0 ? [...new Set([...steps, health])].sort() : []);
        expect(r.commandsReplaced).toEqual([]);
        expect(r.resourcesUpdated).toEqual(want.resources);
        expect([r.added, r.removed]).toEqual([[], []]);
    });
});
