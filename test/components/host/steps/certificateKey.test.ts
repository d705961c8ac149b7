/**
 * The host-side key and CSR generation (components/host/steps/keyRequest.ts), executed in real
 * PowerShell (pwsh 7 in .tools/pwsh: `dotnet tool install PowerShell --version 7.6.9 --tool-path
 * .tools/pwsh`), and checked with OpenSSL and Node's crypto: the key is a valid P-256 key, the CSR is
 * signed by it for the hostname, and the certificate check tells a certificate for that key from one
 * for another. The same .NET APIs exist in Windows PowerShell 5.1 on .NET Framework 4.7.2. The scripts
 * run one after the other in one pwsh for the file, each as `pwsh -File` runs it (test/support/pwshBatch.ts).
 */
import { execFileSync } from "node:child_process";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csrFromStdout, renderCertificateInstall, renderCertificateRequest } from "../../../../components/host/steps/certificate";
import { ORIGIN_PULL_CA_PEM } from "../../../../components/host/steps/originPullCa";
import { sshHost, stagingConfig } from "../../../support/fixtures/configs";
import { HEALTH_TLS_FUNCTIONS } from "../../../../components/host/steps/health";
import { KEY_REQUEST_FUNCTIONS } from "../../../../components/host/steps/keyRequest";
import { psInt, psQuote } from "../../../../components/powershell";
import { makeTestCert } from "../../../support/test-cert";
import { serviceSid } from "../../../../components/host/serviceAccount";
import { type PwshSession, startPwshSession } from "../../../support/pwshBatch";

