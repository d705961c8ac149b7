/**
 * What every rule of the policy pack reads: a resource's type token and its input properties as
 * @pulumi/policy presents them (plain JSON; secrets already unwrapped to their plaintext).
 */

/** Resource type tokens the rules look at. */
export const ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
export const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";
export const REMOTE_COMMAND = "command:remote:Command";
export const LOCAL_COMMAND = "command:local:Command";

/** Input properties of one resource. */
export type Props = Readonly<Record<string, unknown>>;

/** One resource of a stack, for the rules that need the whole stack. */
export interface StackResource {
    readonly type: string;
    readonly urn: string;
    readonly props: Props;
}

/** A violation found on one resource of a stack. */
export interface StackViolation {
    readonly urn: string;
    readonly message: string;
}

/** The string at `props[key]`, or undefined when absent or not a string. */
export function stringProp(props: Props, key: string): string | undefined {
    const value = props[key];
    return typeof value === "string" ? value : undefined;
}

/** True for the two command resource types (both carry a script on stdin). */
export function isCommand(type: string): boolean {
    return type === REMOTE_COMMAND || type === LOCAL_COMMAND;
}
