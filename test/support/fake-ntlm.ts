/**
 * The server side of NTLMv2 for the fake WinRM listener, after MS-NLMP: it answers a type 1 message
 * with a type 2 challenge (a fresh random server challenge, target information) bound to the TCP
 * connection, and accepts a type 3 message on that connection only when its NTLMv2 response proves the
 * password: NTProofStr = HMAC-MD5(NTOWFv2, server challenge + blob), NTOWFv2 = HMAC-MD5(MD4(UTF-16LE
 * password), UTF-16LE(upper(user) + domain)) (MS-NLMP 3.3.2). MD4 is the client library's (node:crypto
 * has none on OpenSSL 3), checked against MS-NLMP 4.2.4 in test/scripts/shared/remote/winrmAuth.test.ts; the message layout
 * is read and written here, independently of the client.
 */
import { createHmac, randomBytes, timingSafeEqual } from "crypto";
import type { Socket } from "net";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createNTLMHash } = require("@ewsjs/ntlm-client/lib/hash") as { createNTLMHash(password: string): Buffer };

const SIGNATURE = Buffer.from("NTLMSSP\0", "ascii");
const FLAGS = 0x2 /* OEM */ | 0x4 /* REQUEST_TARGET */ | 0x200 /* NTLM */ | 0x8000 /* ALWAYS_SIGN */ | 0x20000 /* TARGET_TYPE_SERVER */ | 0x80000 /* EXTENDED_SESSIONSECURITY */ | 0x800000; /* TARGET_INFO */
/** The fake host's NetBIOS name (its own domain, as for a workgroup server's local accounts). */
export const FAKE_TARGET = "FAKEWIN";

export type NtlmVerdict = { status: "ok" } | { status: "challenge" | "refused"; header: string };

function avPair(id: number, value: string): Buffer {
    const v = Buffer.from(value, "utf16le");
    const head = Buffer.alloc(4);
    head.writeUInt16LE(id, 0);
    head.writeUInt16LE(v.length, 2);
    return Buffer.concat([head, v]);
}

function type2(challenge: Buffer): Buffer {
    const name = Buffer.from(FAKE_TARGET, "ascii");
    const info = Buffer.concat([avPair(2, FAKE_TARGET), avPair(1, FAKE_TARGET), Buffer.alloc(4)]);
    const head = Buffer.alloc(48);
    SIGNATURE.copy(head, 0);
    head.writeUInt32LE(2, 8);
    head.writeUInt16LE(name.length, 12);
    head.writeUInt16LE(name.length, 14);
    head.writeUInt32LE(48, 16);
    head.writeUInt32LE(FLAGS, 20);
    challenge.copy(head, 24);
    head.writeUInt16LE(info.length, 40);
    head.writeUInt16LE(info.length, 42);
    head.writeUInt32LE(48 + name.length, 44);
    return Buffer.concat([head, name, info]);
}

function field(msg: Buffer, at: number): Buffer {
    const length = msg.readUInt16LE(at);
    const offset = msg.readUInt32LE(at + 4);
    if (offset + length > msg.length) throw new Error("field outside the message");
    return msg.subarray(offset, offset + length);
}

function messageType(token: Buffer): number {
    return token.length >= 12 && token.subarray(0, 8).equals(SIGNATURE) ? token.readUInt32LE(8) : 0;
}

export class FakeNtlm {
    /** Server challenge issued on each connection, until its type 3 arrives. */
    private readonly pending = new WeakMap<Socket, Buffer>();
    /** Type 3 messages accepted, with the user and domain they named. */
    readonly accepted: { user: string; domain: string }[] = [];

    constructor(private readonly user: string, private readonly password: string) {}

    /** What to do with a request carrying this Authorization header on this connection. */
    answer(socket: Socket, authorization: string | undefined): NtlmVerdict {
        const m = /^Negotiate ([A-Za-z0-9+/=]+)$/.exec(authorization ?? "");
        const token = m ? Buffer.from(m[1], "base64") : Buffer.alloc(0);
        const kind = messageType(token);
        if (kind === 1) {
            const challenge = randomBytes(8);
            this.pending.set(socket, challenge);
            return { status: "challenge", header: `Negotiate ${type2(challenge).toString("base64")}` };
        }
        const challenge = this.pending.get(socket);
        this.pending.delete(socket);
        if (kind === 3 && challenge !== undefined && this.verify(token, challenge)) return { status: "ok" };
        return { status: "refused", header: "Negotiate" };
    }

    private verify(msg: Buffer, challenge: Buffer): boolean {
        const nt = field(msg, 20);
        const domain = field(msg, 28).toString("ascii");
        const user = field(msg, 36).toString("ascii");
        if (nt.length <= 16 || user.toUpperCase() !== this.user.toUpperCase()) return false;
        const ntowfv2 = createHmac("md5", createNTLMHash(this.password)).update(Buffer.from(user.toUpperCase() + domain, "utf16le")).digest();
        const proof = createHmac("md5", ntowfv2).update(Buffer.concat([challenge, nt.subarray(16)])).digest();
        const ok = timingSafeEqual(proof, nt.subarray(0, 16));
        if (ok) this.accepted.push({ user, domain });
        return ok;
    }
}
