/**
 * The offline plan: validates a stack file's configuration, stands in for the secrets it cannot
 * decrypt, runs the real program under the mock runtime and returns one JSON document.
 */
import { collectNovaConfig, NovaConfigError, requiredSecrets, SecretRequirement, setCommand } from "../../components/config";
import { secretProblems } from "../../components/config/secrets";
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
    const rawOf = (values: Record<string, string>) => (key: string) => values[`nova:${key}`];
    const first = collectNovaConfig(rawOf(stackConfig.values), stackConfig.stack);
    if (first.problems.length > 0) throw new NovaConfigError(first.problems);
    const { stackConfig: filled, missing } = standInForSecrets(stackConfig, first.config);
    const problems = secretProblems(first.config, rawOf(filled.values));
    if (problems.length > 0) throw new NovaConfigError(problems);

    const run = await runUnderMocks(program, { project: "nova", stack: filled.stack, config: filled.values, secretKeys: filled.secretKeys });
    const document: PlanDocument = {
        stack: filled.stack,
        resources: run.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent ?? null, inputs: redact(r.inputs) })),
        outputs: redact(run.outputs),
        secretsToSet: missing.map((req) => ({ key: secretName(req), command: setCommand(req) })),
        fixtures: { zoneId: OFFLINE_ZONE_ID, cloudflareIpRangesRecordedOn: CLOUDFLARE_IP_RANGES_SNAPSHOT.recordedOn },
    };
    return { document, config: first.config, run };
}
