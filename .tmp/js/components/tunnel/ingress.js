"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ORIGIN_REQUEST = exports.ORIGIN_KEEPALIVE_TIMEOUT_SECONDS = exports.CATCH_ALL_SERVICE = void 0;
exports.originServiceUrl = originServiceUrl;
exports.tunnelHostnames = tunnelHostnames;
exports.buildIngress = buildIngress;
/** The mandatory last rule: anything not matched above gets a 404 from the edge connector. */
exports.CATCH_ALL_SERVICE = "http_status:404";
/**
 * Seconds cloudflared keeps an idle connection to the origin: below uvicorn's own idle timeout
 * (`--timeout-keep-alive`, 5 s by default), so cloudflared always closes first and never sends a
 * request on a connection the origin is closing.
 */
exports.ORIGIN_KEEPALIVE_TIMEOUT_SECONDS = 4;
/**
 * Origin settings for the backend: plain HTTP/1.1 uvicorn on the loopback interface.
 *
 * - `connectTimeout` 10 s: the origin is local; a slow connect means the service is down, fail fast.
 * - `keepAliveTimeout` 4 s / `keepAliveConnections` 100: reuse connections to the origin, but drop
 *   idle ones before uvicorn does (5 s by default), or a request can land on a connection the origin
 *   is closing. Reconnecting over loopback costs next to nothing.
 * - `http2Origin` false: uvicorn speaks HTTP/1.1 only, and cloudflared's HTTP/2 origin mode needs https.
 * - No `noTlsVerify`: the origin is `http://`, there is no certificate to verify.
 * - No `noHappyEyeballs`: the origin is the IPv4 literal 127.0.0.1, there is no IPv6 fallback to race.
 * - WebSockets (`/ws`) need no setting here: cloudflared forwards `Upgrade: websocket` requests on an
 *   `http://` service as they are; the zone's `websockets` setting must be on.
 */
exports.ORIGIN_REQUEST = {
    connectTimeout: 10,
    keepAliveTimeout: exports.ORIGIN_KEEPALIVE_TIMEOUT_SECONDS,
    keepAliveConnections: 100,
    http2Origin: false,
};
/** The origin URL cloudflared forwards to: the backend's one configured port on the loopback. */
function originServiceUrl(config) {
    return `http://127.0.0.1:${config.appPort}`;
}
/** The public hostnames the tunnel serves: the stack's hostname first, then the extra ones in order. */
function tunnelHostnames(config) {
    return [config.hostname, ...config.tunnel.extraHostnames];
}
/**
 * The ingress rules of the tunnel: one rule per public hostname to the backend, then the catch-all.
 * The catch-all is always added here and never comes from configuration.
 */
function buildIngress(config) {
    const service = originServiceUrl(config);
    const rules = tunnelHostnames(config).map((hostname) => ({
        hostname,
        service,
        originRequest: { ...exports.ORIGIN_REQUEST },
    }));
    rules.push({ service: exports.CATCH_ALL_SERVICE });
    return rules;
}
