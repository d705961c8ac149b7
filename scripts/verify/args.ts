/** Command-line arguments of `npm run verify`. */
import { ArgsError, parseCommandArgs, STACK_OPTION, usageLine } from "../shared/cli/args";
import { DEFAULT_TIMEOUT_MS } from "../shared/edge/types";

export interface VerifyArgs {
    /** Undefined: the default stack (see scripts/shared/cli/selectedStack.ts). */
    readonly stack?: string;
    readonly json: boolean;
    readonly timeoutMs: number;
    readonly caFile?: string;
    readonly baseUrl?: string;
    readonly httpBaseUrl?: string;
    readonly assetPath?: string;
}

export const VERIFY_SPEC = {
    name: "verify",
    summary: "Post-deploy checks of a stack's public hostname over HTTPS: health, root, SPA, asset caching, API not cached, WebSocket, TLS versions, HTTP to HTTPS.",
    options: {
        stack: STACK_OPTION,
        json: { type: "boolean", description: "print one JSON report (run it as `npm run -s verify -- --json`)" },
        timeout: { type: "string", value: "MS", description: "time limit of one request (default 10000)" },
        ca: { type: "string", value: "FILE", description: "an extra trusted CA (PEM); certificates are always verified" },
        "base-url": { type: "string", value: "https://HOST[:PORT]", description: "connect there instead (Host header and TLS name stay the stack's hostname)" },
        "http-base-url": { type: "string", value: "http://HOST[:PORT]", description: "the same for the plain-HTTP check" },
        asset: { type: "string", value: "PATH", description: "the asset of the caching check (default: found in the SPA's HTML)" },
    },
    details: "Exit code: 0 every check passed, 2 some check failed, 1 could not run (bad arguments, unknown stack, unreadable CA file, hostname not resolved).",
} as const;

export const USAGE = usageLine(VERIFY_SPEC);

const MAX_TIMEOUT_MS = 120_000;

function checkUrl(flag: string, value: string | undefined, protocol: "https:" | "http:"): string | undefined {
    if (value === undefined) return undefined;
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new ArgsError(`${flag}: not a URL: ${value}`);
    }
    if (url.protocol !== protocol || (url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.username !== "") {
        throw new ArgsError(`${flag}: expected ${protocol}//HOST[:PORT] without path: ${value}`);
    }
    return value;
}

/** Parse and validate; throws an Error with a readable message on bad arguments. */
export function parseVerifyArgs(argv: readonly string[]): VerifyArgs {
    const values = parseCommandArgs(VERIFY_SPEC, argv);
    let timeoutMs = DEFAULT_TIMEOUT_MS;
    if (values.timeout !== undefined) {
        if (!/^\d+$/.test(values.timeout) || Number(values.timeout) < 1 || Number(values.timeout) > MAX_TIMEOUT_MS) {
            throw new ArgsError(`--timeout: expected milliseconds between 1 and ${MAX_TIMEOUT_MS}: ${values.timeout}`);
        }
        timeoutMs = Number(values.timeout);
    }
    if (values.asset !== undefined && !/^\/\S*$/.test(values.asset)) {
        throw new ArgsError(`--asset: expected a path starting with "/": ${values.asset}`);
    }
    return {
        ...(values.stack !== undefined ? { stack: values.stack } : {}),
        json: values.json ?? false,
        timeoutMs,
        caFile: values.ca,
        baseUrl: checkUrl("--base-url", values["base-url"], "https:"),
        httpBaseUrl: checkUrl("--http-base-url", values["http-base-url"], "http:"),
        assetPath: values.asset,
    };
}
