/** The options of the commands that audit hosts (drift, adopt): the Cloudflare ranges file and the time limit of one audit. */
import { ArgsError } from "../cli/args";

export const AUDIT_OPTIONS = {
    "cloudflare-ranges": { type: "string", value: "FILE", description: "JSON {ipv4Cidrs, ipv6Cidrs} of Cloudflare's ranges for the direct-mode firewall audit" },
    timeout: { type: "string", value: "MS", description: "time limit of one audit on one host (default 120000)" },
} as const;

export const DEFAULT_AUDIT_TIMEOUT_MS = 120_000;
const MAX_TIMEOUT_MS = 600_000;

/** `--timeout MS` of one audit (default {@link DEFAULT_AUDIT_TIMEOUT_MS}); throws on a value out of range. */
export function parseTimeoutMs(value: string | undefined): number {
    if (value === undefined) return DEFAULT_AUDIT_TIMEOUT_MS;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_TIMEOUT_MS) {
        throw new ArgsError(`--timeout: expected milliseconds between 1 and ${MAX_TIMEOUT_MS}: ${value}`);
    }
    return Number(value);
}
