"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.NetworkError = void 0;
exports.endpointFor = endpointFor;
exports.publicUrl = publicUrl;
exports.requestOptions = requestOptions;
exports.toNetworkError = toNetworkError;
exports.requestOnce = requestOnce;
exports.withRetries = withRetries;
exports.get = get;
exports.networkObservation = networkObservation;
exports.header = header;
/**
 * One bounded HTTP(S) request to the edge: no redirect following, no connection reuse, a per-request
 * time limit, and a small fixed number of further attempts after network errors only.
 */
const http = __importStar(require("http"));
const https = __importStar(require("https"));
/** Largest body kept for analysis (explanations, asset discovery). */
const BODY_LIMIT = 256 * 1024;
/** Network error codes worth another attempt. DNS "not found" and certificate errors are final. */
const RETRYABLE = new Set([
    "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "TIMEOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH",
]);
/** Connect to the override when given, else to the public hostname, on the scheme's default port. */
function endpointFor(hostname, scheme, override) {
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
function publicUrl(ep, path) {
    return `${ep.protocol}//${ep.hostname}${path}`;
}
/** Error raised when a request got no HTTP answer. */
class NetworkError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
exports.NetworkError = NetworkError;
/** Node request options shared by plain requests, WebSocket upgrades and TLS probes. */
function requestOptions(ep, path, conn, headers = {}) {
    const base = {
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
function toNetworkError(err) {
    if (err instanceof NetworkError) {
        return err;
    }
    const e = err;
    return new NetworkError(e.code ?? "ERROR", e.message ?? String(err));
}
/** One attempt: resolves with the answer, rejects with a NetworkError. */
function requestOnce(ep, path, conn, headers = {}) {
    return new Promise((resolve, reject) => {
        const opts = requestOptions(ep, path, conn, headers);
        const req = ep.protocol === "https:" ? https.request(opts) : http.request(opts);
        const timer = setTimeout(() => {
            req.destroy(new NetworkError("TIMEOUT", `no answer within ${conn.timeoutMs} ms`));
        }, conn.timeoutMs);
        req.on("error", (err) => {
            clearTimeout(timer);
            reject(toNetworkError(err));
        });
        req.on("response", (res) => {
            const chunks = [];
            let size = 0;
            res.on("data", (chunk) => {
                if (size < BODY_LIMIT) {
                    chunks.push(chunk);
                    size += chunk.length;
                }
            });
            res.on("end", () => {
                clearTimeout(timer);
                resolve({
                    kind: "response",
                    url: publicUrl(ep, path),
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    body: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8"),
                });
            });
            res.on("error", (err) => {
                clearTimeout(timer);
                reject(toNetworkError(err));
            });
        });
        req.end();
    });
}
/** Run `attempt` once, then again up to `retries` times while it fails with a retryable network error. */
async function withRetries(retries, attempt) {
    for (let i = 0;; i++) {
        try {
            return await attempt();
        }
        catch (err) {
            const ne = toNetworkError(err);
            if (i >= retries || !RETRYABLE.has(ne.code)) {
                throw ne;
            }
        }
    }
}
/** GET `path`: an HTTP answer, or a network observation when there was none after the retries. */
async function get(ep, path, conn, headers = {}) {
    try {
        return await withRetries(conn.retries, () => requestOnce(ep, path, conn, headers));
    }
    catch (err) {
        return networkObservation(publicUrl(ep, path), err);
    }
}
function networkObservation(url, err) {
    const ne = toNetworkError(err);
    return { kind: "network", url, code: ne.code, message: ne.message };
}
/** First value of a response header, lower-cased name. */
function header(o, name) {
    if (o.kind !== "response") {
        return undefined;
    }
    const v = o.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
}
