/**
 * Negotiate (NTLMv2) authentication of the WinRM runner: the library's cryptography against the
 * NTLMv2 example of MS-NLMP 4.2.4, then whole runs against the loopback WinRM listener with an NTLMv2
 * server side (test/support/fake-ntlm.ts) over HTTPS.
 */
import * as fs from "fs";
import { createHmac } from "crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { bootstrapCommand, buildStdin } from "../../../../components/host/bootstrap";
import { RemoteUnavailableError, type WinrmTarget } from "../../../../scripts/shared/remote/types";
import { runWinrm } from "../../../../scripts/shared/remote/winrm";
import { negotiateChallenge, negotiateType1, negotiateType3, randomHex } from "../../../../scripts/shared/remote/winrmAuth";
import { settingsFromEnv } from "../../../../scripts/winrmRun";
import { startFakeWinrm, type FakeWinrm } from "../../../support/fake-winrm";
import { FAKE_TARGET } from "../../../support/fake-ntlm";
import { makeTestCert, type TestCert } from "../../../support/test-cert";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hash = require("@ewsjs/ntlm-client/lib/hash") as {
    createNTLMHash(password: string): Buffer;
    createLMv2Response(t2: object, user: string, ntHash: Buffer, nonce: string, target: string): Buffer;
    createNTLMv2Response(t2: object, user: string, ntHash: Buffer, nonce: string, target: string): Buffer;
};

