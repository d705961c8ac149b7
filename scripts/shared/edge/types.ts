/**
 * Shapes shared by the post-deploy verification modules: what is checked (the target), how it is
 * reached (connection options), what was seen (observations) and what is reported (results).
 */
import type { LookupFunction } from "net";
import type { AppPaths, IngressMode, RootPath } from "../../../components/types";

/** What the deployed stack should serve, read from the stack's configuration. */
export interface VerifyTarget {
    /** Public hostname; sent as Host header and TLS SNI, and checked against the certificate. */
    readonly hostname: string;
    readonly paths: AppPaths;
    readonly rootPath: RootPath;
    readonly ingressMode: IngressMode;
}

/** How the checks reach the edge. */
export interface ConnectionOptions {
    /** `https://host[:port]` to connect to instead of `https://<hostname>`; Host and SNI stay the hostname. */
    readonly baseUrl?: string;
    /** `http://host[:port]` to connect to instead of `http://<hostname>` for the plain-HTTP check. */
    readonly httpBaseUrl?: string;
    /** Extra trusted CA certificate(s), PEM. Certificates are always verified. */
    readonly ca?: Buffer | string;
    /** Per-request time limit (connect, headers, body), milliseconds. */
    readonly timeoutMs: number;
    /** Further attempts after a network error (never after an HTTP answer). */
    readonly retries: number;
    /** Asset path to test for edge caching, instead of one found in the SPA's HTML. */
    readonly assetPath?: string;
    /** Name resolver, for the default DNS lookup to be replaced (tests). */
    readonly lookup?: LookupFunction;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 2;

/** An HTTP answer as seen by a check. `url` is the public URL asked for (https://<hostname>/...). */
export interface ResponseObservation {
    readonly kind: "response";
    readonly url: string;
    readonly status: number;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    /** Start of the body (capped), decoded as UTF-8. */
    readonly body: string;
}

/** A request that got no HTTP answer. `code` is Node's error code, or `TIMEOUT`. */
export interface NetworkObservation {
    readonly kind: "network";
    readonly url: string;
    readonly code: string;
    readonly message: string;
}

export type Observation = ResponseObservation | NetworkObservation;

export type CheckId =
    | "health"
    | "root"
    | "spa"
    | "assets-cache"
    | "api-no-cache"
    | "websocket"
    | "tls-1.1-refused"
    | "tls-1.2-accepted"
    | "http-to-https";

export type Verdict = "pass" | "fail" | "skip";

export interface CheckResult {
    readonly id: CheckId;
    readonly expected: string;
    readonly got: string;
    readonly verdict: Verdict;
    /** Why it failed and what to do, for failures. */
    readonly explanation?: string;
    /** True when the check failed because the hostname did not resolve. */
    readonly unresolved?: boolean;
}
