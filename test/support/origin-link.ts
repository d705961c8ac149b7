/**
 * How Cloudflare's edge reaches an origin, for the local test edge: the port (an Origin Rule's, else
 * the visitor's 443), TLS per SSL mode (Full: any certificate; Strict: valid for the hostname under the
 * trusted CA), and with Authenticated Origin Pulls the edge's client certificate. Each reach is a real
 * loopback connection to a real origin server; the answer is the edge's status when it fails.
 */
import * as net from "net";
import * as tls from "tls";

export interface OriginLink {
    /** Port an Origin Rule routes the hostname to; undefined: the visitor's port, 443. */
    readonly originRulePort?: number;
    /** Loopback port standing for the origin's 443 (a test cannot listen on 443). */
    readonly port443: number;
    readonly sslMode: "full" | "strict";
    /** CA the edge trusts for origin certificates in Strict mode (Cloudflare's Origin CA). */
    readonly originCa: Buffer;
    /** The edge's client certificate (zone-level Authenticated Origin Pulls on), else undefined. */
    readonly clientCertificate?: { readonly key: Buffer; readonly cert: Buffer };
}

const VERIFY_ERRORS = /^(ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/;

/**
 * Connects as the edge would; undefined when the origin answered HTTP over TLS, else the status the
 * edge shows: 521 (connection refused), 525 (TLS handshake failed, also a refused client
 * certificate), 526 (Strict and the origin's certificate is not valid).
 */
export function reachOrigin(link: OriginLink, hostname: string, timeoutMs = 2000): Promise<number | undefined> {
    const port = link.originRulePort ?? link.port443;
    return new Promise((resolve) => {
        let settled = false;
        const done = (status: number | undefined): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            raw.destroy();
            resolve(status);
        };
        const timer = setTimeout(() => done(522), timeoutMs);
        const raw = net.connect({ host: "127.0.0.1", port });
        raw.once("error", () => done(521));
        raw.once("connect", () => {
            raw.removeAllListeners("error");
            const secure = tls.connect({
                socket: raw,
                servername: hostname,
                ca: link.originCa,
                rejectUnauthorized: link.sslMode === "strict",
                ...(link.clientCertificate ?? {}),
            });
            secure.once("error", (err: NodeJS.ErrnoException) => done(VERIFY_ERRORS.test(err.code ?? "") ? 526 : 525));
            secure.once("secureConnect", () => {
                // TLS 1.3 checks the client certificate after the handshake: only an HTTP answer proves the link.
                secure.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
                secure.once("data", (chunk: Buffer) => done(chunk.toString("latin1").startsWith("HTTP/1.") ? undefined : 525));
                secure.once("end", () => done(525));
            });
        });
    });
}
