/**
 * What a failed verification means and what to do about it, in one table. Two parts:
 * - EDGE_SIGNATURES: symptoms any request can show (Cloudflare 5xx, 1xxx error bodies, redirect
 *   loops, DNS, time limits, certificates), matched in order, first match wins;
 * - CHECK_ADVICE: what a check-specific mismatch means (no cache HIT, API cached, TLS 1.1 accepted...).
 */
import type { IngressMode } from "../../../components/types";
import type { Observation } from "./types";

export interface ExplainContext {
    readonly ingressMode: IngressMode;
    readonly timeoutMs: number;
}

export interface EdgeSignature {
    readonly id: string;
    readonly matches: (o: Observation) => boolean;
    readonly explain: (o: Observation, ctx: ExplainContext) => string;
}

const isStatus = (...codes: number[]) => (o: Observation): boolean => o.kind === "response" && codes.includes(o.status);
const isNetwork = (re: RegExp) => (o: Observation): boolean => o.kind === "network" && re.test(o.code);

/** Cloudflare 1xxx error code in a body: `error code: 1016` (plain) or `Error 1016` (HTML page). */
export function cloudflareErrorCode(body: string): number | undefined {
    const m = /\b(?:error code:?|error)\s*(1\d{3})\b/i.exec(body);
    return m ? Number(m[1]) : undefined;
}

/** The redirect target, resolved against the URL asked for. */
export function redirectTarget(o: Observation): URL | undefined {
    if (o.kind !== "response" || o.status < 300 || o.status > 399) return undefined;
    const raw = o.headers["location"];
    const loc = Array.isArray(raw) ? raw[0] : raw;
    if (loc === undefined) return undefined;
    try {
        return new URL(loc, o.url);
    } catch {
        return undefined;
    }
}

/** A redirect back to the same URL, or from https:// to the same URL over http:// (ping-pong). */
export function isRedirectLoop(o: Observation): boolean {
    const to = redirectTarget(o);
    if (!to) return false;
    const from = new URL(o.url);
    if (to.href === from.href) return true;
    const downgraded = new URL(from.href);
    downgraded.protocol = "http:";
    return from.protocol === "https:" && to.href === downgraded.href;
}

const CF_1XXX: Readonly<Record<number, string>> = {
    1000: "the DNS record points to a Cloudflare IP address (prohibited): point it at the origin or the tunnel",
    1001: "Cloudflare cannot resolve the hostname: the DNS record is missing or the zone is not active",
    1014: "CNAME cross-user banned: the CNAME targets a name in another Cloudflare account (e.g. a tunnel of another account)",
    1016: "origin DNS error: the record points to a name that does not resolve, typically a CNAME to <id>.cfargotunnel.com of a deleted tunnel",
    1033: "the tunnel has no running connector: start the cloudflared service on the host (Get-Service cloudflared)",
};

const TEXT_521: Readonly<Record<IngressMode, string>> = {
    direct:
        "521 Web server is down: Cloudflare reached the origin address but the backend refused the connection. " +
        "Without an Origin Rule Cloudflare connects on the visitor's port (443): the zone owner's origin ruleset must route the hostname " +
        "to the app port (nova:zoneHostnames host:port for another stack), unless the app listens on 443. " +
        "On the host: the backend service is running (nssm status <service>), it listens on <appPort>, " +
        "the Windows firewall rule allows the app port from Cloudflare ranges, and APP_HOST=0.0.0.0 in .env (127.0.0.1 is only reachable locally).",
    tunnel:
        "521 Web server is down: the tunnel connector is down. On the host: the cloudflared service is running " +
        "(Get-Service cloudflared; Start-Service cloudflared) and the backend answers on http://localhost:<appPort>/health.",
};