const PWSH = resolve(__dirname, "..", "..", "..", "..", ".tools", "pwsh", "pwsh");
const hasOpenssl = (() => {
    try {
        execFileSync("openssl", ["version"], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
})();
const runnable = existsSync(PWSH) && hasOpenssl;
if (!runnable) console.warn(`certificateKey.test.ts skipped: needs ${PWSH} (dotnet tool install PowerShell --version 7.6.9 --tool-path .tools/pwsh) and openssl`);

const HOST = "nova-staging.itspirit.ovh";
const dir = mkdtempSync(join(tmpdir(), "nova-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

let session: PwshSession | undefined;
afterAll(() => session?.close());
/** Runs `text` as a script file in the file's pwsh session; its stdout, or an error with its stderr when it exits non-zero. */
async function runText(text: string): Promise<string> {
    session ??= startPwshSession();
    const r = await session.run(text);
    if (r.status !== 0) throw new Error(`pwsh failed (exit ${r.status}): ${r.stderr}`);
    return r.stdout;
}
const pwsh = (body: string): Promise<string> => runText(`$ErrorActionPreference = 'Stop'\n${KEY_REQUEST_FUNCTIONS}\n${body}\n`);
const openssl = (...args: string[]) => execFileSync("openssl", args, { encoding: "utf8", cwd: dir });

describe.skipIf(!runnable)("origin key and CSR made by PowerShell", () => {
    const request = (prefix: string) =>
        `New-NovaOriginKeyRequest ${psQuote(HOST)} ${psQuote(at(`${prefix}.key`))} ${psQuote(at(`${prefix}.csr`))} ${psQuote(at(`${prefix}.pub`))}`;

    it("writes a P-256 SEC1 key, its public point and a CSR for the hostname signed by that key; the JSON line carries the CSR", async () => {
        const line = await pwsh(`${request("a")}\n[Console]::Out.WriteLine((ConvertTo-Json -Compress -InputObject ([ordered]@{ step = 'certificate-request'; changed = @('key-request'); csr = [System.IO.File]::ReadAllText(${psQuote(at("a.csr"))}) })))`);
        const keyPem = readFileSync(at("a.key"), "utf8");
        expect(keyPem.startsWith("-----BEGIN EC PRIVATE KEY-----\n")).toBe(true);
        const key = createPrivateKey({ key: keyPem, format: "pem" });
        expect(key.asymmetricKeyType).toBe("ec");
        expect(key.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
        const jwk = createPublicKey(key).export({ format: "jwk" }) as { x: string; y: string };
        const point = `04${Buffer.from(jwk.x, "base64url").toString("hex")}${Buffer.from(jwk.y, "base64url").toString("hex")}`;
        expect(readFileSync(at("a.pub"), "utf8")).toBe(point);

        const text = openssl("req", "-in", "a.csr", "-noout", "-verify", "-subject", "-text");
        expect(text).toContain(`CN = ${HOST}`);
        expect(text).toContain(`DNS:${HOST}`);
        const csrPublicKey = openssl("req", "-in", "a.csr", "-noout", "-pubkey");
        expect(csrPublicKey).toBe(createPublicKey(key).export({ format: "pem", type: "spki" }));
        expect(csrFromStdout(line)).toBe(readFileSync(at("a.csr"), "utf8"));
    });

    it("makes a new key each time (a renewal gets a fresh key)", async () => {
        await pwsh(request("b"));
        expect(readFileSync(at("b.pub"), "utf8")).not.toBe(readFileSync(at("a.pub"), "utf8"));
    });

    it("accepts a certificate issued for the request and refuses one for another key", async () => {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=test origin CA", "-days", "2");
        openssl("x509", "-req", "-in", "a.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "a.crt", "-days", "1");
        const check = (crt: string, pub: string) =>
            `[Console]::Out.WriteLine([string](Test-NovaCertificateMatchesKey ([System.IO.File]::ReadAllText(${psQuote(at(crt))})) ${psQuote(at(pub))}))`;
        const answers = (await pwsh([check("a.crt", "a.pub"), check("a.crt", "b.pub"), check("a.crt", "missing.pub")].join("\n"))).trim().split(/\r?\n/);
        expect(answers).toEqual(["True", "False", "False"]);
        // What uvicorn does with --ssl-certfile/--ssl-keyfile: Python's ssl loads the SEC1 key with its certificate.
        const python = ["python3", "python"].find((p) => {
            try {
                execFileSync(p, ["--version"], { stdio: "ignore" });
                return true;
            } catch {
                return false;
            }
        });
        if (python) {
            const loaded = execFileSync(python, ["-c", "import ssl,sys; c=ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); c.load_cert_chain(sys.argv[1], sys.argv[2]); print('loaded')", at("a.crt"), at("a.key")], { encoding: "utf8" });
            expect(loaded.trim()).toBe("loaded");
        }
    });
});

describe.skipIf(!runnable)("the direct-mode health probe, run by PowerShell", () => {
    it("sees the origin certificate on a backend that requires a client certificate, and tells another one apart", async () => {
        const origin = makeTestCert(HOST);
        const other = makeTestCert(HOST);
        // TLS 1.2 at most: Windows Server 2019's SChannel has no TLS 1.3, and in 1.2 the handshake fails before completing.
        const server = https.createServer({ key: origin.key, cert: origin.cert, requestCert: true, rejectUnauthorized: true, ca: other.ca, maxVersion: "TLSv1.2" }, (_q, r) => void r.end("ok"));
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
            const probe = async (certificate: string) =>
                (await runText([
                    "$ErrorActionPreference = 'Stop'",
                    `$NovaHealthPort = ${psInt((server.address() as AddressInfo).port)}`,
                    `$NovaHealthHost = ${psQuote(HOST)}`,
                    `$NovaOriginCertificate = ${psQuote(certificate)}`,
                    HEALTH_TLS_FUNCTIONS,
                    "[Console]::Out.WriteLine((Get-NovaHealthStatus))",
                ].join("\n"))).trim();
            writeFileSync(at("served.crt"), origin.cert);
            writeFileSync(at("other.crt"), other.cert);
            expect(await probe(at("served.crt"))).toBe("origin certificate");
            expect(await probe(at("other.crt"))).toMatch(/^another certificate: [0-9A-F]{40}$/);
        } finally {
            await new Promise<void>((r) => server.close(() => r()));
            rmSync(origin.dir, { recursive: true, force: true });
            rmSync(other.dir, { recursive: true, force: true });
        }
    });
});

/**
 * The two certificate steps' whole create and audit scripts, run twice. Windows ACLs and services do
 * not exist on Linux: the test puts stand-ins for the three ACL functions and Get-Service in front of
 * the checks (recording what was narrowed and which SIDs were given read), and maps the host's TLS directory to a scratch folder.
 */
describe.skipIf(!runnable)("the certificate steps, run by PowerShell", () => {
    const cfg = { ...stagingConfig, hostname: HOST, service: { ...stagingConfig.service, appDirectory: "C:\\app" } };
    const tlsDir = at("tls");
    // The narrowed paths persist in a file, as ACLs persist on the file system.
    const STUBS = String.raw`$NovaAclState = ${psQuote(at("narrowed.txt"))}
function Get-NovaNarrowed { if (Test-Path -LiteralPath $NovaAclState) { return @(Get-Content -LiteralPath $NovaAclState) }; return @() }
function Get-NovaAclText([string]$Path) {
  if (-not (Test-Path -LiteralPath $Path)) { return 'missing' }
  $line = @(Get-NovaNarrowed | Where-Object { $_.Split('|')[0] -eq $Path }) | Select-Object -Last 1
  if ($null -eq $line) { return 'owner:S-1-5-32-544;inherited;S-1-5-11:Modify:Allow' }
  $text = 'owner:S-1-5-32-544;protected;S-1-5-18:FullControl:Allow;S-1-5-32-544:FullControl:Allow'
  foreach ($sid in @($line.Split('|') | Select-Object -Skip 1 | Where-Object { $_ })) { $text += ';' + $sid + ':ReadAndExecute:Allow' }
  return $text
}
function Set-NovaAdminOnlyAcl([string]$Path, [string[]]$Readers = @()) { Add-Content -LiteralPath $NovaAclState -Value ((@($Path) + $Readers) -join '|') }
function Set-NovaAdminOnlyDirectory([string]$Path) { Add-Content -LiteralPath $NovaAclState -Value $Path }
function Get-Service { return $null }`;
    /**
     * The script with stand-ins before its first check and the host paths mapped to the scratch folder.
     * pwsh 7.6's ConvertTo-Json fails ("Argument types do not match") on `@(<List[object]>)` of
     * ordered dictionaries, which Windows PowerShell 5.1 serializes: the shared audit footer is given
     * the list's array instead.
     */
    const local = (script: string, firstCheck: string) => {
        const mapped = script.replace("items = @($NovaItems)", "items = $NovaItems.ToArray()").split("C:\\app\\tls\\").join(`${tlsDir}/`).split("C:\\app\\tls").join(tlsDir);
        const at0 = mapped.indexOf(`\n# ${firstCheck}\n`);
        if (at0 < 0) throw new Error(`no check ${firstCheck}`);
        return `${mapped.slice(0, at0)}\n${STUBS}${mapped.slice(at0)}`;
    };
    const runScript = async (script: string, certificate?: string): Promise<{ step: string; changed?: string[]; items?: { item: string; actual: string; ok: boolean }[]; csr?: string }> => {
        const file = at(`step-${Math.random().toString(36).slice(2)}.ps1`);
        writeFileSync(file, script);
        const call = certificate === undefined ? `& ${psQuote(file)}` : `& ${psQuote(file)} ([pscustomobject]@{ originCertificate = ${psQuote(certificate)} })`;
        const out = (await pwsh(call)).trim().split(/\r?\n/);
        return JSON.parse(out[out.length - 1]);
    };
    const request = (period: string) => runScript(local(renderCertificateRequest(cfg, sshHost, period).create, "tls-directory"));
    const install = (period: string, certificate?: string, kind: "create" | "audit" = "create") =>
        runScript(local(renderCertificateInstall(cfg, sshHost, period)[kind], "origin-key"), certificate);
    /** Signs as the Origin CA would, with a throwaway CA of this test. */
    const sign = (csr: string, name: string) => {
        if (!existsSync(at("steps-ca.crt"))) {
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "steps-ca.key", "-out", "steps-ca.crt", "-subj", "/CN=test origin CA", "-days", "2");
        }
        writeFileSync(at(`${name}.csr`), csr);
        openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "steps-ca.crt", "-CAkey", "steps-ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "1");
        return readFileSync(at(`${name}.crt`), "utf8");
    };

    it("makes the key and CSR once per period, installs the issued certificate once, and a second run of each changes nothing", async () => {
        const first = await request("2026-07-02");
        expect(first.changed).toEqual(["tls-directory", "key-request", "request-key-acl"]);
        const again = await request("2026-07-02");
        expect(again.changed).toEqual([]);
        expect(again.csr).toBe(first.csr);
        const csr = csrFromStdout(JSON.stringify(first));

        const certificate = sign(csr, "issued");
        expect((await install("2026-07-02", certificate)).changed).toEqual(["origin-key", "origin-certificate", "origin-pull-ca", "origin-key-acl", "origin-certificate-acl", "origin-pull-ca-acl"]);
        expect(readFileSync(join(tlsDir, "origin.crt"), "utf8")).toBe(certificate);
        expect(readFileSync(join(tlsDir, "origin.key"), "utf8")).toBe(readFileSync(join(tlsDir, `request-2026-07-02-${HOST}.key`), "utf8"));
        expect(readFileSync(join(tlsDir, "origin-pull-ca.pem"), "utf8")).toBe(ORIGIN_PULL_CA_PEM);
        expect((await install("2026-07-02", certificate)).changed).toEqual([]);
        // Narrowed to SYSTEM and Administrators: the directory (inherited by what is made in it) and the request's key;
        // what uvicorn loads (key, certificate, origin-pull CA) is also readable by the service's virtual account.
        const reader = serviceSid(cfg.service.name);
        expect(readFileSync(at("narrowed.txt"), "utf8").trim().split(/\r?\n/)).toEqual([
            tlsDir,
            join(tlsDir, `request-2026-07-02-${HOST}.key`),
            `${join(tlsDir, "origin.key")}|${reader}`,
            `${join(tlsDir, "origin.crt")}|${reader}`,
            `${join(tlsDir, "origin-pull-ca.pem")}|${reader}`,
        ]);
    });

    it("audits without the issued certificate: the installed one is for the key, and its expiry is shown (flagged within 30 days)", async () => {
        const audit = await install("2026-07-02", undefined, "audit");
        const item = (name: string) => audit.items?.find((i) => i.item === name);
        expect(item("origin-certificate")).toMatchObject({ actual: "issued for the key request", ok: true });
        expect(item("certificate-expiry")?.actual).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(item("certificate-expiry")?.ok).toBe(false);
    });

    it("refuses a certificate issued for another key, changing nothing", async () => {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "stranger.key", "-out", "stranger.csr", "-subj", `/CN=${HOST}`);
        const stranger = sign(readFileSync(at("stranger.csr"), "utf8"), "stranger");
        const before = readFileSync(join(tlsDir, "origin.crt"), "utf8");
        await expect(install("2026-07-02", stranger)).rejects.toThrow(/the issued certificate is not for the key request of 2026-07-02/);
        expect(readFileSync(join(tlsDir, "origin.crt"), "utf8")).toBe(before);
    });

    it("renews: a new period makes a new key, whose certificate replaces the old one and the old request", async () => {
        const next = await request("2027-01-01");
        expect(next.changed).toEqual(["key-request", "request-key-acl"]);
        const certificate = sign(csrFromStdout(JSON.stringify(next)), "renewed");
        expect((await install("2027-01-01", certificate)).changed).toEqual(["origin-key", "origin-certificate", "stale-requests"]);
        expect(readFileSync(join(tlsDir, "origin.key"), "utf8")).toBe(readFileSync(join(tlsDir, `request-2027-01-01-${HOST}.key`), "utf8"));
        expect(existsSync(join(tlsDir, `request-2026-07-02-${HOST}.key`))).toBe(false);
    });

    it("delete removes the steps' files, and their directory only when nothing else is left in it", async () => {
        const remove = () => runScript(renderCertificateRequest(cfg, sshHost, "2026-07-02").delete!.split("C:\\app\\tls").join(tlsDir));
        await request("2026-07-02");
        const sign2 = sign(csrFromStdout(JSON.stringify(await request("2026-07-02"))), "issued-delete");
        await install("2026-07-02", sign2);
        writeFileSync(join(tlsDir, "kept.txt"), "not ours");
        expect((await remove()).changed).toEqual(["removed"]);
        expect(readdirSync(tlsDir)).toEqual(["kept.txt"]);
        rmSync(join(tlsDir, "kept.txt"));
        await request("2026-07-02");
        expect((await remove()).changed).toEqual(["removed", "removed-directory"]);
        expect(existsSync(tlsDir)).toBe(false);
        expect((await remove()).changed).toEqual([]);
    });
});
