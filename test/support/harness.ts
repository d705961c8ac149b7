/**
 * Runs the real program (index.ts) under the mock runtime for the tests, from a committed stack
 * file with overrides, and helps read what it registered.
 */
import { resolve } from "node:path";
import { MockRun, RecordedResource, runUnderMocks } from "../../scripts/shared/planning/mockRuntime";
import { Plan, planOffline } from "../../scripts/shared/planning/plan";
import { readStackFile, StackConfig } from "../../components/config/stackFile";
import { soleOwner, withZoneStacksDir } from "../../scripts/shared/planning/zoneOwner";

export const ROOT = resolve(__dirname, "../..");
/** The project name of Pulumi.yaml. */
export const PROJECT = "nova";

import novaProgram from "../../index";

/** The program exactly as `pulumi preview` runs it. */
export const program: () => Promise<Record<string, unknown>> = novaProgram;

/** A committed stack file with keys set (string) or removed (undefined); `secrets` are set as secrets. */
export function stackWith(stack: string, overrides: Record<string, string | undefined> = {}, secrets: Record<string, string> = {}): StackConfig {
    const base = readStackFile(stack, ROOT);
    const values = { ...base.values };
    for (const [k, v] of Object.entries({ ...overrides, ...secrets })) {
        if (v === undefined) delete values[k];
        else values[k] = v;
    }
    return { stack, values, secretKeys: [...new Set([...base.secretKeys, ...Object.keys(secrets)])] };
}

/** The offline plan of a stack (secrets the file lacks stand in as placeholders). */
export function plan(stack: string, overrides: Record<string, string | undefined> = {}, secrets: Record<string, string> = {}): Promise<Plan> {
    return planOffline(stackWith(stack, overrides, secrets), program);
}

/**
 * A file's memo of `plan(stack, {}, secrets)`: the offline plan of a committed stack is the same each time,
 * so a file whose tests only read it makes it once per stack and secrets. Each file makes its own (a memo
 * shared by the files of a worker would carry one file's changes to a plan into another's).
 */
export function planCache(): (stack: string, secrets?: Record<string, string>) => Promise<Plan> {
    const planned = new Map<string, Promise<Plan>>();
    return (stack, secrets = {}) => {
        const key = JSON.stringify([stack, secrets]);
        if (!planned.has(key)) planned.set(key, plan(stack, {}, secrets));
        return planned.get(key)!;
    };
}

/**
 * The offline plan of a committed stack made the owner of its zone (`nova:manageZone` true), against a
 * copy of the project in which the zone's other owner gives it up: a zone has one owner.
 */
export function planAsOwner(stack: string, overrides: Record<string, string | undefined> = {}, secrets: Record<string, string> = {}): Promise<Plan> {
    const variant = stackWith(stack, { ...overrides, "nova:manageZone": "true" }, secrets);
    return withZoneStacksDir(soleOwner(ROOT, variant), () => planOffline(variant, program));
}

/** Runs the program directly with exactly this configuration (no stand-ins); returns what got registered and the failure. */
export async function runRaw(config: StackConfig): Promise<{ resources: RecordedResource[]; error?: Error }> {
    const resources: RecordedResource[] = [];
    try {
        await runUnderMocks(program, { project: PROJECT, stack: config.stack, config: config.values, secretKeys: config.secretKeys }, resources);
        return { resources };
    } catch (error) {
        return { resources, error: error as Error };
    }
}

/**
 * Builds components under the mock runtime, as an update of stack `stack` with no stack config
 * (components take their validated config as arguments); what `build` returns are the stack outputs.
 */
export function runComponents(stack: string, build: () => Record<string, unknown> | void | Promise<Record<string, unknown> | void>): Promise<MockRun> {
    return runUnderMocks(async () => build(), { project: PROJECT, stack, config: {}, secretKeys: [], preview: false });
}

/** What a plan or a run registered. */
function registered(p: Plan | MockRun): RecordedResource[] {
    return "run" in p ? p.run.resources : p.resources;
}

/** Resources of a type (full token), in registration order. */
export function ofType(p: Plan | MockRun, type: string): RecordedResource[] {
    return registered(p).filter((r) => r.type === type);
}

/** The one resource with this type and name. */
export function one(p: Plan | MockRun, type: string, name: string): RecordedResource {
    const all = registered(p);
    const found = all.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${all.map((r) => `${r.type}::${r.name}`).join(", ")}`);
    return found[0];
}
