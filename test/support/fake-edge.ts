/**
 * A loopback stand-in for the Cloudflare edge in front of NOVA: healthy by default, each broken
 * edge selectable through `behaviour`. Three servers: HTTPS (TLS 1.2+), HTTPS that still accepts
 * TLS 1.0/1.1 (needs `@SECLEVEL=0` with OpenSSL 3), and plain HTTP.
 */
import { createHash } from "crypto";
import * as http from "http";
import * as https from "https";
import type { AddressInfo, Socket } from "net";
import type { Duplex } from "stream";
import { type OriginLink, reachOrigin } from "./origin-link";
import type { TestCert } from "./test-cert";

export const HOSTNAME = "nova.test";

export interface Behaviour {
    /** Every HTTPS request (and upgrade) answered this way. */
    all?: "521" | "522" | "hang" | "cf1016" | "cf1001" | "cf1014" | "cf1033";
    /** `/`: 301 to the SPA, 200 (rewrite), 301 to itself, or 200 plain page. */
    root: "redirect" | "rewrite" | "loop" | "elsewhere";
    /** Health path redirects to itself (SSL flexible), or https -> http. */
    health: "ok" | "self-redirect" | "downgrade" | "404";
    assets: "cache" | "dynamic" | "absent";
    api: "bypass" | "hit" | "redirect" | "loop";
    ws: "ok" | "refuse" | "bad-accept" | "drop";
    http: "redirect" | "serve" | "loop";
    spaHtml: string;
    /** Destroy this many incoming HTTPS connections before serving (network errors). */
    resetConnections: number;
    /**
     * How the edge reaches a real origin before answering (direct mode): a failed reach answers the
     * edge's 521/525/526. Absent: the origin is taken as reachable.
     */
    origin?: OriginLink;
}

export const SPA_HTML =
    '<!doctype html><html><head><link rel="icon" href="/favicon.ico">' +
    '<script type="module" crossorigin src="/mail-to-biz/assets/index-3f2a.js"></script>' +
    '<link rel="stylesheet" href="/mail-to-biz/assets/index-9c1b.css"></head><body><div id="root"></div></body></html>';

