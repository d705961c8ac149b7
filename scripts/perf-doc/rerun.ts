/**
 * What changing one configuration key re-runs: the stack is planned with that key changed and the
 * result compared with the plan of the stack as it is. A host step (a command) runs again when any of
 * its inputs changes (its script is its stdin): an update, which runs the step's idempotent script
 * once more. A change of `triggers` would instead replace it (create the new, then delete the old, which
 * would undo the step): the steps set none, and the table shows any such replacement apart. Other
 * resources are updated when their inputs change. The rendered host step scripts are compared too.
 */
import { renderHostSteps } from "../../components/host/steps";
import type { NovaConfig } from "../../components/types";
import { ALTERNATIVES, Alternative } from "./alternatives";
import { canonicalJson } from "../shared/planning/canonical";
import { isCommand } from "../shared/planning/commands";
import type { RecordedResource } from "../shared/planning/mockRuntime";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../shared/planning/offlineFixtures";
import type { Plan } from "../shared/planning/plan";
import type { StackConfig } from "../../components/config/stackFile";
import { withValues } from "../shared/planning/stackVariants";
import { projectFor, withZoneStacksDir } from "../shared/planning/zoneOwner";
import { PROJECT_DIR } from "../../components/config";

/** What one changed key does to a stack. Names are resource (child) names, sorted. */
export interface RerunRow {
    readonly key: string;
    readonly value: string;
    /** Companion keys changed with it (short names). */
    readonly also: readonly string[];
    /** Set when the key has no effect on this stack's mode or hosts; the rest is then empty. */
    readonly notApplicable?: string;
    /** Commands whose inputs change (script, command line, connection): these steps run again. */
    readonly commandsRerun: readonly string[];
    /** Commands whose `triggers` change: replaced (new create, then old delete). None expected. */
    readonly commandsReplaced: readonly string[];
    /** Host step scripts (`<host>-<step>`) the renderer gives differently, or only before or after. */
    readonly stepScriptsChanged: readonly string[];
    /** Custom resources other than commands whose inputs change. */
    readonly resourcesUpdated: readonly string[];
    readonly added: readonly string[];
    readonly removed: readonly string[];
}

interface Seen {
    readonly command: boolean;
    /** Triggers of a command (what replaces it). */
    readonly triggers: string;
    /** All inputs. */
    readonly inputs: string;
}

/** Custom resources by name (type-qualified when two types share a name). */
function customResources(resources: readonly RecordedResource[]): Map<string, Seen> {
    const custom = resources.filter((r) => r.custom);
    const shared = new Set(custom.map((r) => r.name).filter((n, i, all) => all.indexOf(n) !== i));
    return new Map(
        custom.map((r) => {
            const inputs = canonicalJson(r.inputs);
            const command = isCommand(r);
            return [shared.has(r.name) ? `${r.name} (${r.type})` : r.name, { command, triggers: canonicalJson(r.inputs.triggers ?? null), inputs }];
        }),
    );
}

/** Rendered create and delete script of every host step, by `<host>-<step>`. */
export function renderedSteps(cfg: NovaConfig): Map<string, string> {
    const cloudflare = { ipv4: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ipv6: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs };
    const steps = new Map<string, string>();
    for (const host of cfg.hosts) {
        for (const step of renderHostSteps(cfg, host, { cloudflare })) {
            steps.set(`${host.name}-${step.name}`, canonicalJson({ create: step.scripts.create, delete: step.scripts.delete ?? null }));
        }
    }
    return steps;
}

function changedKeys<T>(before: Map<string, T>, after: Map<string, T>, differs: (a: T, b: T) => boolean): string[] {
    return [...after.keys()].filter((k) => before.has(k) && differs(before.get(k)!, after.get(k)!)).sort();
}

/** Compares two plans of the same stack. */
export function diffPlans(before: Plan, after: Plan): Omit<RerunRow, "key" | "value" | "also"> {
    const a = customResources(before.run.resources);
    const b = customResources(after.run.resources);
    const stepsBefore = renderedSteps(before.config);
    const stepsAfter = renderedSteps(after.config);
    return {
        commandsRerun: changedKeys(a, b, (x, y) => (x.command || y.command) && x.inputs !== y.inputs),
        commandsReplaced: changedKeys(a, b, (x, y) => (x.command || y.command) && x.triggers !== y.triggers),
        stepScriptsChanged: [...new Set([...stepsBefore.keys(), ...stepsAfter.keys()])].filter((k) => stepsBefore.get(k) !== stepsAfter.get(k)).sort(),
        resourcesUpdated: changedKeys(a, b, (x, y) => !x.command && !y.command && x.inputs !== y.inputs),
        added: [...b.keys()].filter((k) => !a.has(k)).sort(),
        removed: [...a.keys()].filter((k) => !b.has(k)).sort(),
    };
}

/** The stack with one alternative applied (secrets set as secrets). */
export function applyAlternative(stack: StackConfig, cfg: NovaConfig, alt: Alternative): StackConfig {
    const plain: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    (alt.secret ? secrets : plain)[`nova:${alt.key}`] = alt.value(cfg);
    for (const [k, v] of Object.entries(alt.also?.(cfg) ?? {})) plain[`nova:${k}`] = v;
    return withValues(stack, plain, secrets);
}

/** One row per alternative, each planned against the same base plan. */
export async function rerunTable(
    stack: StackConfig,
    plan: (s: StackConfig) => Promise<Plan>,
    alternatives: readonly Alternative[] = ALTERNATIVES,
    /** Where the project's stack files are (a direct-mode variant needs its zone owner to follow it). */
    root: string = PROJECT_DIR,
): Promise<RerunRow[]> {
    const base = await plan(stack);
    const rows: RerunRow[] = [];
    for (const alt of alternatives) {
        const value = alt.shown ?? alt.value(base.config);
        const also = Object.keys(alt.also?.(base.config) ?? {});
        const why = alt.notApplicable?.(base.config);
        if (why !== undefined) {
            rows.push({ key: alt.key, value, also, notApplicable: why, commandsRerun: [], commandsReplaced: [], stepScriptsChanged: [], resourcesUpdated: [], added: [], removed: [] });
            continue;
        }
        const variant = applyAlternative(stack, base.config, alt);
        const changed = await withZoneStacksDir(projectFor(root, stack, variant), () => plan(variant)).catch((err: Error) => {
            throw new Error(`nova:${alt.key} = ${value}: ${err.message}`);
        });
        rows.push({ key: alt.key, value, also, ...diffPlans(base, changed) });
    }
    return rows;
}
