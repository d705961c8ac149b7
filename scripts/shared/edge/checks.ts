/**
 * The post-deploy checks against the public hostname. Each check returns one result with what was
 * expected, what was seen, a verdict and, on failure, an explanation from explain.ts.
 */
import { findAssetPath } from "./assets";
import { CHECK_ADVICE, ExplainContext, explainObservation, isRedirectLoop, redirectTarget } from "./explain";
import { Endpoint, endpointFor, get, header } from "./http";
import { probeTls } from "./tls-probe";
import type { CheckId, CheckResult, ConnectionOptions, Observation, VerifyTarget } from "./types";
import { websocketRoundTrip } from "./websocket";

/** Everything a check needs. */
export interface Probe {
    readonly target: VerifyTarget;
    readonly conn: ConnectionOptions;
    readonly https: Endpoint;
    readonly http: Endpoint;
    readonly ctx: ExplainContext;
}

export function makeProbe(target: VerifyTarget, conn: ConnectionOptions): Probe {
    return {
        target,
        conn,
        https: endpointFor(target.hostname, "https", conn.baseUrl),
        http: endpointFor(target.hostname, "http", conn.httpBaseUrl),
        ctx: { ingressMode: target.ingressMode, timeoutMs: conn.timeoutMs },
    };
}

/** Short description of an observation for the "got" column. */
export function describe(o: Observation): string {
    if (o.kind === "network") return o.code === "TIMEOUT" ? o.message : `${o.code}`;
    const loc = redirectTarget(o);
    return loc ? `${o.status} -> ${loc.href}` : `${o.status}`;
}

const pass = (id: CheckId, expected: string, got: string): CheckResult => ({ id, expected, got, verdict: "pass" });

/** A failure explained by the edge signatures if one matches, else by `advice`. */
function fail(p: Probe, id: CheckId, expected: string, o: Observation, advice: string, got = describe(o)): CheckResult {
    const unresolved = o.kind === "network" && /^(ENOTFOUND|EAI_NONAME)$/.test(o.code);
    return { id, expected, got, verdict: "fail", explanation: explainObservation(o, p.ctx) ?? advice, ...(unresolved ? { unresolved } : {}) };
}

const isStatus = (o: Observation, status: number): boolean => o.kind === "response" && o.status === status;

export async function checkHealth(p: Probe): Promise<CheckResult> {
    const path = p.target.paths.health;
    const expected = `GET ${path} -> 200`;
    const o = await get(p.https, path, p.conn);
    return isStatus(o, 200) ? pass("health", expected, "200") : fail(p, "health", expected, o, CHECK_ADVICE.wrongStatus(path));
}

export async function checkRoot(p: Probe): Promise<CheckResult> {
    const spa = p.target.paths.spa;
    if (p.target.rootPath === "none") {
        return { id: "root", expected: "not checked (rootPath=none)", got: "-", verdict: "skip" };
    }
    const o = await get(p.https, "/", p.conn);
    if (p.target.rootPath === "rewrite") {
        const expected = "GET / -> 200 (rewrite)";
        return isStatus(o, 200) ? pass("root", expected, "200") : fail(p, "root", expected, o, CHECK_ADVICE.rootNotRewritten);
    }
    const expected = `GET / -> 301 to ${spa}`;
    const to = redirectTarget(o);
    if (!isStatus(o, 301) || !to) return fail(p, "root", expected, o, CHECK_ADVICE.rootNotRedirected);
    const onTarget = to.host === p.target.hostname && (to.pathname === spa || to.pathname === `${spa}/`);
    return onTarget ? pass("root", expected, describe(o)) : fail(p, "root", expected, o, CHECK_ADVICE.rootRedirectTarget(spa));
}

/** GET <spa>/ and, from its HTML (or --asset), an asset twice: the second must be a cache HIT. */
export async function checkSpaAndAssets(p: Probe): Promise<CheckResult[]> {
    const spaPath = `${p.target.paths.spa}/`;
    const spaExpected = `GET ${spaPath} -> 200`;
    const assetExpected = "asset: cf-cache-status HIT on 2nd GET";
    const page = await get(p.https, spaPath, p.conn);
    const spa = isStatus(page, 200) ? pass("spa", spaExpected, "200") : fail(p, "spa", spaExpected, page, CHECK_ADVICE.wrongStatus(spaPath));
    const asset =
        p.conn.assetPath ?? (page.kind === "response" && page.status === 200 ? findAssetPath(page.body, page.url, p.target.paths.assets) : undefined);
    if (asset === undefined) {
        const got = spa.verdict === "pass" ? "no asset found" : "SPA page unavailable";
        const dependent: CheckResult = { id: "assets-cache", expected: assetExpected, got, verdict: "fail", explanation: spa.explanation ?? CHECK_ADVICE.noAsset };
        return [spa, spa.unresolved ? { ...dependent, unresolved: true } : dependent];
    }
    const first = await get(p.https, asset, p.conn);
    const second = first.kind === "response" && first.status === 200 ? await get(p.https, asset, p.conn) : first;
    const status = header(second, "cf-cache-status");
    const expected = `GET ${asset} x2 -> 200, cf-cache-status HIT`;
    if (!isStatus(second, 200)) return [spa, fail(p, "assets-cache", expected, second, CHECK_ADVICE.wrongStatus(asset))];
    const got = `200, cf-cache-status ${status ?? "absent"}`;
    return [spa, status === "HIT" ? pass("assets-cache", expected, got) : fail(p, "assets-cache", expected, second, CHECK_ADVICE.assetNotCached(status), got)];
}

