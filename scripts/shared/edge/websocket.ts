/**
 * WebSocket opening handshake (RFC 6455) by hand: an HTTP Upgrade with a random Sec-WebSocket-Key,
 * verification of Sec-WebSocket-Accept, then a masked close frame and a wait for the peer's close.
 */
import { createHash, randomBytes } from "crypto";
import type { Duplex } from "stream";
import { boundedRequest, Endpoint, networkObservation, publicUrl, settleWithResponse, withRetries } from "./http";
import type { ConnectionOptions, Observation } from "./types";

const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const NORMAL_CLOSURE = 1000;

/** The Sec-WebSocket-Accept value a server must return for `key`. */
export function acceptFor(key: string): string {
    return createHash("sha1").update(key + WS_GUID).digest("base64");
}

/** A client close frame: FIN + opcode 8, masked, carrying a status code. */
export function closeFrame(code: number, mask: Buffer = randomBytes(4)): Buffer {
    const payload = Buffer.from([code >> 8, code & 0xff]);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
    return Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), mask, masked]);
}

/** One parsed frame, or undefined while `buf` does not hold a whole frame yet. */
export function readFrame(buf: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
    if (buf.length < 2) return undefined;
    const opcode = buf[0] & 0x0f;
    const masked = (buf[1] & 0x80) !== 0;
    let len = buf[1] & 0x7f;
    let offset = 2;
    if (len === 126) {
        if (buf.length < 4) return undefined;
        len = buf.readUInt16BE(2);
        offset = 4;
    } else if (len === 127) {
        if (buf.length < 10) return undefined;
        len = Number(buf.readBigUInt64BE(2));
        offset = 10;
    }
    const maskKey = masked ? buf.subarray(offset, offset + 4) : undefined;
    offset += masked ? 4 : 0;
    if (buf.length < offset + len) return undefined;
    const raw = buf.subarray(offset, offset + len);
    const payload = maskKey ? Buffer.from(raw.map((b, i) => b ^ maskKey[i % 4])) : Buffer.from(raw);
    return { opcode, payload, size: offset + len };
}

/** The connection was upgraded; how the accept header and the close went. */
export interface Upgraded {
    readonly kind: "upgraded";
    readonly url: string;
    readonly acceptValid: boolean;
    /** clean: the peer answered our close frame; dropped: the connection ended without one. */
    readonly close: "clean" | "dropped" | "timeout";
    readonly closeCode?: number;
}

export type WebSocketOutcome = Upgraded | Observation;

/** After the 101: send a close frame and wait (bounded) for the peer's close frame. */
function closeHandshake(socket: Duplex, head: Buffer, timeoutMs: number): Promise<Pick<Upgraded, "close" | "closeCode">> {
    return new Promise((resolve) => {
        let buf = Buffer.from(head);
        let done = false;
        const finish = (r: Pick<Upgraded, "close" | "closeCode">): void => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            socket.removeAllListeners("data");
            socket.end();
            socket.destroy();
            resolve(r);
        };
        const timer = setTimeout(() => finish({ close: "timeout" }), timeoutMs);
        const scan = (): void => {
            for (let f = readFrame(buf); f; f = readFrame(buf)) {
                buf = buf.subarray(f.size);
                if (f.opcode === 0x8) {
                    finish({ close: "clean", closeCode: f.payload.length >= 2 ? f.payload.readUInt16BE(0) : undefined });
                    return;
                }
            }
        };
        socket.on("data", (chunk: Buffer) => {
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

function attempt(ep: Endpoint, path: string, conn: ConnectionOptions): Promise<WebSocketOutcome> {
    const key = randomBytes(16).toString("base64");
    const url = publicUrl(ep, path);
    const headers = { Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": key };
    return boundedRequest<WebSocketOutcome>(ep, path, conn, headers, (req, done, resolve, reject) => {
        settleWithResponse(req, url, done, resolve, reject);
        req.on("upgrade", (res, socket: Duplex, head: Buffer) => {
            done();
            const acceptValid = res.headers["sec-websocket-accept"] === acceptFor(key);
            void closeHandshake(socket, head, conn.timeoutMs).then((c) => resolve({ kind: "upgraded", url, acceptValid, ...c }));
        });
    });
}

/** Open a WebSocket on `path` and close it; retried only on network errors before any answer. */
export async function websocketRoundTrip(ep: Endpoint, path: string, conn: ConnectionOptions): Promise<WebSocketOutcome> {
    try {
        return await withRetries(conn.retries, () => attempt(ep, path, conn));
    } catch (err) {
        return networkObservation(publicUrl(ep, path), err);
    }
}
