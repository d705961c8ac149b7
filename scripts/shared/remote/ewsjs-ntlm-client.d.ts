/** The API of @ewsjs/ntlm-client 3.0.1 (lib/ntlm.js), which ships no type declarations. */
declare module "@ewsjs/ntlm-client" {
    /** A decoded Type 2 (challenge) message; `version` 2 when it carries target information (NTLMv2). */
    export interface Type2Message {
        readonly signature: string;
        readonly type: number;
        readonly encoding: "ascii" | "ucs2";
        readonly version: number;
        readonly challenge: Buffer;
        readonly targetName: string;
        readonly flags: number;
        readonly targetInfo?: { readonly buffer: Buffer };
    }
    /** `NTLM <base64 Type 1 message>`. */
    export function createType1Message(workstation?: string, target?: string): string;
    /** Decodes `NTLM <base64>` (or `Negotiate <base64>`) of a WWW-Authenticate header. */
    export function decodeType2Message(header: string): Type2Message;
    /** `NTLM <base64 Type 3 message>`: NTLMv2 and LMv2 responses when the challenge is version 2. */
    export function createType3Message(type2: Type2Message, username: string, password: string, workstation?: string, target?: string): string;
}
