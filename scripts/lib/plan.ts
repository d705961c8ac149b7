/**
 * The offline plan: validates a stack file's configuration, stands in for the secrets it cannot
 * decrypt, runs the real program under the mock runtime and returns one JSON document.
 */
import {
    collectNovaConfig, ConfigEnvironment, NovaConfigError, requiredSecrets, SecretRequirement, setCommand, withPlaceholdersAllowed,
} from "../../components/config";
import { NovaConfig } from "../../components/types";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT, OFFLINE_ZONE_ID } from "./offlineFixtures";
import { MockRun, runUnderMocks } from "./mockRuntime";
import { redact } from "./redact";
import { placeholder, StackConfig } from "./stackFile";

export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly inputs: unknown;
}

/** The JSON contract of `npm run plan -- --json`. */
export interface PlanDocument {
    readonly stack: string;
    readonly resources: PlanResource[];
    readonly outputs: unknown;
    /** Secrets the stack file does not hold, shown as [secret]: set them before a real preview. */
    readonly secretsToSet: { key: string; command: string }[];
    /** Placeholder values (site facts) the stack file holds: set the real values before a real preview. */
    readonly placeholdersToSet: { key: string; problem: string }[];
    /** The offline stand-ins used for data sources. */
    readonly fixtures: { zoneId: string; cloudflareIpRangesRecordedOn: string };
}

export interface Plan {
    readonly document: PlanDocument;
    readonly config: NovaConfig;
    readonly run: MockRun;
}

function secretName(req: SecretRequirement): string {
    return req.path === undefined ? `nova:${req.key}` : `nova:${req.key}.${req.path}`;
}

/** Adds placeholders for the required secrets the stack file does not hold; returns those. */
export function standInForSecrets(stackConfig: StackConfig, config: NovaConfig): { stackConfig: StackConfig; missing: SecretRequirement[] } {
    const values = { ...stackConfig.values };
    const secretKeys = new Set(stackConfig.secretKeys);
    const missing: SecretRequirement[] = [];
    for (const req of requiredSecrets(config)) {
        const full = `nova:${req.key}`;
        if (req.path === undefined) {
            if (values[full] !== undefined) continue;
            values[full] = placeholder(full);
        } else {
            const env = JSON.parse(values[full] ?? "{}") as Record<string, string>;
            if (env[req.path] !== undefined) continue;
            env[req.path] = placeholder(secretName(req));
            values[full] = JSON.stringify(env);
        }
        secretKeys.add(full);
        missing.push(req);
    }
    return { stackConfig: { stack: stackConfig.stack, values, secretKeys: [...secretKeys] }, missing };
}

/** Plans a stack offline with the given program (index.ts's export). */
export async function planOffline(stackConfig: StackConfig, program: () => Promise<Record<string, unknown>>): Promise<Plan> {
    const env: ConfigEnvironment = { keys: Object.keys(stackConfig.values), isSecret: (k) => stackConfig.secretKeys.includes(k) };
    const first = collectNovaConfig((key) => stackConfig.values[`nova:${key}`], stackConfig.stack, env);
    if (first.problems.length > 0) throw new NovaConfigError(first.problems);
    const { stackConfig: filled, missing } = standInForSecrets(stackConfig, first.config);

    // The program validates again and would refuse the placeholders this plan lists instead.
    const run = await withPlaceholdersAllowed(() =>
        runUnderMocks(program, { project: "nova", stack: filled.stack, config: filled.values, secretKeys: filled.secretKeys }),
    );
    const document: PlanDocument = {
        stack: filled.stack,
        resources: run.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, inputs: redact(r.inputs) })),
        outputs: redact(run.outputs),
        secretsToSet: missing.map((req) => ({ key: secretName(req), command: setCommand(req) })),
        placeholdersToSet: first.pending.filter((p) => p.kind === "placeholder").map((p) => ({ key: p.key, problem: p.message })),
        fixtures: { zoneId: OFFLINE_ZONE_ID, cloudflareIpRangesRecordedOn: CLOUDFLARE_IP_RANGES_SNAPSHOT.recordedOn },
    };
    return { document, config: first.config, run };
}
