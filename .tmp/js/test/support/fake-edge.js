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
exports.FakeEdge = exports.HEALTHY = exports.SPA_HTML = exports.HOSTNAME = void 0;
/**
 * A loopback stand-in for the Cloudflare edge in front of NOVA: healthy by default, each broken
 * edge selectable through `behaviour`. Three servers: HTTPS (TLS 1.2+), HTTPS that still accepts
 * TLS 1.0/1.1 (needs `@SECLEVEL=0` with OpenSSL 3), and plain HTTP.
 */
const crypto_1 = require("crypto");
const http = __importStar(require("http"));
const https = __importStar(require("https"));
exports.HOSTNAME = "nova.test";
exports.SPA_HTML = '<!doctype html><html><head><link rel="icon" href="/favicon.ico">' +
    '<script type="module" crossorigin src="/mail-to-biz/assets/index-3f2a.js"></script>' +
    '<link rel="stylesheet" href="/mail-to-biz/assets/index-9c1b.css"></head><body><div id="root"></div></body></html>';
exports.HEALTHY = {
    root: "redirect", health: "ok", assets: "cache", api: "bypass", ws: "ok", http: "redirect", spaHtml: exports.SPA_HTML, resetConnections: 0,
};
const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
class FakeEdge {
    behaviour = { ...exports.HEALTHY };
    /** Paths already served once (edge cache emulation). */
    cached = new Set();
    /** Requests seen per path, HTTPS and HTTP. */
    hits = new Map();
    https;
    legacyHttps;
    http;
    sockets = new Set();
    constructor(cert) {
        const handler = (req, res) => this.serve(req, res);
        const upgrade = (req, socket, head) => this.upgrade(req, socket, head);
        this.https = https.createServer({ key: cert.key, cert: cert.cert }, handler).on("upgrade", upgrade);
        this.legacyHttps = https
            .createServer({ key: cert.key, cert: cert.cert, minVersion: "TLSv1", ciphers: "DEFAULT:@SECLEVEL=0" }, handler)
            .on("upgrade", upgrade);
        this.http = http.createServer((req, res) => this.servePlain(req, res));
        for (const s of [this.https, this.legacyHttps, this.http]) {
            s.on("connection", (sock) => {
                this.sockets.add(sock);
                sock.on("close", () => this.sockets.delete(sock));
            });
        }
        this.https.prependListener("connection", (sock) => {
            if (this.behaviour.resetConnections > 0) {
                this.behaviour.resetConnections--;
                sock.destroy();
            }
        });
    }
    reset(b = {}) {
        this.behaviour = { ...exports.HEALTHY, ...b };
        this.cached.clear();
        this.hits.clear();
    }
    async listen() {
        await Promise.all([this.https, this.legacyHttps, this.http].map((s) => new Promise((r) => s.listen(0, "127.0.0.1", r))));
    }
    url(server) {
        const port = this[server].address().port;
        return `${server === "http" ? "http" : "https"}://127.0.0.1:${port}`;
    }
    async close() {
        for (const s of this.sockets)
            s.destroy();
        await Promise.all([this.https, this.legacyHttps, this.http].map((s) => new Promise((r) => s.close(() => r()))));
    }
    count(path) {
        this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    }
    edgeError() {
        const all = this.behaviour.all;
        if (all === undefined || all === "hang")
            return all;
        if (all.startsWith("cf"))
            return { status: all === "cf1033" ? 530 : 409, body: `error code: ${all.slice(2)}` };
        return { status: Number(all), body: `<html><title>${all}</title>Error code ${all}</html>` };
    }
    serve(req, res) {
        const path = req.url ?? "/";
        this.count(path);
        const b = this.behaviour;
        const err = this.edgeError();
        if (err === "hang")
            return;
        if (err)
            return void res.writeHead(err.status, { "content-type": "text/plain" }).end(err.body);
        const send = (status, headers = {}, body = "") => void res.writeHead(status, headers).end(body);
        if (req.headers.host !== exports.HOSTNAME)
            return send(421, {}, "misdirected");
        if (path === "/") {
            if (b.root === "redirect")
                return send(301, { location: `https://${exports.HOSTNAME}/mail-to-biz` });
            if (b.root === "loop")
                return send(301, { location: `https://${exports.HOSTNAME}/` });
            if (b.root === "elsewhere")
                return send(301, { location: `https://${exports.HOSTNAME}/login` });
            return send(200, { "content-type": "text/html" }, b.spaHtml);
        }
        if (path === "/health") {
            if (b.health === "self-redirect")
                return send(301, { location: `https://${exports.HOSTNAME}/health` });
            if (b.health === "downgrade")
                return send(302, { location: `http://${exports.HOSTNAME}/health` });
            if (b.health === "404")
                return send(404, { "cf-cache-status": "DYNAMIC" }, "not found");
            return send(200, { "content-type": "application/json", "cf-cache-status": "DYNAMIC" }, '{"status":"ok"}');
        }
        if (path === "/mail-to-biz/")
            return send(200, { "content-type": "text/html", "cf-cache-status": "DYNAMIC" }, b.spaHtml);
        if (path.startsWith("/mail-to-biz/assets/")) {
            const headers = { "content-type": "application/javascript" };
            if (b.assets === "cache")
                headers["cf-cache-status"] = this.cached.has(path) ? "HIT" : "MISS";
            if (b.assets === "dynamic")
                headers["cf-cache-status"] = "DYNAMIC";
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
    servePlain(req, res) {
        const path = req.url ?? "/";
        this.count(`http:${path}`);
        if (this.behaviour.http === "serve")
            return void res.writeHead(200).end("ok");
        const scheme = this.behaviour.http === "loop" ? "http" : "https";
        res.writeHead(301, { location: `${scheme}://${exports.HOSTNAME}${path}` }).end();
    }
    upgrade(req, socket, _head) {
        this.count(`ws:${req.url}`);
        const err = this.edgeError();
        if (err === "hang")
            return;
        const raw = (status, reason, body) => void socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        if (err)
            return raw(err.status, "Edge Error", err.body);
        if (req.url !== "/ws" || this.behaviour.ws === "refuse")
            return raw(403, "Forbidden", "websockets disabled");
        const key = String(req.headers["sec-websocket-key"]);
        const accept = (0, crypto_1.createHash)("sha1").update(this.behaviour.ws === "bad-accept" ? `${key}x` : key + WS_GUID).digest("base64");
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        // A greeting text frame first, as a real backend might send.
        socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69]));
        socket.on("data", (chunk) => {
            if ((chunk[0] & 0x0f) !== 0x8)
                return;
            if (this.behaviour.ws === "drop")
                return void socket.destroy();
            socket.end(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
        });
        socket.on("error", () => undefined);
    }
}
exports.FakeEdge = FakeEdge;