/** Symptoms that explain a failure whatever the check. Order matters: first match wins. */
export const EDGE_SIGNATURES: readonly EdgeSignature[] = [
    {
        id: "cloudflare-1xxx",
        matches: (o) => o.kind === "response" && o.status >= 400 && cloudflareErrorCode(o.body) !== undefined,
        explain: (o) => {
            const code = cloudflareErrorCode(o.kind === "response" ? o.body : "") ?? 0;
            const what = CF_1XXX[code] ?? "Cloudflare refused to route the request";
            return `Cloudflare error ${code}: ${what}. DNS/proxy setup: the hostname's record must exist, be proxied (orange cloud), and in tunnel mode be a CNAME to the current tunnel.`;
        },
    },
    { id: "origin-down-521", matches: isStatus(521), explain: (_o, ctx) => TEXT_521[ctx.ingressMode] },
    {
        id: "origin-timeout-522",
        matches: isStatus(522),
        explain: () =>
            "522 Connection timed out: Cloudflare got no answer from the origin in time. The origin is slow or unreachable " +
            "(host down, firewall dropping Cloudflare's packets, wrong origin address in the DNS record).",
    },
    {
        id: "client-timeout",
        matches: isNetwork(/^TIMEOUT$/),
        explain: (_o, ctx) =>
            `No answer within ${ctx.timeoutMs} ms: the edge or the origin is slow or unreachable ` +
            "(behind Cloudflare this ends as a 522 Connection timed out). Check that the backend answers quickly on the host.",
    },
    {
        id: "redirect-loop",
        matches: isRedirectLoop,
        explain: () =>
            "Redirect loop: the answer redirects back to the same URL (or https to http and back). An SSL/TLS mode " +
            "`flexible` somewhere (zone setting or a rule) makes Cloudflare talk HTTP to an origin that redirects to HTTPS: set the SSL mode to `full`.",
    },
    {
        id: "tunnel-origin-unreachable",
        matches: isStatus(502, 504),
        explain: (_o, ctx) =>
            ctx.ingressMode === "tunnel"
                ? "Bad gateway: the tunnel connector runs but cannot reach the backend: check the backend service and that the tunnel's ingress points at http://localhost:<appPort>."
                : "Bad gateway: the origin answered with an invalid response or not in time: check the backend service logs.",
    },
    {
        id: "origin-unreachable-523",
        matches: isStatus(523),
        explain: () => "523 Origin is unreachable: the DNS record's address is wrong or not routable from Cloudflare.",
    },
    {
        id: "origin-slow-524",
        matches: isStatus(524),
        explain: () => "524 A timeout occurred: the backend accepted the connection but took more than 100 s to answer.",
    },
    {
        id: "origin-tls-525",
        matches: isStatus(525),
        explain: () =>
            "525 SSL handshake failed: with SSL mode Full or Strict Cloudflare speaks TLS to the origin, and the origin does not: " +
            "the backend must serve HTTPS on the app port (uvicorn --ssl-certfile/--ssl-keyfile with the Origin CA certificate of the certificate steps; " +
            "the guide's plain HTTP backend answers the handshake with garbage), and when it requires Cloudflare's client certificate " +
            "(uvicorn --ssl-cert-reqs 2) zone-level Authenticated Origin Pulls must be on.",
    },
    {
        id: "origin-certificate-526",
        matches: isStatus(526),
        explain: () =>
            "526 Invalid SSL certificate: with SSL mode Strict the origin's certificate must be valid for the hostname and unexpired " +
            "(a Cloudflare Origin CA certificate, renewed by pulumi up): check the certificate step's audit (certificate-expiry).",
    },
    {
        id: "dns-not-found",
        matches: isNetwork(/^(ENOTFOUND|EAI_NONAME|EAI_AGAIN)$/),
        explain: () => "The hostname does not resolve: the DNS record is missing (or not yet propagated) in the Cloudflare zone.",
    },
    {
        id: "connection-refused",
        matches: isNetwork(/^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/),
        explain: () => "Nothing accepted the connection on the edge address: the record is probably not proxied (grey cloud) or points to the wrong address.",
    },
    {
        id: "certificate",
        matches: isNetwork(/^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/),
        explain: () =>
            "The certificate presented is not valid for the hostname: the record is not proxied (the origin answers directly) or the edge certificate is not issued yet.",
    },
    {
        id: "server-error",
        matches: (o) => o.kind === "response" && o.status >= 500,
        explain: () => "The backend answered with a server error: read the service logs on the host.",
    },
];

/** The explanation of the first matching edge signature, if any. */
export function explainObservation(o: Observation, ctx: ExplainContext): string | undefined {
    const sig = EDGE_SIGNATURES.find((s) => s.matches(o));
    return sig?.explain(o, ctx);
}

/** Check-specific mismatches (the request worked, the answer is not the expected one). */
export const CHECK_ADVICE = {
    wrongStatus: (path: string) => `${path} did not answer as expected: the backend does not serve this path, or a rule rewrites/redirects it.`,
    rootNotRedirected: "The root is not redirected: the redirect rule for `/` (nova:rootPath=redirect) is missing or does not match the hostname.",
    rootRedirectTarget: (spa: string) => `The root redirects elsewhere than ${spa}: the redirect rule's target URL is wrong.`,
    rootNotRewritten: "The root does not answer 200: the rewrite rule for `/` (nova:rootPath=rewrite) is missing, or a redirect rule still applies.",
    noAsset: "No asset under the assets prefix was found in the SPA's HTML: pass --asset PATH.",
    assetNotCached: (status: string | undefined) =>
        status === undefined
            ? "No cf-cache-status header: the response did not go through Cloudflare's cache (record not proxied, or not Cloudflare in front)."
            : `cf-cache-status ${status} on the second request: the cache rule for the assets prefix (cache everything, edge TTL) is missing, or the origin forbids caching (Cache-Control: private/no-store, Set-Cookie).`,
    apiCached: "The API answered from the edge cache: a cache rule covers the API path; add a bypass rule for the API prefix (before any cache-everything rule).",
    wsRefused: "The WebSocket upgrade was refused: enable the zone's `websockets` setting, and check that the backend serves WebSockets on this path (and, in tunnel mode, that the tunnel ingress covers it).",
    wsBadAccept: "The Sec-WebSocket-Accept header is wrong: something between the client and the backend rewrites the handshake.",
    wsNotClosed: "The WebSocket did not close cleanly (no close frame answered): the backend or a proxy drops the connection.",
    tls11Accepted: "The edge accepts TLS 1.1: set the zone's minimum TLS version (min_tls_version) to 1.2.",
    tls12Refused: "The edge refuses TLS 1.2: the minimum TLS version is set to 1.3, or the hostname has no edge certificate.",
    httpNotRedirected: "Plain HTTP is served without a redirect to https://: turn on Always Use HTTPS.",
} as const;