describe("NTLMv2 of @ewsjs/ntlm-client against MS-NLMP 4.2.4 (User, Domain, Password)", () => {
    // MS-NLMP 4.2.4.1: server challenge, client challenge, the AV pairs of the example (NetBIOS domain
    // "Domain", NetBIOS computer "Server"), time 0.
    const t2 = {
        challenge: Buffer.from("0123456789abcdef", "hex"),
        targetInfo: { buffer: Buffer.from("02000c0044006f006d00610069006e0001000c0053006500720076006500720000000000", "hex") },
    };
    const ntHash = hash.createNTLMHash("Password");

    it("NTOWFv1 (MD4 of the password) and NTOWFv2", () => {
        expect(ntHash.toString("hex")).toBe("a4f49c406510bdcab6824ee7c30fd852");
        const ntowfv2 = createHmac("md5", ntHash).update(Buffer.from("USERDomain", "utf16le")).digest("hex");
        expect(ntowfv2).toBe("0c868a403bfd7a93a3001ef22ef02e3f");
    });

    it("the LMv2 response and the NTProofStr of the NTLMv2 response", () => {
        expect(hash.createLMv2Response(t2, "User", ntHash, "aaaaaaaaaaaaaaaa", "Domain").toString("hex")).toBe("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
        const now = vi.spyOn(Date, "now").mockReturnValue(-11_644_473_600_000); // FILETIME 0
        try {
            const response = hash.createNTLMv2Response(t2, "User", ntHash, "aaaaaaaaaaaaaaaa", "Domain");
            expect(response.subarray(0, 16).toString("hex")).toBe("68cd0ab851e51c96aabc927bebef6a1c");
        } finally {
            now.mockRestore();
        }
    });
});

describe("Negotiate tokens", () => {
    it("carries the library's NTLM messages in the Negotiate scheme", () => {
        const t1 = negotiateType1();
        expect(t1).toMatch(/^Negotiate [A-Za-z0-9+/=]+$/);
        const msg = Buffer.from(t1.split(" ")[1], "base64");
        expect([msg.subarray(0, 8).toString("latin1"), msg.readUInt32LE(8)]).toEqual(["NTLMSSP\0", 1]);
    });

    it("reads the challenge from the headers, ignoring other schemes", () => {
        expect(negotiateChallenge(["Kerberos", "Negotiate TlRMTVNTUAACAAAA"])).toBe("TlRMTVNTUAACAAAA");
        expect(negotiateChallenge("Negotiate")).toBeUndefined();
        expect(negotiateChallenge(undefined)).toBeUndefined();
    });

    it("draws the client challenge from the system's CSPRNG, not the library's Math.random", () => {
        const lib = require("@ewsjs/ntlm-client/lib/hash") as { createPseudoRandomValue: (n: number) => string };
        expect(lib.createPseudoRandomValue).toBe(randomHex);
        const random = vi.spyOn(Math, "random");
        const values = new Set(Array.from({ length: 50 }, () => lib.createPseudoRandomValue(16)));
        expect(random).not.toHaveBeenCalled();
        random.mockRestore();
        expect(values.size).toBe(50);
        for (const v of values) expect(v).toMatch(/^[0-9a-f]{16}$/);
    });

    it("refuses a challenge without NTLMv2 target information (the library would answer with NTLMv1)", () => {
        const v1 = Buffer.alloc(48);
        Buffer.from("NTLMSSP\0", "latin1").copy(v1, 0);
        v1.writeUInt32LE(2, 8);
        v1.writeUInt32LE(0x2 | 0x200, 20); // OEM, NTLM: no extended session security, no target info
        expect(() => negotiateType3(v1.toString("base64"), "Administrator", "pw")).toThrow(/offers no NTLMv2/);
    });
});

const USER = "Administrator";
const PASSWORD = "S3cret-pässword-42!";
const STDIN = buildStdin("Write-Output 'hello'\n");

let cert: TestCert;
let fake: FakeWinrm;
beforeAll(async () => {
    cert = makeTestCert("winrm.test", "IP:127.0.0.1");
    fake = await startFakeWinrm({ user: USER, password: PASSWORD, tls: { key: cert.key, cert: cert.cert }, auth: "negotiate" });
});
afterAll(async () => {
    await fake?.close();
    if (cert !== undefined) fs.rmSync(cert.dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

function target(over: Partial<WinrmTarget> = {}): WinrmTarget {
    return { transport: "winrm", host: "127.0.0.1", port: fake.port, user: USER, password: PASSWORD, auth: "negotiate", allowHttp: false, caPem: cert.ca.toString(), ...over };
}

describe("a run with Negotiate over HTTPS", () => {
    it("authenticates every request with NTLMv2 and runs the bootstrap with the stdin document", async () => {
        fake.answer = { stdout: "ok\n", stderr: "", exitCode: 0 };
        const result = await runWinrm(target(), STDIN, 10_000);
        expect(result).toEqual({ exitCode: 0, stdout: "ok\n", stderr: "" });
        expect(fake.record.commandLines).toEqual([bootstrapCommand()]);
        expect(fake.record.stdin.toString("utf8")).toBe(STDIN);
        expect(fake.record.authFailures).toBe(0);
        for (const body of fake.record.bodies) expect(body).not.toContain(PASSWORD);
    });

    it("accepts DOMAIN\\user, naming the domain in the type 3 message", async () => {
        await runWinrm(target({ user: `${FAKE_TARGET}\\${USER}` }), STDIN, 10_000);
        expect(fake.record.authFailures).toBe(0);
    });

    it("reports a wrong password as auth, without the password, and runs nothing", async () => {
        const err = await runWinrm(target({ password: "wrong-Pässword-9" }), STDIN, 5_000).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(RemoteUnavailableError);
        expect((err as RemoteUnavailableError).reason).toBe("auth");
        expect((err as Error).message).toContain(`refused user "${USER}" (HTTP 401): check the password and that the account is an administrator of the host (Negotiate/NTLM)`);
        expect((err as Error).message).not.toContain("wrong-Pässword-9");
        expect(fake.record.commandLines).toEqual([]);
    });

    it("Basic against a service that offers only Negotiate says how to go on", async () => {
        const err = await runWinrm(target({ auth: "basic" }), STDIN, 5_000).catch((e: unknown) => e);
        expect((err as RemoteUnavailableError).reason).toBe("auth");
        expect((err as Error).message).toContain("Basic authentication is not enabled on the WinRM service (it offers Negotiate)");
        expect((err as Error).message).toContain("use winrmAuth negotiate (the default)");
    });
});

describe("the runner's setting", () => {
    const env = { NOVA_WINRM_HOST: "h", NOVA_WINRM_PORT: "5986", NOVA_WINRM_USER: "u", NOVA_WINRM_PASSWORD: "p" };
    it("defaults to negotiate, takes basic as the explicit opt-in, and refuses anything else", () => {
        expect(settingsFromEnv(env, () => "").target.auth).toBe("negotiate");
        expect(settingsFromEnv({ ...env, NOVA_WINRM_AUTH: "basic" }, () => "").target.auth).toBe("basic");
        expect(() => settingsFromEnv({ ...env, NOVA_WINRM_AUTH: "ntlm" }, () => "")).toThrow('NOVA_WINRM_AUTH must be "negotiate" or "basic", got "ntlm"');
    });
});