export const HEALTHY: Behaviour = {
    root: "redirect", health: "ok", assets: "cache", api: "bypass", ws: "ok", http: "redirect", spaHtml: SPA_HTML, resetConnections: 0,
};

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export class FakeEdge {
    behaviour: Behaviour = { ...HEALTHY };
    /** Paths already served once (edge cache emulation). */
    readonly cached = new Set<string>();
    /** Requests seen per path, HTTPS and HTTP. */
    readonly hits = new Map<string, number>();
    readonly https: https.Server;
    readonly legacyHttps: https.Server;
    readonly http: http.Server;
    private readonly sockets = new Set<Socket>();

    constructor(cert: TestCert) {
        const handler = (req: http.IncomingMessage, res: http.ServerResponse): void =>
            void this.viaOrigin().then((status) => (status === undefined ? this.serve(req, res) : this.originError(status, res)));
        const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void =>
            void this.viaOrigin().then((status) =>
                status === undefined ? this.upgrade(req, socket, head) : void socket.end(`HTTP/1.1 ${status} Origin Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`),
            );
        this.https = https.createServer({ key: cert.key, cert: cert.cert }, handler).on("upgrade", upgrade);
        this.legacyHttps = https
            .createServer({ key: cert.key, cert: cert.cert, minVersion: "TLSv1", ciphers: "DEFAULT:@SECLEVEL=0" }, handler)
            .on("upgrade", upgrade);
        this.http = http.createServer((req, res) => this.servePlain(req, res));
        for (const s of [this.https, this.legacyHttps, this.http]) {
            s.on("connection", (sock: Socket) => {
                this.sockets.add(sock);
                sock.on("close", () => this.sockets.delete(sock));
            });
        }
        this.https.prependListener("connection", (sock: Socket) => {
            if (this.behaviour.resetConnections > 0) {
                this.behaviour.resetConnections--;
                sock.destroy();
            }
        });
    }

    reset(b: Partial<Behaviour> = {}): void {
        this.behaviour = { ...HEALTHY, ...b };
        this.cached.clear();
        this.hits.clear();
    }

    async listen(): Promise<void> {
        await Promise.all([this.https, this.legacyHttps, this.http].map((s) => new Promise<void>((r) => s.listen(0, "127.0.0.1", r))));
    }

    url(server: "https" | "legacyHttps" | "http"): string {
        const port = (this[server].address() as AddressInfo).port;
        return `${server === "http" ? "http" : "https"}://127.0.0.1:${port}`;
    }

    async close(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await Promise.all([this.https, this.legacyHttps, this.http].map((s) => new Promise<void>((r) => s.close(() => r()))));
    }

    /** The status of a failed reach of the configured origin, undefined when it answers (or none is configured). */
    private viaOrigin(): Promise<number | undefined> {
        const link = this.behaviour.origin;
        return link === undefined ? Promise.resolve(undefined) : reachOrigin(link, HOSTNAME);
    }

    private originError(status: number, res: http.ServerResponse): void {
        this.count(`origin-error:${status}`);
        res.writeHead(status, { "content-type": "text/html" }).end(`<html><title>${status}</title>Error code ${status}</html>`);
    }

    private count(path: string): void {
        this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    }

    private edgeError(): { status: number; body: string } | "hang" | undefined {
        const all = this.behaviour.all;
        if (all === undefined || all === "hang") return all;
        if (all.startsWith("cf")) return { status: all === "cf1033" ? 530 : 409, body: `error code: ${all.slice(2)}` };
        return { status: Number(all), body: `<html><title>${all}</title>Error code ${all}</html>` };
    }

    private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
        const path = req.url ?? "/";
        this.count(path);
        const b = this.behaviour;
        const err = this.edgeError();
        if (err === "hang") return;
        if (err) return void res.writeHead(err.status, { "content-type": "text/plain" }).end(err.body);
        const send = (status: number, headers: http.OutgoingHttpHeaders = {}, body = ""): void => void res.writeHead(status, headers).end(body);
        if (req.headers.host !== HOSTNAME) return send(421, {}, "misdirected");
        if (path === "/") {
            if (b.root === "redirect") return send(301, { location: `https://${HOSTNAME}/mail-to-biz` });
            if (b.root === "loop") return send(301, { location: `https://${HOSTNAME}/` });
            if (b.root === "elsewhere") return send(301, { location: `https://${HOSTNAME}/login` });
            return send(200, { "content-type": "text/html" }, b.spaHtml);
        }
        if (path === "/health") {
            if (b.health === "self-redirect") return send(301, { location: `https://${HOSTNAME}/health` });
            if (b.health === "downgrade") return send(302, { location: `http://${HOSTNAME}/health` });
            if (b.health === "404") return send(404, { "cf-cache-status": "DYNAMIC" }, "not found");
            return send(200, { "content-type": "application/json", "cf-cache-status": "DYNAMIC" }, '{"status":"ok"}');
        }
        if (path === "/mail-to-biz/") return send(200, { "content-type": "text/html", "cf-cache-status": "DYNAMIC" }, b.spaHtml);
        if (path.startsWith("/mail-to-biz/assets/")) {
            const headers: http.OutgoingHttpHeaders = { "content-type": "application/javascript" };
            if (b.assets === "cache") headers["cf-cache-status"] = this.cached.has(path) ? "HIT" : "MISS";
            if (b.assets === "dynamic") headers["cf-cache-status"] = "DYNAMIC";
            this.cached.add(path);
            return send(200, headers, "console.log(1)");
        }
        if (path === "/api/" && (b.api === "redirect" || b.api === "loop")) {
            return send(307, { location: b.api === "loop" ? "/api/" : "/api", "cf-cache-status": "DYNAMIC" });
        }
        if (path.startsWith("/api/")) {
            return send(404, { "content-type": "application/json", "cf-cache-status": b.api === "hit" ? "HIT" : "DYNAMIC" }, '{"detail":"Not Found"}');
        }
        return send(404, {}, "not found");
    }

    private servePlain(req: http.IncomingMessage, res: http.ServerResponse): void {
        const path = req.url ?? "/";
        this.count(`http:${path}`);
        if (this.behaviour.http === "serve") return void res.writeHead(200).end("ok");
        const scheme = this.behaviour.http === "loop" ? "http" : "https";
        res.writeHead(301, { location: `${scheme}://${HOSTNAME}${path}` }).end();
    }

    private upgrade(req: http.IncomingMessage, socket: Duplex, _head: Buffer): void {
        this.count(`ws:${req.url}`);
        const err = this.edgeError();
        if (err === "hang") return;
        const raw = (status: number, reason: string, body: string): void =>
            void socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        if (err) return raw(err.status, "Edge Error", err.body);
        if (req.url !== "/ws" || this.behaviour.ws === "refuse") return raw(403, "Forbidden", "websockets disabled");
        const key = String(req.headers["sec-websocket-key"]);
        const accept = createHash("sha1").update(this.behaviour.ws === "bad-accept" ? `${key}x` : key + WS_GUID).digest("base64");
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        // A greeting text frame first, as a real backend might send.
        socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69]));
        socket.on("data", (chunk: Buffer) => {
            if ((chunk[0] & 0x0f) !== 0x8) return;
            if (this.behaviour.ws === "drop") return void socket.destroy();
            socket.end(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
        });
        socket.on("error", () => undefined);
    }
}
