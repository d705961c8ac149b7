/**
 * Pulumi mocks for the tunnel tests: records every registered resource (inputs as the mock monitor
 * deserializes them, and the raw serialized request), answers the tunnel-token data source with a fake,
 * and throws on any other invoke so an unexpected data source fails the test.
 */
import * as pulumi from "@pulumi/pulumi";
import { isSecretWire } from "../scripts/lib/redact";

export const TUNNEL_TOKEN_INVOKE =
    "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken";
/** What the mocked data source returns as the connector token. */
export const FAKE_TUNNEL_TOKEN = "FAKE-TUNNEL-TOKEN-from-tunnelMocks";
/** The id the mocked provider gives every tunnel. */
export const FAKE_TUNNEL_ID = "00000000-1111-4222-8333-444444444444";
/** The base64 the mocked RandomBytes returns (32 bytes of 0x2a). */
export const FAKE_SECRET_BASE64 = Buffer.alloc(32, 0x2a).toString("base64");

/** Pulumi's marker for a secret value in serialized properties. */
export const SECRET_SIG_KEY = pulumi.runtime.specialSigKey;
export const SECRET_SIG = pulumi.runtime.specialSecretSig;

export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    /** Inputs as `newResource` receives them (secrets stay wrapped in their signature object). */
    readonly inputs: Record<string, unknown>;
}

export interface RawRegistration {
    readonly type: string;
    readonly name: string;
    /** `RegisterResourceRequest.getObject()` as plain JavaScript: exactly what would go to the engine. */
    readonly object: Record<string, unknown>;
    /** URN of the parent resource ("" for none). */
    readonly parent: string;
    readonly deleteBeforeReplace: boolean;
}

export interface RecordedInvoke {
    readonly token: string;
    readonly inputs: Record<string, unknown>;
}

export interface TunnelMocks {
    readonly resources: RecordedResource[];
    readonly raw: RawRegistration[];
    readonly invokes: RecordedInvoke[];
    /**
     * Tokens of invokes the mocks refused. The runtime drops the mock's error message when it
     * rejects the invoke, so the refused tokens are kept here (and printed) to diagnose a failure.
     */
    readonly unexpectedInvokes: string[];
    /** Resolves when a resource with this logical name has been registered. */
    registered(name: string): Promise<RecordedResource>;
}

/** Outputs a provider would compute for the resource types the tunnel uses. */
function computedState(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (type) {
        case "random:index/randomBytes:RandomBytes":
            return {
                ...inputs,
                base64: FAKE_SECRET_BASE64,
                hex: Buffer.from(FAKE_SECRET_BASE64, "base64").toString("hex"),
            };
        default:
            return inputs;
    }
}

/** Installs the mocks (call before constructing resources) and returns what they record. */
export function installTunnelMocks(): TunnelMocks {
    const resources: RecordedResource[] = [];
    const raw: RawRegistration[] = [];
    const invokes: RecordedInvoke[] = [];
    const unexpectedInvokes: string[] = [];
    const waiters = new Map<string, (r: RecordedResource) => void>();
    const done = new Map<string, Promise<RecordedResource>>();

    const registered = (name: string): Promise<RecordedResource> => {
        let p = done.get(name);
        if (p === undefined) {
            p = new Promise((resolve) => waiters.set(name, resolve));
            done.set(name, p);
        }
        return p;
    };

    pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
                const record: RecordedResource = { type: args.type, name: args.name, inputs: args.inputs };
                resources.push(record);
                const id =
                    args.type === "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared"
                        ? FAKE_TUNNEL_ID
                        : `${args.name}-id`;
                const result = { id, state: computedState(args.type, args.inputs) };
                registered(args.name);
                waiters.get(args.name)?.(record);
                return result;
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                invokes.push({ token: args.token, inputs: args.inputs });
                if (args.token === TUNNEL_TOKEN_INVOKE) {
                    return { accountId: args.inputs.accountId, tunnelId: args.inputs.tunnelId, token: FAKE_TUNNEL_TOKEN };
                }
                unexpectedInvokes.push(args.token);
                console.error(`tunnelMocks: unexpected invoke ${args.token}`);
                throw new Error(`unexpected invoke ${args.token}`);
            },
        },
        "nova-infra",
        "prod",
        false,
    );

    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, cb: unknown): unknown;
    };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, cb: unknown) => {
        raw.push({
            type: req.getType(),
            name: req.getName(),
            object: req.getObject()?.toJavaScript() ?? {},
            parent: req.getParent(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
        });
        return original(req, cb);
    };

    return { resources, raw, invokes, unexpectedInvokes, registered };
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getParent(): string;
    getDeletebeforereplace(): boolean;
}

/** The value of an output, or undefined when unknown. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Whether an output is marked secret. */
export function isSecretOutput<T>(output: pulumi.Output<T>): Promise<boolean> {
    return pulumi.isSecret(output);
}

/** A secret as it appears in mock inputs: `{ [sigKey]: secretSig, value }`. */
/** True when a serialized input is secret-marked. */
export const isSecretInput = isSecretWire;
