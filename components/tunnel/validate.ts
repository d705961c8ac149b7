/**
 * Checks of lists of further hostnames in the zone (`nova:tunnelExtraHostnames`, `nova:zoneHostnames`),
 * run by the config parser. Pure: returns messages, throws nothing.
 */
import { show } from "../config/words";

/** The config key the messages name. */
export const TUNNEL_EXTRA_HOSTNAMES_KEY = "nova:tunnelExtraHostnames";

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_NAME_LENGTH = 253;

/** Why `name` is not a plain DNS host name, or undefined if it is one. */
function dnsNameProblem(name: string): string | undefined {
    if (name.length === 0) {
        return "is empty";
    }
    if (name.includes("*")) {
        return "is a wildcard; only exact hostnames are routed through the tunnel";
    }
    if (/[:/\s]/.test(name) || name.startsWith("http_status")) {
        return (
            "is not a bare hostname; give only the name (no scheme, port, path or service), " +
            "the origin service and the catch-all rule are added by the program"
        );
    }
    if (name.length > MAX_NAME_LENGTH) {
        return `is longer than ${MAX_NAME_LENGTH} characters`;
    }
    const bad = name.toLowerCase().split(".").find((label) => !LABEL.test(label));
    if (bad !== undefined) {
        if (bad.length > 63) return `has a label of ${bad.length} characters (DNS labels are at most 63)`;
        return bad === ""
            ? "has an empty label (leading, trailing or doubled dot)"
            : `has an invalid label "${bad}" (letters, digits and inner hyphens, 1 to 63 characters)`;
    }
    return undefined;
}

/** True when `name` is the zone apex or a name under it (case-insensitive). */
export function isInZone(zoneName: string, name: string): boolean {
    const zone = zoneName.toLowerCase();
    const host = name.toLowerCase();
    return host === zone || host.endsWith(`.${zone}`);
}

/** Validates the tunnel's extra hostnames (`nova:tunnelExtraHostnames`); see validateHostnameList. */
export function validateTunnelHostnames(zoneName: string, hostname: string, extraHostnames: readonly string[]): string[] {
    return validateHostnameList(TUNNEL_EXTRA_HOSTNAMES_KEY, zoneName, hostname, extraHostnames);
}

/**
 * Validates a list of further hostnames (config key `key`) against the zone and the stack's main hostname.
 *
 * Each one must be a valid DNS name equal to or under `zoneName`, must not be a wildcard or carry a
 * scheme, port, path or service text (such as the catch-all `http_status:404`), and must be unique,
 * case-insensitively, among the extras and against `hostname`.
 *
 * @returns one message per problem, naming `<key>[<index>]` and the value; empty when all are valid.
 */
export function validateHostnameList(key: string, zoneName: string, hostname: string, extraHostnames: readonly string[]): string[] {
    const errors: string[] = [];
    const seen = new Map<string, string>([[hostname.toLowerCase(), "the main hostname nova:hostname"]]);
    extraHostnames.forEach((name, index) => {
        const where = `${key}[${index}] ${show(name)}`;
        const problem = dnsNameProblem(name);
        if (problem !== undefined) {
            errors.push(`${where} ${problem}.`);
            return;
        }
        if (!isInZone(zoneName, name)) {
            errors.push(`${where} is outside the zone ${zoneName}: it must equal it or end with .${zoneName}.`);
            return;
        }
        const folded = name.toLowerCase();
        const first = seen.get(folded);
        if (first !== undefined) {
            errors.push(`${where} duplicates ${first} (hostnames compare case-insensitively).`);
            return;
        }
        seen.set(folded, `${key}[${index}]`);
    });
    return errors;
}
