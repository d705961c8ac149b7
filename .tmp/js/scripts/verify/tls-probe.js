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
exports.probeTls = probeTls;
/**
 * TLS handshake probes pinned to one protocol version. Legacy versions are offered with
 * `@SECLEVEL=0`: OpenSSL 3 otherwise refuses TLS 1.0/1.1 on the client side, which would make an
 * edge that still accepts them look compliant.
 */
const tls = __importStar(require("tls"));
const http_1 = require("./http");
/** Errors that mean the handshake got through and only the certificate was rejected. */
const CERT_ERRORS = /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT)/;
function attempt(ep, version, conn) {
    return new Promise((resolve, reject) => {
        let connected = false;
        const socket = tls.connect({
            host: ep.host,
            port: ep.port,
            servername: ep.hostname,
            ca: conn.ca,
            lookup: conn.lookup,
            minVersion: version === "TLSv1.1" ? "TLSv1" : version,
            maxVersion: version,
            ciphers: version === "TLSv1.1" ? "DEFAULT:@SECLEVEL=0" : undefined,
        });
        const timer = setTimeout(() => socket.destroy(new http_1.NetworkError("TIMEOUT", `no handshake within ${conn.timeoutMs} ms`)), conn.timeoutMs);
        socket.on("connect", () => {
            connected = true;
        });
        socket.on("secureConnect", () => {
            clearTimeout(timer);
            const protocol = socket.getProtocol() ?? "unknown";
            socket.destroy();
            resolve({ kind: "accepted", protocol });
        });
        socket.on("error", (err) => {
            clearTimeout(timer);
            socket.destroy();
            const ne = (0, http_1.toNetworkError)(err);
            if (CERT_ERRORS.test(ne.code)) {
                resolve({ kind: "accepted", protocol: version, certError: `${ne.code}: ${ne.message}` });
            }
            else if (connected && ne.code !== "TIMEOUT") {
                resolve({ kind: "refused", code: ne.code, message: ne.message });
            }
            else {
                reject(ne);
            }
        });
    });
}
/** Handshake offering at most `version` (TLS 1.1 probe: 1.0–1.1; TLS 1.2 probe: exactly 1.2). */
async function probeTls(ep, version, conn) {
    try {
        return await (0, http_1.withRetries)(conn.retries, () => attempt(ep, version, conn));
    }
    catch (err) {
        const ne = (0, http_1.toNetworkError)(err);
        return { kind: "unreachable", code: ne.code, message: ne.message };
    }
}
