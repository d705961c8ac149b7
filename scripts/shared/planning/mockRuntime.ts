/**
 * Runs the program under Pulumi's mock runtime and records what it registers: the same program a
 * real `pulumi preview` runs, answered by offline fixtures instead of providers.
 */
import * as pulumi from "@pulumi/pulumi";
import { answerInvoke, answerResource } from "./offlineFixtures";

/** One registered resource, as the engine would see it. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** URN of the parent, undefined for the stack itself. */
    readonly parent?: string;
    readonly custom: boolean;
    /** The id the (mock) provider gave a custom resource. */
    readonly id?: string;
    /** Present (true) when the resource asks to be deleted before its replacement is created. */
    readonly deleteBeforeReplace?: true;
    /** Outputs the resource asks to be stored as secrets (`additionalSecretOutputs`), when it lists any. */
    readonly additionalSecretOutputs?: readonly string[];
    /** URNs of explicit and implicit dependencies. */
    readonly dependencies: readonly string[];
    /**
     * The dependencies no input carries: the explicit `dependsOn` (a component in it stands for its
     * custom descendants). Present when not empty.
     */
    readonly dependsOn?: readonly string[];
    /** Present (true) when the resource is protected from deletion. */
    readonly protect?: true;
    /** Input properties whose changes are ignored, present when not empty. */
    readonly ignoreChanges?: readonly string[];
    /** Inputs in the engine's wire form: secrets and unknowns keep their markers (see redact). */
    readonly inputs: Record<string, unknown>;
}

export interface RecordedInvoke {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
    /**
     * Why the fixtures refused the invoke, when they did. The runtime rejects a refused invoke
     * without the fixtures' message, so it is kept here.
     */
    readonly refused?: string;
}

export interface MockRun {
    readonly resources: RecordedResource[];
    readonly invokes: RecordedInvoke[];
    /** Stack outputs in wire form. */
    readonly outputs: Record<string, unknown>;
}

export interface MockRunOptions {
    readonly project: string;
    readonly stack: string;
    /** Full keys (`nova:appPort`) to raw string values, as the language host passes them. */
    readonly config: Readonly<Record<string, string>>;
    /** Full keys whose values are secrets. */
    readonly secretKeys: readonly string[];
    /** Preview (true, default) or update. */
    readonly preview?: boolean;
}

interface WireRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getDependenciesList(): string[];
    getDeletebeforereplace(): boolean;
    getProtect(): boolean | undefined;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getIgnorechangesList(): string[];
}

/** Runs `program` as the stack's program and waits until every registration has finished. */
export async function runUnderMocks(
    program: () => Promise<Record<string, unknown> | void>,
    opts: MockRunOptions,
    /** Receives the registrations, also when the program fails. */
    resources: RecordedResource[] = [],
): Promise<MockRun> {
    const invokes: RecordedInvoke[] = [];
    pulumi.runtime.setAllConfig({ ...opts.config }, [...opts.secretKeys]);
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => answerResource(args.type, args.name, args.inputs),
            call: (args) => {
                try {
                    const answer = answerInvoke(args.token, args.inputs);
                    invokes.push({ token: args.token, inputs: args.inputs });
                    return answer;
                } catch (error) {
                    invokes.push({ token: args.token, inputs: args.inputs, refused: (error as Error).message });
                    throw error;
                }
            },
        },
        opts.project,
        opts.stack,
        opts.preview ?? true,
    );

    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: WireRequest, cb: (err: unknown, res?: { getUrn(): string; getId(): string }) => void): Promise<void>;
    };
    const register = monitor.registerResource.bind(monitor);
    let pending = 0;
    monitor.registerResource = (req, cb) => {
        pending++;
        return register(req, (err, res) => {
            pending--;
            if (!err && res) {
                const carried = new Set<string>();
                req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((u) => carried.add(u)));
                const dependsOn = req.getDependenciesList().filter((u) => !carried.has(u)).sort();
                const list = (name: string, values: string[]) => (values.length > 0 ? { [name]: [...values] } : {});
                resources.push({
                    urn: res.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    ...(req.getParent() ? { parent: req.getParent() } : {}),
                    custom: req.getCustom(),
                    ...(res.getId() ? { id: res.getId() } : {}),
                    ...(req.getDeletebeforereplace() ? { deleteBeforeReplace: true as const } : {}),
                    ...(req.getAdditionalsecretoutputsList().length > 0 ? { additionalSecretOutputs: [...req.getAdditionalsecretoutputsList()] } : {}),
                    dependencies: [...req.getDependenciesList()].sort(),
                    ...list("dependsOn", dependsOn),
                    ...(req.getProtect() ? { protect: true as const } : {}),
                    ...list("ignoreChanges", req.getIgnorechangesList()),
                    inputs: req.getObject()?.toJavaScript() ?? {},
                });
            }
            cb(err, res);
        });
    };

    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        let returned: Record<string, unknown> = {};
        await pulumi.runtime.runInPulumiStack(async () => (returned = (await program()) ?? {}));
        for (let i = 0; i < 1000 && pending > 0; i++) await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
        if (failures.length > 0) throw failures[0];
        const wire = (await import("@pulumi/pulumi/runtime/rpc")).serializeProperties;
        return { resources, invokes, outputs: await wire("outputs", returned, { keepOutputValues: false }) };
    } finally {
        // A failed program also rejects the stack's own promises a few ticks later: keep them here.
        for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
        process.off("unhandledRejection", onRejection);
    }
}
