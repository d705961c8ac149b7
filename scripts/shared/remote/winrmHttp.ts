/**
 * One WS-Management POST over HTTPS (certificate checked against the given CA, else Node's trust store)
 * or, when explicitly allowed, plain HTTP; authenticated with Negotiate (NTLMv2, the default) or Basic
 * (see winrmAuth.ts). Network, TLS and credential failures become `RemoteUnavailableError`; messages
 * name the endpoint and user, never the password.
 */
import * as http from "http";
import * as https from "https";
import { RemoteUnavailableError, type WinrmTarget } from "./types";
import { type WinrmAuth, basicAuthorization, negotiateChallenge, negotiateType1, negotiateType3 } from "./winrmAuth";

/** A reply larger than this is not WS-Management: give up rather than buffer it. */
const MAX_REPLY_BYTES = 4 * 1024 * 1024;

/**
 * Time to open a connection (TCP, and TLS over HTTPS), like the ssh hosts' per-dial timeout
 * (SSH_DIAL_TIMEOUT_SECONDS): an address that drops packets fails after this, not after the operating
 * system's own connect timeout or the whole command's.
 */
export const WINRM_CONNECT_TIMEOUT_MS = 20_000;

export interface WsmanEndpoint {
    readonly url: string;
    readonly label: string;
    readonly user: string;
    readonly allowHttp: boolean;
    readonly agent: http.Agent;
    readonly auth: WinrmAuth;
    readonly password: string;
    /** Time to open a connection, in ms. @default WINRM_CONNECT_TIMEOUT_MS */
    readonly connectTimeoutMs?: number;
}

export interface WsmanReply {
    readonly status: number;
    readonly body: string;
}

export function openEndpoint(target: WinrmTarget): WsmanEndpoint {
    const scheme = target.allowHttp ? "http" : "https";
    const hostPart = target.host.includes(":") ? `[${target.host}]` : target.host;
    const agent = target.allowHttp
        ? new http.Agent({ keepAlive: true, maxSockets: 1 })
        : new https.Agent({ keepAlive: true, maxSockets: 1, minVersion: "TLSv1.2", ...(target.caPem !== undefined ? { ca: target.caPem } : {}) });
    return {
        url: `${scheme}://${hostPart}:${target.port}/wsman`,
        label: `${scheme}://${hostPart}:${target.port}`,
        user: target.user,
        allowHttp: target.allowHttp,
        agent,
        auth: target.auth,
        password: target.password,
    };
}

export function closeEndpoint(endpoint: WsmanEndpoint): void {
    endpoint.agent.destroy();
}

const UNREACHABLE = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNABORTED"]);

function isTlsError(code: string, message: string): boolean {
    return /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|EPROTO|ALTNAME|HOSTNAME/.test(code) || /wrong version number|ssl|tls/i.test(message);
}

/** Turns a request error into the reason the host is unavailable. */
export function classifyNetworkError(endpoint: WsmanEndpoint, err: NodeJS.ErrnoException): RemoteUnavailableError {
    const code = err.code ?? "";
    const message = err.message.split("\n")[0].trim();
    const detail = code === "" ? message : `${code}: ${message}`;
    if (isTlsError(code, err.message) && !endpoint.allowHttp) {
        const hint = /wrong version number/i.test(err.message)
            ? "the listener does not speak TLS (plain HTTP needs the explicit winrmAllowHttp opt-in)"
            : "check the listener's certificate and the CA given (winrmCaFile)";
        return new RemoteUnavailableError(`TLS with ${endpoint.label} failed (${detail}); ${hint}`, "tls");
    }
    if (UNREACHABLE.has(code) || code === "") {
        return new RemoteUnavailableError(`cannot reach WinRM at ${endpoint.label} (${detail})`, "unreachable");
    }
    return new RemoteUnavailableError(`WinRM request to ${endpoint.label} failed (${detail})`, "unreachable");
}

function schemesOffered(wwwAuthenticate: string | string[] | undefined): string[] {
    return (Array.isArray(wwwAuthenticate) ? wwwAuthenticate : wwwAuthenticate === undefined ? [] : [wwwAuthenticate])
        .flatMap((h) => h.split(","))
        .map((h) => h.trim().split(/\s+/)[0])
        .filter((scheme) => /^[A-Za-z-]+$/.test(scheme));
}

/** Why the credentials were refused, as far as the reply tells: the scheme not offered, or refused. */
export function authMessage(endpoint: WsmanEndpoint, status: number, wwwAuthenticate: string | string[] | undefined): string {
    const offered = schemesOffered(wwwAuthenticate);
    const head = `WinRM at ${endpoint.label} refused user ${JSON.stringify(endpoint.user)} (HTTP ${status})`;
    if (endpoint.auth === "negotiate") {
        if (offered.length > 0 && !offered.some((scheme) => scheme.toLowerCase() === "negotiate")) {
            return `${head}: Negotiate authentication is not enabled on the WinRM service (it offers ${offered.join(", ")}); ` +
                "enable it with Set-Item WSMan:\\localhost\\Service\\Auth\\Negotiate $true";
        }
        return `${head}: check the password and that the account is an administrator of the host (Negotiate/NTLM)`;
    }
    if (offered.length > 0 && !offered.some((scheme) => scheme.toLowerCase() === "basic")) {
        return `${head}: Basic authentication is not enabled on the WinRM service (it offers ${offered.join(", ")}); ` +
            "enable it with Set-Item WSMan:\\localhost\\Service\\Auth\\Basic $true, or use winrmAuth negotiate (the default)";
    }
    return `${head}: check the password, that Basic authentication is enabled on the WinRM service, and that the account is a local administrator`;
}

