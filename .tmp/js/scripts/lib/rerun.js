"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderedSteps = renderedSteps;
exports.diffPlans = diffPlans;
exports.applyAlternative = applyAlternative;
exports.rerunTable = rerunTable;
/**
 * What changing one configuration key re-runs: the stack is planned with that key changed and the
 * result compared with the plan of the stack as it is. Commands (the host steps) are replaced, so run
 * again, when their `triggers` change, and updated (their create command runs again) when only other
 * inputs change; other resources are updated when their inputs change. The host step scripts the
 * renderer gives are compared too: they are what the steps' triggers hash.
 */
const steps_1 = require("../../components/host/steps");
const alternatives_1 = require("./alternatives");
const canonical_1 = require("./canonical");
const commands_1 = require("./commands");
const offlineFixtures_1 = require("./offlineFixtures");
const stackVariants_1 = require("./stackVariants");
/** Custom resources by name (type-qualified when two types share a name). */
function customResources(resources) {
    const custom = resources.filter((r) => r.custom);
    const shared = new Set(custom.map((r) => r.name).filter((n, i, all) => all.indexOf(n) !== i));
    return new Map(custom.map((r) => {
        const inputs = (0, canonical_1.canonicalJson)(r.inputs);
        const command = (0, commands_1.isCommand)(r);
        return [shared.has(r.name) ? `${r.name} (${r.type})` : r.name, { command, view: command ? (0, canonical_1.canonicalJson)(r.inputs.triggers ?? null) : inputs, inputs }];
    }));
}
/** Rendered create and delete script of every host step, by `<host>-<step>`. */
function renderedSteps(cfg) {
    const cloudflare = { ipv4: offlineFixtures_1.CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ipv6: offlineFixtures_1.CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs };
    const steps = new Map();
    for (const host of cfg.hosts) {
        for (const step of (0, steps_1.renderHostSteps)(cfg, host, { cloudflare })) {
            steps.set(`${host.name}-${step.name}`, (0, canonical_1.canonicalJson)({ create: step.scripts.create, delete: step.scripts.delete ?? null }));
        }
    }
    return steps;
}
function changedKeys(before, after, differs) {
    return [...after.keys()].filter((k) => before.has(k) && differs(before.get(k), after.get(k))).sort();
}
/** Compares two plans of the same stack. */
function diffPlans(before, after) {
    const a = customResources(before.run.resources);
    const b = customResources(after.run.resources);
    const stepsBefore = renderedSteps(before.config);
    const stepsAfter = renderedSteps(after.config);
    const commandsRerun = changedKeys(a, b, (x, y) => (x.command || y.command) && x.view !== y.view);
    return {
        commandsRerun,
        commandsUpdatedWithoutTrigger: changedKeys(a, b, (x, y) => x.command && y.command && x.view === y.view && x.inputs !== y.inputs),
        stepScriptsChanged: [...new Set([...stepsBefore.keys(), ...stepsAfter.keys()])].filter((k) => stepsBefore.get(k) !== stepsAfter.get(k)).sort(),
        resourcesUpdated: changedKeys(a, b, (x, y) => !x.command && !y.command && x.view !== y.view),
        added: [...b.keys()].filter((k) => !a.has(k)).sort(),
        removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    };
}
/** The stack with one alternative applied (secrets set as secrets). */
function applyAlternative(stack, cfg, alt) {
    const plain = {};
    const secrets = {};
    (alt.secret ? secrets : plain)[`nova:${alt.key}`] = alt.value(cfg);
    for (const [k, v] of Object.entries(alt.also?.(cfg) ?? {}))
        plain[`nova:${k}`] = v;
    return (0, stackVariants_1.withValues)(stack, plain, secrets);
}
/** One row per alternative, each planned against the same base plan. */
async function rerunTable(stack, plan, alternatives = alternatives_1.ALTERNATIVES) {
    const base = await plan(stack);
    const rows = [];
    for (const alt of alternatives) {
        const value = alt.shown ?? alt.value(base.config);
        const also = Object.keys(alt.also?.(base.config) ?? {});
        const why = alt.notApplicable?.(base.config);
        if (why !== undefined) {
            rows.push({ key: alt.key, value, also, notApplicable: why, commandsRerun: [], commandsUpdatedWithoutTrigger: [], stepScriptsChanged: [], resourcesUpdated: [], added: [], removed: [] });
            continue;
        }
        const changed = await plan(applyAlternative(stack, base.config, alt)).catch((err) => {
            throw new Error(`nova:${alt.key} = ${value}: ${err.message}`);
        });
        rows.push({ key: alt.key, value, also, ...diffPlans(base, changed) });
    }
    return rows;
}