/**
 * GET <api>/ twice: the second answer must not come from the edge cache, nor be a server error or a
 * redirect loop. Any other status (404, 401, a redirect to <api>) is the backend's business.
 */
export async function checkApiNotCached(p: Probe): Promise<CheckResult> {
    const path = `${p.target.paths.api}/`;
    const expected = `GET ${path} x2 -> cf-cache-status not HIT`;
    const first = await get(p.https, path, p.conn);
    const second = first.kind === "response" && first.status < 500 ? await get(p.https, path, p.conn) : first;
    if (second.kind === "network" || second.status >= 500 || isRedirectLoop(second)) {
        return fail(p, "api-no-cache", expected, second, CHECK_ADVICE.wrongStatus(path));
    }
    const status = header(second, "cf-cache-status");
    const got = `${second.status}, cf-cache-status ${status ?? "absent"}`;
    return status === "HIT" ? fail(p, "api-no-cache", expected, second, CHECK_ADVICE.apiCached, got) : pass("api-no-cache", expected, got);
}

export async function checkWebSocket(p: Probe): Promise<CheckResult> {
    const path = p.target.paths.ws;
    const expected = `Upgrade ${path} -> 101, valid accept, clean close`;
    const o = await websocketRoundTrip(p.https, path, p.conn);
    if (o.kind !== "upgraded") return fail(p, "websocket", expected, o, CHECK_ADVICE.wsRefused);
    const got = `101, accept ${o.acceptValid ? "valid" : "INVALID"}, close ${o.close}${o.closeCode ? ` ${o.closeCode}` : ""}`;
    if (!o.acceptValid) return { id: "websocket", expected, got, verdict: "fail", explanation: CHECK_ADVICE.wsBadAccept };
    if (o.close !== "clean") return { id: "websocket", expected, got, verdict: "fail", explanation: CHECK_ADVICE.wsNotClosed };
    return pass("websocket", expected, got);
}

export async function checkTls(p: Probe): Promise<CheckResult[]> {
    const url = `https://${p.target.hostname}/`;
    const [legacy, modern] = await Promise.all([probeTls(p.https, "TLSv1.1", p.conn), probeTls(p.https, "TLSv1.2", p.conn)]);
    const unreachable = (id: CheckId, expected: string, r: { code: string; message: string }): CheckResult =>
        fail(p, id, expected, { kind: "network", url, code: r.code, message: r.message }, "The TLS handshake could not be attempted.", `no connection (${r.code})`);
    const e11 = "TLS 1.1 handshake refused";
    const r11 =
        legacy.kind === "refused"
            ? pass("tls-1.1-refused", e11, `refused (${legacy.code})`)
            : legacy.kind === "accepted"
              ? { id: "tls-1.1-refused" as const, expected: e11, got: `accepted (${legacy.protocol})`, verdict: "fail" as const, explanation: CHECK_ADVICE.tls11Accepted }
              : unreachable("tls-1.1-refused", e11, legacy);
    const e12 = "TLS 1.2 handshake accepted, valid certificate";
    const r12 =
        modern.kind === "accepted" && modern.certError === undefined
            ? pass("tls-1.2-accepted", e12, `accepted (${modern.protocol})`)
            : modern.kind === "accepted"
              ? unreachable("tls-1.2-accepted", e12, { code: modern.certError?.split(":")[0] ?? "CERT", message: modern.certError ?? "" })
              : modern.kind === "refused"
                ? { id: "tls-1.2-accepted" as const, expected: e12, got: `refused (${modern.code})`, verdict: "fail" as const, explanation: CHECK_ADVICE.tls12Refused }
                : unreachable("tls-1.2-accepted", e12, modern);
    return [r11, r12];
}

/** http://<hostname><health> must redirect to https://. */
export async function checkHttpRedirect(p: Probe): Promise<CheckResult> {
    const path = p.target.paths.health;
    const expected = "http:// -> 301/302/307/308 to https://";
    const o = await get(p.http, path, p.conn);
    const to = redirectTarget(o);
    const ok = o.kind === "response" && [301, 302, 307, 308].includes(o.status) && to?.protocol === "https:";
    return ok ? pass("http-to-https", expected, describe(o)) : fail(p, "http-to-https", expected, o, CHECK_ADVICE.httpNotRedirected);
}

/** Run every check (concurrently, bounded by the per-request limits) in a stable order. */
export async function runChecks(target: VerifyTarget, conn: ConnectionOptions): Promise<CheckResult[]> {
    const p = makeProbe(target, conn);
    const [health, root, spaAssets, api, ws, tls, http] = await Promise.all([
        checkHealth(p),
        checkRoot(p),
        checkSpaAndAssets(p),
        checkApiNotCached(p),
        checkWebSocket(p),
        checkTls(p),
        checkHttpRedirect(p),
    ]);
    return [health, root, ...spaAssets, api, ws, ...tls, http];
}
