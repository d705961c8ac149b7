/** Command-line arguments of `npm run status`. */
import { ArgsError, parseCommandArgs, STACK_OPTION, usageLine } from "../shared/cli/args";
import { parseTimeoutMs } from "../shared/audit/options";

export interface StatusArgs {
    /** Undefined: the default stack (see scripts/shared/cli/selectedStack.ts). */
    readonly stack?: string;
    readonly json: boolean;
    /** Only this host of the stack. */
    readonly host?: string;
    /** Time limit of every remote call (one host query, one Cloudflare request, one edge request). */
    readonly timeoutMs: number;
    /** The edge check: connect there instead of the hostname (as verify's --base-url), with this extra CA. */
    readonly baseUrl?: string;
    readonly caFile?: string;
}

export const DEFAULT_STATUS_TIMEOUT_MS = 30_000;

export const STATUS_SPEC = {
    name: "status",
    summary: "Is the stack up, and if not, where: per host its services, /health asked on the host, the certificate, our firewall rule; the tunnel's connections as Cloudflare reports them; the edge's health check.",
    options: {
        stack: STACK_OPTION,
        json: { type: "boolean", description: "print one JSON report (run it as `npm run -s status -- --json`)" },
        host: { type: "string", value: "NAME", description: "only this host of the stack" },
        timeout: { type: "string", value: "MS", description: "time limit of every remote call: a host's query, a Cloudflare request, the edge request (default 30000)" },
        "base-url": { type: "string", value: "https://HOST[:PORT]", description: "edge check: connect there instead (as verify --base-url)" },
        ca: { type: "string", value: "FILE", description: "edge check: an extra trusted CA (PEM)" },
    },
    details:
        "Exit code: 0 healthy, 2 degraded (each problem named), 1 something could not be asked (unreachable host, refused credentials, Cloudflare API unreachable, hostname not resolved) or bad arguments.\n" +
        "Reads the stack's secrets with `pulumi config --show-secrets` (host credentials, cloudflare:apiToken or CLOUDFLARE_API_TOKEN).",
} as const;

export const USAGE = usageLine(STATUS_SPEC);

/** Parse and validate; throws an ArgsError naming the option. */
export function parseStatusArgs(argv: readonly string[]): StatusArgs {
    const v = parseCommandArgs(STATUS_SPEC, argv);
    if (v["base-url"] !== undefined && !/^https:\/\/[^/?#@]+\/?$/.test(v["base-url"])) throw new ArgsError(`--base-url: expected https://HOST[:PORT] without path: ${v["base-url"]}`);
    return {
        ...(v.stack !== undefined ? { stack: v.stack } : {}),
        json: v.json ?? false,
        timeoutMs: v.timeout === undefined ? DEFAULT_STATUS_TIMEOUT_MS : parseTimeoutMs(v.timeout),
        ...(v.host !== undefined ? { host: v.host } : {}),
        ...(v["base-url"] !== undefined ? { baseUrl: v["base-url"] } : {}),
        ...(v.ca !== undefined ? { caFile: v.ca } : {}),
    };
}
