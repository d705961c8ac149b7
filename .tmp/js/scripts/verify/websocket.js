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
exports.acceptFor = acceptFor;
exports.closeFrame = closeFrame;
exports.readFrame = readFrame;
exports.websocketRoundTrip = websocketRoundTrip;
/**
 * WebSocket opening handshake (RFC 6455) by hand: an HTTP Upgrade with a random Sec-WebSocket-Key,
 * verification of Sec-WebSocket-Accept, then a masked close frame and a wait for the peer's close.
 */
const crypto_1 = require("crypto");
const http = __importStar(require("http"));
const https = __importStar(require("https"));
const http_1 = require("./http");
const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const NORMAL_CLOSURE = 1000;
/** The Sec-WebSocket-Accept value a server must return for `key`. */
function acceptFor(key) {
    return (0, crypto_1.createHash)("sha1").update(key + WS_GUID).digest("base64");
}
/** A client close frame: FIN + opcode 8, masked, carrying a status code. */
function closeFrame(code, mask = (0, crypto_1.randomBytes)(4)) {
    const payload = Buffer.from([code >> 8, code & 0xff]);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
    return Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), mask, masked]);
}
/** One parsed frame, or undefined while `buf` does not hold a whole frame yet. */
function readFrame(buf) {
    if (buf.length < 2)
        return undefined;
    const opcode = buf[0] & 0x0f;
    const masked = (buf[1] & 0x80) !== 0;
    let len = buf[1] & 0x7f;
    let offset = 2;
    if (len === 126) {
        if (buf.length < 4)
            return undefined;
        len = buf.readUInt16BE(2);
        offset = 4;
    }
    else if (len === 127) {
        if (buf.length < 10)
            return undefined;
        len = Number(buf.readBigUInt64BE(2));
        offset = 10;
    }
    const maskKey = masked ? buf.subarray(offset, offset + 4) : undefined;
    offset += masked ? 4 : 0;
    if (buf.length < offset + len)
        return undefined;
    const raw = buf.subarray(offset, offset + len);
    const payload = maskKey ? Buffer.from(raw.map((b, i) => b ^ maskKey[i % 4])) : Buffer.from(raw);
    return { opcode, payload, size: offset + len };
}
/** After the 101: send a close frame and wait (bounded) for the peer's close frame. */
function closeHandshake(socket, head, timeoutMs) {
    return new Promise((resolve) => {
        let buf = Buffer.from(head);
        let done = false;
        const finish = (r) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            socket.removeAllListeners("data");
            socket.end();
            socket.destroy();
            resolve(r);
        };
        const timer = setTimeout(() => finish({ close: "timeout" }), timeoutMs);
        const scan = () => {
            for (let f = readFrame(buf); f; f = readFrame(buf)) {
                buf = buf.subarray(f.size);
                if (f.opcode === 0x8) {
                    finish({ close: "clean", closeCode: f.payload.length >= 2 ? f.payload.readUInt16BE(0) : undefined });
                    return;
                }
            }
        };
        socket.on("data", (chunk) => {
            buf = Buffer.concat([buf, chunk]);
            scan();
        });
        socket.on("end", () => finish({ close: "dropped" }));
        socket.on("close", () => finish({ close: "dropped" }));
        socket.on("error", () => finish({ close: "dropped" }));
        socket.write(closeFrame(NORMAL_CLOSURE));
        scan();
    });
}
function attempt(ep, path, conn) {
    const key = (0, crypto_1.randomBytes)(16).toString("base64");
    const url = (0, http_1.publicUrl)(ep, path);
    return new Promise((resolve, reject) => {
        const opts = (0, http_1.requestOptions)(ep, path, conn, {
            Connection: "Upgrade",
            Upgrade: "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": key,
        });
        const req = ep.protocol === "https:" ? https.request(opts) : http.request(opts);
        const timer = setTimeout(() => {
            req.destroy(new http_1.NetworkError("TIMEOUT", `no answer within ${conn.timeoutMs} ms`));
        }, conn.timeoutMs);
        req.on("error", (err) => {
            clearTimeout(timer);
            reject((0, http_1.toNetworkError)(err));
        });
        req.on("response", (res) => {
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            res.on("end", () => {
                clearTimeout(timer);
                resolve({ kind: "response", url, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
            });
        });
        req.on("upgrade", (res, socket, head) => {
            clearTimeout(timer);
            const acceptValid = res.headers["sec-websocket-accept"] === acceptFor(key);
            void closeHandshake(socket, head, conn.timeoutMs).then((c) => resolve({ kind: "upgraded", url, acceptValid, ...c }));
        });
        req.end();
    });
}
/** Open a WebSocket on `path` and close it; retried only on network errors before any answer. */
async function websocketRoundTrip(ep, path, conn) {
    try {
        return await (0, http_1.withRetries)(conn.retries, () => attempt(ep, path, conn));
    }
    catch (err) {
        return (0, http_1.networkObservation)((0, http_1.publicUrl)(ep, path), err);
    }
}
