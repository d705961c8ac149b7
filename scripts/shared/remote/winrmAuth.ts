/**
 * How the WinRM runner authenticates. `negotiate` (the default) is NTLMv2 inside HTTP's Negotiate
 * scheme, which the WinRM service accepts out of the box (`Auth\Negotiate` is on, `Auth\Basic` off):
 * the password never crosses the wire, only an HMAC-MD5 proof over the server's challenge. `basic` is
 * the explicit opt-in for a service where Basic has been enabled.
 *
 * The NTLM messages and their cryptography come from @ewsjs/ntlm-client (MD4 from js-md4 in JS, as
 * Node 20's OpenSSL 3 has none; HMAC-MD5 from node:crypto); checked against the NTLMv2 example of
 * MS-NLMP 4.2.4 in test/scripts/shared/remote/winrmAuth.test.ts. This module only carries its tokens in the `Negotiate`
 * scheme and refuses a challenge without NTLMv2 target information, on which the library would fall
 * back to NTLMv1, and replaces the library's `Math.random` client challenge by `crypto.randomBytes`.
 * NTLM authenticates the connection: the three legs (type 1, challenge, type 3) go over
 * one kept-alive socket (the endpoint's agent holds one), and every request repeats the handshake, so a
 * connection the server closed in between costs nothing but a round trip.
 */
import { randomBytes } from "crypto";
import { createType1Message, createType3Message, decodeType2Message } from "@ewsjs/ntlm-client";
import type { WinrmAuth } from "../../../components/types";

/**
 * The library draws the NTLMv2 client challenge from `Math.random` (lib/hash.js
 * createPseudoRandomValue, which lib/ntlm.js calls through the module object): give it the system's
 * CSPRNG instead, same contract (a hex string of `length` digits).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ntlmHash = require("@ewsjs/ntlm-client/lib/hash") as { createPseudoRandomValue: (length: number) => string };
export function randomHex(length: number): string {
    return randomBytes(Math.ceil(length / 2)).toString("hex").slice(0, length);
}
ntlmHash.createPseudoRandomValue = randomHex;

export type { WinrmAuth };
export const WINRM_AUTHS: readonly WinrmAuth[] = ["negotiate", "basic"];

/** The Authorization header of a Basic request. */
export function basicAuthorization(user: string, password: string): string {
    return `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;
}

/** `DOMAIN\user` or `user@domain` as given; a bare name is a local account of the host. */
function splitUser(user: string): { user: string; domain?: string } {
    const backslash = user.indexOf("\\");
    if (backslash > 0) return { domain: user.slice(0, backslash), user: user.slice(backslash + 1) };
    return { user };
}

/** First leg: `Negotiate <NTLM type 1>`, naming no workstation. */
export function negotiateType1(): string {
    return createType1Message("", "").replace(/^NTLM /, "Negotiate ");
}

/** The server's challenge token from its WWW-Authenticate headers, or undefined when it sent none. */
export function negotiateChallenge(wwwAuthenticate: string | string[] | undefined): string | undefined {
    const headers = Array.isArray(wwwAuthenticate) ? wwwAuthenticate : wwwAuthenticate === undefined ? [] : [wwwAuthenticate];
    for (const header of headers) {
        const m = /^\s*Negotiate\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
        if (m) return m[1];
    }
    return undefined;
}

/** Third leg: `Negotiate <NTLM type 3>` answering `challenge` (base64); throws on a challenge we refuse. */
export function negotiateType3(challenge: string, user: string, password: string): string {
    const type2 = decodeType2Message(challenge);
    const info = type2.targetInfo?.buffer;
    if (type2.version !== 2 || !Buffer.isBuffer(info) || info.length === 0) {
        throw new Error("the server's NTLM challenge offers no NTLMv2 (no extended session security or target information)");
    }
    const who = splitUser(user);
    return createType3Message(type2, who.user, password, "", who.domain).replace(/^NTLM /, "Negotiate ");
}
