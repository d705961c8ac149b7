/**
 * One bounded HTTP(S) request to the edge: no redirect following, no connection reuse, a per-request
 * time limit, and a small fixed number of further attempts after network errors only.
 */
import * as http from "http";
import * as https from "https";
import type { ConnectionOptions, NetworkObservation, Observation } from "./types";

/** Largest body kept for analysis (explanations, asset discovery). */
const BODY_LIMIT = 256 * 1024;

/** Network error codes worth another attempt. DNS "not found" and certificate errors are final. */
const RETRYABLE = new Set([
    "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "TIMEOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH",
]);

/** Where to open the connection, and which name the edge must present. */
export interface Endpoint {
    readonly protocol: "https:" | "http:";
    readonly host: string;
    readonly port: number;
    /** Public hostname: Host header, SNI and certificate name. */
    readonly hostname: string;
}

/** Connect to the override when given, else to the public hostname, on the scheme's default port. */
export function endpointFor(hostname: string, scheme: "https" | "http", override?: string): Endpoint {
    const protocol = scheme === "https" ? "https:" : "http:";
    if (override === undefined) {
        return { protocol, host: hostname, port: scheme === "https" ? 443 : 80, hostname };
    }
    const url = new URL(override);
    if (url.protocol !== protocol) {
        throw new Error(`${override}: expected a ${protocol}// URL`);
    }
    const port = url.port === "" ? (scheme === "https" ? 443 : 80) : Number(url.port);
    return { protocol, host: url.hostname.replace(/^\[|\]$/g, ""), port, hostname };
}

/** The public URL a request stands for, e.g. `https://nova.example.com/health`. */
export function publicUrl(ep: Endpoint, path: string): string {
    return `${ep.protocol}//${ep.hostname}${path}`;
}

/** Error raised when a request got no HTTP answer. */
export class NetworkError extends Error {
    constructor(readonly code: string, message: string) {
        super(message);
    }
}

/** Node request options shared by plain requests, WebSocket upgrades and TLS probes. */
export function requestOptions(
    ep: Endpoint,
    path: string,
    conn: ConnectionOptions,
    headers: Record<string, string> = {},
): https.RequestOptions {
    const base: https.RequestOptions = {
        host: ep.host,
        port: ep.port,
        path,
        method: "GET",
        agent: false,
        headers: { Host: ep.hostname, "User-Agent": "nova-verify", ...headers },
        lookup: conn.lookup,
    };
    return ep.protocol === "https:" ? { ...base, servername: ep.hostname, ca: conn.ca } : base;
}

/** Turn any request error into a NetworkError with a stable code. */
export function toNetworkError(err: unknown): NetworkError {
    if (err instanceof NetworkError) {
        return err;
    }
    const e = err as NodeJS.ErrnoException;
    return new NetworkError(e.code ?? "ERROR", e.message ?? String(err));
}

/**
 * Sends one request with the time limit of `conn` (connect, headers and body), rejecting with a
 * NetworkError; `onResponse` and `onUpgrade` settle the promise. The timer is cleared by `done`.
 */
export function boundedRequest<T>(
    ep: Endpoint,
    path: string,
    conn: ConnectionOptions,
    headers: Record<string, string>,
    handle: (req: http.ClientRequest, done: () => void, resolve: (value: T) => void, reject: (err: NetworkError) => void) => void,
): Promise<T> {
    return new Promise((resolve, reject) => {
        const opts = requestOptions(ep, path, conn, headers);
        const req = ep.protocol === "https:" ? https.request(opts) : http.request(opts);
        const timer = setTimeout(() => {
            req.destroy(new NetworkError("TIMEOUT", `no answer within ${conn.timeoutMs} ms`));
        }, conn.timeoutMs);
        const done = () => clearTimeout(timer);
        req.on("error", (err) => {
            done();
            reject(toNetworkError(err));
        });
        handle(req, done, resolve, reject);
        req.end();
    });
}

/** Settles a request with its response: the status, headers and body (up to BODY_LIMIT bytes). */
export function settleWithResponse<T>(req: http.ClientRequest, url: string, done: () => void, resolve: (value: T) => void, reject: (err: NetworkError) => void): void {
    req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
            if (size < BODY_LIMIT) {
                chunks.push(chunk);
                size += chunk.length;
            }
        });
        res.on("end", () => {
            done();
            const body = Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8");
            resolve({ kind: "response", url, status: res.statusCode ?? 0, headers: res.headers, body } as T);
        });
        res.on("error", (err) => {
            done();
            reject(toNetworkError(err));
        });
    });
}

/** One attempt: resolves with the answer, rejects with a NetworkError. */
export function requestOnce(
    ep: Endpoint,
    path: string,
    conn: ConnectionOptions,
    headers: Record<string, string> = {},
): Promise<Observation> {
    return boundedRequest<Observation>(ep, path, conn, headers, (req, done, resolve, reject) =>
        settleWithResponse(req, publicUrl(ep, path), done, resolve, reject),
    );
}

/** Run `attempt` once, then again up to `retries` times while it fails with a retryable network error. */
export async function withRetries<T>(retries: number, attempt: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
        try {
            return await attempt();
        } catch (err) {
            const ne = toNetworkError(err);
            if (i >= retries || !RETRYABLE.has(ne.code)) {
                throw ne;
            }
        }
    }
}

/** GET `path`: an HTTP answer, or a network observation when there was none after the retries. */
export async function get(
    ep: Endpoint,
    path: string,
    conn: ConnectionOptions,
    headers: Record<string, string> = {},
): Promise<Observation> {
    try {
        return await withRetries(conn.retries, () => requestOnce(ep, path, conn, headers));
    } catch (err) {
        return networkObservation(publicUrl(ep, path), err);
    }
}

export function networkObservation(url: string, err: unknown): NetworkObservation {
    const ne = toNetworkError(err);
    return { kind: "network", url, code: ne.code, message: ne.message };
}

/** First value of a response header, lower-cased name. */
export function header(o: Observation, name: string): string | undefined {
    if (o.kind !== "response") {
        return undefined;
    }
    const v = o.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
}