/**
 * POSTs one envelope and resolves with the status and body of any reply but 401/403 (a SOAP fault
 * comes with 500, or 400 for a malformed request: the caller reads it); rejects with
 * RemoteUnavailableError on refused credentials, network or TLS failure, or when `timeoutMs` passes.
 * Negotiate takes two legs on the endpoint's one kept-alive connection: type 1, the server's 401 with
 * its challenge, then the request again with type 3.
 */
export async function post(endpoint: WsmanEndpoint, xml: string, timeoutMs: number): Promise<WsmanReply> {
    const deadline = Date.now() + timeoutMs;
    const body = Buffer.from(xml, "utf8");
    const refused = (r: Leg) => new RemoteUnavailableError(authMessage(endpoint, r.status, r.wwwAuthenticate), "auth");
    if (endpoint.auth === "basic") {
        const reply = await send(endpoint, body, timeoutMs, basicAuthorization(endpoint.user, endpoint.password));
        if (reply.status === 401 || reply.status === 403) throw refused(reply);
        return reply;
    }
    const first = await send(endpoint, body, timeoutMs, negotiateType1());
    if (first.status === 403) throw refused(first);
    if (first.status !== 401) return first;
    const challenge = negotiateChallenge(first.wwwAuthenticate);
    if (challenge === undefined) throw refused(first);
    let type3: string;
    try {
        type3 = negotiateType3(challenge, endpoint.user, endpoint.password);
    } catch (err) {
        throw new RemoteUnavailableError(`WinRM at ${endpoint.label}: ${(err as Error).message}`, "auth");
    }
    const reply = await send(endpoint, body, deadline - Date.now(), type3);
    if (reply.status === 401 || reply.status === 403) throw refused(reply);
    return reply;
}

interface Leg extends WsmanReply {
    readonly wwwAuthenticate: string | string[] | undefined;
}

/** One request with this Authorization header; resolves with any reply, its body read in full. */
function send(endpoint: WsmanEndpoint, body: Buffer, timeoutMs: number, authorization: string): Promise<Leg> {
    if (timeoutMs <= 0) {
        return Promise.reject(new RemoteUnavailableError(`no answer from ${endpoint.label} in time`, "timeout"));
    }
    const requester = endpoint.allowHttp ? http.request : https.request;
    return new Promise<Leg>((resolve, reject) => {
        const req = requester(endpoint.url, {
            method: "POST",
            agent: endpoint.agent,
            headers: {
                "Content-Type": "application/soap+xml;charset=UTF-8",
                "Content-Length": body.length,
                Authorization: authorization,
                "User-Agent": "nova-infra WinRM",
            },
        });
        let settled = false;
        const fail = (e: Error): void => {
            clearTimeout(timer);
            if (!settled) reject(e);
            settled = true;
        };
        const abort = (e: RemoteUnavailableError): void => {
            fail(e);
            req.destroy();
        };
        const timer = setTimeout(() => abort(new RemoteUnavailableError(`no answer from ${endpoint.label} in time`, "timeout")), timeoutMs);
        req.on("error", (err: NodeJS.ErrnoException) => {
            fail(classifyNetworkError(endpoint, err));
        });
        req.on("socket", (socket) => {
            // A kept-alive socket is already open; a new one must connect (and shake hands) in time.
            if (!socket.connecting) return;
            const limit = endpoint.connectTimeoutMs ?? WINRM_CONNECT_TIMEOUT_MS;
            const connectTimer = setTimeout(
                () => abort(new RemoteUnavailableError(`cannot reach WinRM at ${endpoint.label} (no connection within ${limit / 1000} s)`, "unreachable")),
                limit,
            );
            socket.once(endpoint.allowHttp ? "connect" : "secureConnect", () => clearTimeout(connectTimer));
            socket.once("close", () => clearTimeout(connectTimer));
        });
        req.on("response", (res) => {
            const status = res.statusCode ?? 0;
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (c: Buffer) => {
                size += c.length;
                if (size > MAX_REPLY_BYTES) {
                    abort(new RemoteUnavailableError(`WinRM at ${endpoint.label} sent a reply above ${MAX_REPLY_BYTES} bytes`, "protocol"));
                    return;
                }
                chunks.push(c);
            });
            res.on("end", () => {
                clearTimeout(timer);
                if (!settled) resolve({ status, body: Buffer.concat(chunks).toString("utf8"), wwwAuthenticate: res.headers["www-authenticate"] });
                settled = true;
            });
            res.on("error", (err: NodeJS.ErrnoException) => fail(classifyNetworkError(endpoint, err)));
        });
        req.end(body);
    });
}
