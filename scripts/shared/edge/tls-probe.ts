/**
 * TLS handshake probes pinned to one protocol version. Legacy versions are offered with
 * `@SECLEVEL=0`: OpenSSL 3 otherwise refuses TLS 1.0/1.1 on the client side, which would make an
 * edge that still accepts them look compliant.
 */
import * as tls from "tls";
import { Endpoint, NetworkError, withRetries, toNetworkError } from "./http";
import type { ConnectionOptions } from "./types";

export type TlsVersion = "TLSv1.1" | "TLSv1.2";

export type TlsProbeResult =
    /** Handshake completed at `protocol`; `certError` when only the certificate check failed. */
    | { readonly kind: "accepted"; readonly protocol: string; readonly certError?: string }
    /** The server refused the handshake (alert or reset after connecting). */
    | { readonly kind: "refused"; readonly code: string; readonly message: string }
    /** No TLS conversation took place (name resolution, connection, time limit). */
    | { readonly kind: "unreachable"; readonly code: string; readonly message: string };

/** Errors that mean the handshake got through and only the certificate was rejected. */
const CERT_ERRORS = /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_CERT)/;

function attempt(ep: Endpoint, version: TlsVersion, conn: ConnectionOptions): Promise<TlsProbeResult> {
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
        const timer = setTimeout(() => socket.destroy(new NetworkError("TIMEOUT", `no handshake within ${conn.timeoutMs} ms`)), conn.timeoutMs);
        socket.on("connect", () => {
            connected = true;
        });
        socket.on("secureConnect", () => {
            clearTimeout(timer);
            const protocol = socket.getProtocol() ?? "unknown";
            socket.destroy();
            resolve({ kind: "accepted", protocol });
        });
        socket.on("error", (err: NodeJS.ErrnoException) => {
            clearTimeout(timer);
            socket.destroy();
            const ne = toNetworkError(err);
            if (CERT_ERRORS.test(ne.code)) {
                resolve({ kind: "accepted", protocol: version, certError: `${ne.code}: ${ne.message}` });
            } else if (connected && ne.code !== "TIMEOUT") {
                resolve({ kind: "refused", code: ne.code, message: ne.message });
            } else {
                reject(ne);
            }
        });
    });
}

/** Handshake offering at most `version` (TLS 1.1 probe: 1.0–1.1; TLS 1.2 probe: exactly 1.2). */
export async function probeTls(ep: Endpoint, version: TlsVersion, conn: ConnectionOptions): Promise<TlsProbeResult> {
    try {
        return await withRetries(conn.retries, () => attempt(ep, version, conn));
    } catch (err) {
        const ne = toNetworkError(err);
        return { kind: "unreachable", code: ne.code, message: ne.message };
    }
}
