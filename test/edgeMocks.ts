import * as pulumi from "@pulumi/pulumi";
import { FIXTURE_ZONE_NAME, OFFLINE_FIXTURE_ZONE_ID } from "./fixtures/edgeConfigs";

/** A resource registered under the mocks: its type token, name and inputs as sent. */
export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

/** Every resource registered since the last `resetRegistered()`. */
export const registered: RegisteredResource[] = [];
/** Every invoke (token and args) since the last `resetRegistered()`. */
export const invoked: { token: string; args: Record<string, unknown> }[] = [];

export function resetRegistered(): void {
    registered.length = 0;
    invoked.length = 0;
}

const GET_ZONE = "cloudflare:index/getZone:getZone";

/**
 * Offline mocks: resources echo their inputs; the only invoke answered is getZone for the
 * fixture zone (with {@link OFFLINE_FIXTURE_ZONE_ID}); any other invoke throws.
 */
export function installEdgeMocks(): void {
    void pulumi.runtime.setMocks(
        {
            newResource(args) {
                registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                return { id: `${args.name}-id`, state: args.inputs };
            },
            call(args) {
                invoked.push({ token: args.token, args: args.inputs });
                if (args.token === GET_ZONE) {
                    const filter = args.inputs.filter as { name?: string } | undefined;
                    if (filter?.name !== FIXTURE_ZONE_NAME) {
                        throw new Error(`offline getZone mock: unknown zone ${JSON.stringify(filter)}`);
                    }
                    return { id: OFFLINE_FIXTURE_ZONE_ID, zoneId: OFFLINE_FIXTURE_ZONE_ID, name: FIXTURE_ZONE_NAME };
                }
                throw new Error(`offline mocks: unexpected invoke ${args.token}`);
            },
        },
        "nova-infra",
        "test",
        false,
    );
}

/** Wait until registrations stop arriving (inputs resolve asynchronously). */
export async function settle(): Promise<void> {
    let last = -1;
    let stableRounds = 0;
    while (stableRounds < 20) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (registered.length === last) stableRounds++;
        else {
            last = registered.length;
            stableRounds = 0;
        }
    }
}

/** Registered resources of one type token. */
export function ofType(type: string): RegisteredResource[] {
    return registered.filter((r) => r.type === type);
}

/** The one registered resource called `name`. */
export function byName(name: string): RegisteredResource {
    const found = registered.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
    return found[0];
}

/** Resolve an Output in a test. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

/** Inputs of the registered resources of one type, keyed by resource name (registration order is not stable). */
export function inputsByName(type: string): Record<string, Record<string, unknown>> {
    return Object.fromEntries(ofType(type).map((r) => [r.name, r.inputs]));
}
