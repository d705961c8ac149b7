/**
 * The offline plan: validates a stack file's configuration, stands in for the secrets it cannot
 * decrypt, runs the real program under the mock runtime and returns one JSON document.
 */
import {
    collectNovaConfig, ConfigEnvironment, NovaConfigError, requiredSecrets, SecretRequirement, secretName, secretSetCommand, setCommand, withPlaceholdersAllowed, zoneStacksDir,
} from "../../../components/config";
import { NovaConfig } from "../../../components/types";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT, OFFLINE_ZONE_ID } from "./offlineFixtures";
import { splitCidrs, stepResourceName } from "../../../components/host/commands";
import { stepNames } from "../../../components/host/steps";
import { describeHost, describeHostStep } from "../../../components/host/steps/describe";
import { isCommand } from "./commands";
import { MockRun, RecordedResource, runUnderMocks } from "./mockRuntime";
import { redact } from "./redact";
import { placeholder, StackConfig } from "../../../components/config/stackFile";
import { inZoneStacksDir } from "./zoneOwner";

const HOST_TYPE = "nova:host:WindowsHostService";

/** Resource options as the program sets them (the engine's defaults when it sets none). */
export interface PlanResourceOptions {
    /**
     * Dependencies no input carries: the explicit `dependsOn` (a component stands for its custom
     * descendants; a resource both in dependsOn and behind an input counts as carried by the input).
     */
    readonly dependsOn: string[];
    readonly additionalSecretOutputs: string[];
    readonly deleteBeforeReplace: boolean;
    readonly ignoreChanges: string[];
    readonly protect: boolean;
}

export interface PlanResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly inputs: unknown;
    /** URNs of every resource this one waits for (explicit and through its inputs), sorted. */
    readonly dependencies: string[];
    readonly options: PlanResourceOptions;
    /** One line of what it does on the host: host steps and hosts only. */
    readonly summary?: string;
}

/** The JSON contract of `npm run plan -- --json`. */
export interface PlanDocument {
    readonly stack: string;
    readonly resources: PlanResource[];
    readonly outputs: unknown;
    /**
     * Secrets the stack file does not hold, shown as [secret]: set them before a real preview
     * (the program's secrets, then the provider's `cloudflare:apiToken`).
     */
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

/** The provider's token: not needed offline, needed by every real preview (or CLOUDFLARE_API_TOKEN in the environment). */
export const CLOUDFLARE_TOKEN_KEY = "cloudflare:apiToken";
/** Sets it without the value on the command line: the CLI prompts for it, or reads it from stdin. */
export const CLOUDFLARE_TOKEN_COMMAND = secretSetCommand(CLOUDFLARE_TOKEN_KEY);

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

/** The SDK merges a resource class's own list with the program's, repeating names: each once, sorted. */
function uniqueSorted(values: readonly string[] = []): string[] {
    return [...new Set(values)].sort();
}

/** The document's resources: redacted inputs, dependencies, options and summaries (by URN). */
export function planResources(resources: readonly RecordedResource[], summaries: ReadonlyMap<string, string> = new Map()): PlanResource[] {
    return resources.map((r) => {
        const summary = summaries.get(r.urn);
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent ?? null,
            inputs: redact(r.inputs),
            dependencies: [...r.dependencies],
            options: {
                dependsOn: [...(r.dependsOn ?? [])],
                additionalSecretOutputs: uniqueSorted(r.additionalSecretOutputs),
                deleteBeforeReplace: r.deleteBeforeReplace === true,
                ignoreChanges: uniqueSorted(r.ignoreChanges),
                protect: r.protect === true,
            },
            ...(summary !== undefined ? { summary } : {}),
        };
    });
}

/** What each host and host step does, by URN, from the configuration (and the offline Cloudflare ranges). */
export function hostSummaries(config: NovaConfig, resources: readonly RecordedResource[]): Map<string, string> {
    const cloudflare = splitCidrs([...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs]);
    const summaries = new Map<string, string>();
    for (const host of config.hosts) {
        const component = resources.find((r) => r.type === HOST_TYPE && r.name === host.name);
        if (!component) continue;
        summaries.set(component.urn, describeHost(host));
        for (const step of stepNames(config)) {
            const name = stepResourceName(host.name, step);
            const command = resources.find((r) => isCommand(r) && r.parent === component.urn && r.name === name);
            if (command) summaries.set(command.urn, describeHostStep(step, config, host, { cloudflare }));
        }
    }
    return summaries;
}

/**
 * Plans a stack offline with the given program (index.ts's export). `root`: the directory its stack
 * file was read from, whose other stack files it is checked against (default: this project's).
 */
export async function planOffline(stackConfig: StackConfig, program: () => Promise<Record<string, unknown>>, root?: string): Promise<Plan> {
    const env: ConfigEnvironment = { keys: Object.keys(stackConfig.values), isSecret: (k) => stackConfig.secretKeys.includes(k) };
    const first = collectNovaConfig((key) => stackConfig.values[`nova:${key}`], stackConfig.stack, env);
    if (first.problems.length > 0) throw new NovaConfigError(first.problems);
    const { stackConfig: filled, missing } = standInForSecrets(stackConfig, first.config);

    // The program validates again and would refuse the placeholders this plan lists instead.
    // The program checks the stack against the other stack files of `root`, the stack file's directory.
    const mocked = () => withPlaceholdersAllowed(() => runUnderMocks(program, { project: "nova", stack: filled.stack, config: filled.values, secretKeys: filled.secretKeys }));
    const run = await (root === undefined ? mocked() : inZoneStacksDir(zoneStacksDir(root), mocked));
    const document: PlanDocument = {
        stack: filled.stack,
        resources: planResources(run.resources, hostSummaries(first.config, run.resources)),
        outputs: redact(run.outputs),
        secretsToSet: [
            ...missing.map((req) => ({ key: secretName(req), command: setCommand(req) })),
            ...(stackConfig.values[CLOUDFLARE_TOKEN_KEY] === undefined ? [{ key: CLOUDFLARE_TOKEN_KEY, command: CLOUDFLARE_TOKEN_COMMAND }] : []),
        ].filter((s, i, all) => all.findIndex((o) => o.key === s.key) === i),
        placeholdersToSet: first.pending.filter((p) => p.kind === "placeholder").map((p) => ({ key: p.key, problem: p.message })),
        fixtures: { zoneId: OFFLINE_ZONE_ID, cloudflareIpRangesRecordedOn: CLOUDFLARE_IP_RANGES_SNAPSHOT.recordedOn },
    };
    return { document, config: first.config, run };
}
