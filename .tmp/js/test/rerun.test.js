"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const vitest_1 = require("vitest");
const keys_1 = require("../components/config/keys");
const alternatives_1 = require("../scripts/lib/alternatives");
const commands_1 = require("../scripts/lib/commands");
const markers_1 = require("../scripts/lib/markers");
const perfDoc_1 = require("../scripts/lib/perfDoc");
const plan_1 = require("../scripts/lib/plan");
const stackFile_1 = require("../scripts/lib/stackFile");
const harness_1 = require("./harness");
let sections;
/** Names of the remote commands each stack registers (none until the host component registers them). */
const commands = {};
(0, vitest_1.beforeAll)(async () => {
    sections = await (0, perfDoc_1.perfDocSections)(harness_1.ROOT, (s) => (0, plan_1.planOffline)(s, harness_1.program));
    for (const stack of ["prod", "staging"]) {
        const p = await (0, plan_1.planOffline)((0, stackFile_1.readStackFile)(stack, harness_1.ROOT), harness_1.program);
        commands[stack] = new Set(p.run.resources.filter(commands_1.isCommand).map((r) => r.name));
    }
}, 120_000);
function row(stack, key) {
    const found = sections.rows[stack].find((r) => r.key === key);
    if (!found)
        throw new Error(`no row for ${key} in ${stack}`);
    return found;
}
(0, vitest_1.describe)("the key → re-run table", () => {
    (0, vitest_1.it)("has exactly one alternative value per configuration key", () => {
        (0, vitest_1.expect)(alternatives_1.ALTERNATIVES.map((a) => a.key).sort()).toEqual(keys_1.CONFIG_KEYS.map((k) => k.key).sort());
    });
    (0, vitest_1.it)("is what docs/PERFORMANCE.md shows (regenerate with npm run perf-doc)", () => {
        const doc = (0, node_fs_1.readFileSync)((0, node_path_1.resolve)(harness_1.ROOT, "docs/PERFORMANCE.md"), "utf8");
        (0, vitest_1.expect)((0, markers_1.betweenMarkers)(doc, "commands")).toBe(sections.commands);
        (0, vitest_1.expect)((0, markers_1.betweenMarkers)(doc, "rerun")).toBe(sections.rerun);
    });
    (0, vitest_1.it)("re-runs every step whose script changed, for every key", () => {
        for (const stack of ["prod", "staging"]) {
            for (const r of sections.rows[stack]) {
                const rerun = new Set([...r.commandsRerun, ...r.commandsUpdatedWithoutTrigger]);
                const missed = r.stepScriptsChanged.filter((s) => commands[stack].has(s) && !rerun.has(s));
                (0, vitest_1.expect)({ stack, key: r.key, missed }).toEqual({ stack, key: r.key, missed: [] });
            }
        }
    });
});
/**
 * What the step scripts read (components/host/steps/*): appPort → preflight (port owner), dotenv
 * (APP_PORT), firewall (rule name and port), health (URL); serviceName → preflight, dotenv (restart),
 * service; appEnv → dotenv; cloudflaredVersion (with its SHA-256) → tools (pin), cloudflared (version
 * check); nssmSha256 → tools; hostname → no host step (health asks 127.0.0.1), only the edge.
 */
const EXPECTED = {
    prod: {
        appPort: { steps: ["preflight", "dotenv", "firewall", "health"], resources: ["nova-config"] },
        serviceName: { steps: ["preflight", "dotenv", "service"], resources: [] },
        appEnv: { steps: ["dotenv"], resources: [] },
        cloudflaredVersion: { steps: ["tools", "cloudflared"], resources: [] },
        nssmSha256: { steps: ["tools"], resources: [] },
        hostname: { steps: [], resources: ["nova-cache", "nova-config", "nova-record", "nova-redirect"] },
    },
    staging: {
        appPort: { steps: ["preflight", "dotenv", "firewall", "health"], resources: [] },
        serviceName: { steps: ["preflight", "dotenv", "service"], resources: [] },
        appEnv: { steps: ["dotenv"], resources: [] },
        cloudflaredVersion: { steps: "n/a", resources: [] },
        nssmSha256: { steps: ["tools"], resources: [] },
        hostname: { steps: [], resources: ["nova-record"] },
    },
};
vitest_1.describe.each(["prod", "staging"])("changing one key of %s", (stack) => {
    const host = stack === "prod" ? "rondot" : "staging";
    vitest_1.it.each(Object.keys(EXPECTED[stack]))("%s re-runs exactly the steps that read it", (key) => {
        const want = EXPECTED[stack][key];
        const r = row(stack, key);
        if (want.steps === "n/a") {
            (0, vitest_1.expect)(r.notApplicable).toBe("tunnel mode only");
            return;
        }
        const steps = want.steps.map((s) => `${host}-${s}`).sort();
        (0, vitest_1.expect)(r.notApplicable).toBeUndefined();
        (0, vitest_1.expect)(r.stepScriptsChanged).toEqual(steps);
        // Exact once the host steps are commands; until then no command exists to re-run.
        (0, vitest_1.expect)(r.commandsRerun).toEqual(commands[stack].size > 0 ? steps : []);
        (0, vitest_1.expect)(r.commandsUpdatedWithoutTrigger).toEqual([]);
        (0, vitest_1.expect)(r.resourcesUpdated).toEqual(want.resources);
        (0, vitest_1.expect)([r.added, r.removed]).toEqual([[], []]);
    });
});
