/**
 * Placeholders, cross-field checks and the wording of problems, through the real program under the
 * mock runtime (as a real preview validates) and through the offline plan (which lists placeholders).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { NovaConfigError } from "../../../components/config/parse";
import { CONFIG_KEYS } from "../../../components/config/keys";
import { HOST_FIELDS, hostSchema, ZONE_SETTING_FIELDS, zoneSettingsSchema } from "../../../components/config/schemas";
import { hostKeyPlaceholder } from "../../../components/config/placeholders";
import { show } from "../../../components/config/words";
import { one, plan, runRaw, stackWith } from "../../support/harness";
import { hostKeyLine, REAL_HOST_KEY, siteStack } from "../../support/fixtures/siteValues";

/** The fields of a host, as the schema has them; the messages list every one. */
const HOST_SHAPE = `{${Object.keys(hostSchema.shape).join(", ")}}`;

const SECRETS = { "nova:sshPrivateKey": "k", "nova:winrmPassword": "p", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o"}' };

async function problemsOf(config: Parameters<typeof runRaw>[0]): Promise<readonly string[]> {
    const { resources, error } = await runRaw(config);
    if (!error) return [];
    expect(error).toBeInstanceOf(NovaConfigError);
    expect(resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    return (error as NovaConfigError).problems;
}
const problems = (stack: "prod" | "staging", overrides: Record<string, string | undefined>, secrets: Record<string, string> = SECRETS) =>
    problemsOf(siteStack(stack, overrides, secrets));
const winrm = (fields: Record<string, unknown>) => JSON.stringify([{ name: "staging", address: "10.20.0.20", transport: "winrm", user: "Administrator", ...fields }]);

describe("placeholders", () => {
    it("a real run refuses the committed prod stack's placeholders, saying to set the real value and how", async () => {
        const found = await problemsOf(stackWith("prod", {}, SECRETS));
        expect(found).toEqual([
            'nova:accountId: "00000000000000000000000000000000" is the all-zero placeholder; set the real value (Cloudflare dashboard > the zone > Overview > Account ID) with `pulumi config set nova:accountId <id>`',
            'nova:hosts[0].address: "192.0.2.10" is a documentation address (TEST-NET, RFC 5737); set the real value: the address of the server as seen from where pulumi runs, with `pulumi config set --path \'nova:hosts[0].address\' <address>`',
            "nova:hosts[0].hostKey: the key data is not valid base64 (a placeholder?); set the real value: the output of `ssh-keyscan -t ed25519 192.0.2.10` without the host name, " +
                "with `pulumi config set --path 'nova:hosts[0].hostKey' '<type> <key>'`",
        ]);
    });

    it("and the staging stack's TEST-NET origin and host addresses", async () => {
        const found = await problemsOf(stackWith("staging", {}, SECRETS));
        expect(found.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual(["nova:originIp", "nova:hosts[0].address"]);
        expect(found.every((p) => p.includes("set the real value"))).toBe(true);
    });

    it("the offline plan renders them and lists them to set before a real preview", async () => {
        const p = await plan("prod");
        expect(p.document.placeholdersToSet.map((x) => x.key)).toEqual(["nova:accountId", "nova:hosts[0].address", "nova:hosts[0].hostKey"]);
        expect(p.document.placeholdersToSet[2].problem).toContain("ssh-keyscan -t ed25519 192.0.2.10");
        expect((await plan("staging")).document.placeholdersToSet.map((x) => x.key)).toEqual(["nova:originIp", "nova:hosts[0].address"]);
        expect((await planSite()).document.placeholdersToSet).toEqual([]);
    });

    it("a host key whose data is another type's, or not a whole key", () => {
        expect(hostKeyPlaceholder(REAL_HOST_KEY)).toBeUndefined();
        expect(hostKeyPlaceholder(hostKeyLine("ssh-rsa", 279).replace(/^ssh-rsa/, "rsa-sha2-512"))).toBeUndefined();
        expect(hostKeyPlaceholder(REAL_HOST_KEY.replace(/^ssh-ed25519/, "ssh-rsa"))).toBe("the key data holds a ssh-ed25519 key, not ssh-rsa");
        expect(hostKeyPlaceholder(hostKeyLine("ssh-ed25519", 16))).toBe("the key data is not one ed25519 key (32 bytes)");
        expect(hostKeyPlaceholder("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithTheKeyFromSshKeyscanOfTheServer")).toMatch(/not valid base64/);
    });

    it("any key data of the named type passes; the same data under another type does not", () => {
        fc.assert(
            fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
                const name = Buffer.from("ssh-ed25519");
                const blob = Buffer.concat([Buffer.from([0, 0, 0, name.length]), name, Buffer.from([0, 0, 0, 32]), Buffer.from(bytes)]).toString("base64");
                expect(hostKeyPlaceholder(`ssh-ed25519 ${blob}`)).toBeUndefined();
                expect(hostKeyPlaceholder(`ecdsa-sha2-nistp256 ${blob}`)).toBe("the key data holds a ssh-ed25519 key, not ecdsa-sha2-nistp256");
            }),
        );
    });

    it("an all-zero zone id, a documentation IPv6 origin", async () => {
        const found = await problems("staging", { "nova:zoneId": "0".repeat(32), "nova:originIpv6": "2001:db8::20" });
        expect(found.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual(["nova:zoneId", "nova:originIpv6"]);
    });

    it("a private origin behind the proxied record is refused by the plan as well", async () => {
        await expect(plan("staging", { "nova:originIp": "192.168.1.20" })).rejects.toThrow(
            'nova:originIp: expected a public address: the record is proxied and Cloudflare\'s edge cannot reach a private address (RFC 1918); set the real value, the server\'s public address, got "192.168.1.20"',
        );
    });
});

/** The prod plan with site values: nothing pending. */
function planSite() {
    const cfg = siteStack("prod");
    return plan("prod", cfg.values);
}

describe("cross-field checks", () => {
    const dir = mkdtempSync(join(tmpdir(), "nova-ca-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("a WinRM host with an ssh host key", async () => {
        expect(await problems("staging", { "nova:hosts": winrm({ hostKey: REAL_HOST_KEY }) })).toEqual([
            expect.stringMatching(/^nova:hosts\[0\]\.hostKey: expected no hostKey on a winrm host \(a host key is for ssh; WinRM HTTPS checks the certificate, see winrmCaFile\), got "ssh-ed25519 /),
        ]);
    });

    it("winrmCaFile missing, not PEM, or PEM", async () => {
        const missing = join(dir, "none.pem");
        expect(await problems("staging", { "nova:hosts": winrm({ winrmCaFile: missing }) })).toEqual([
            `nova:hosts[0].winrmCaFile: expected an existing PEM file (none at ${missing}), got ${JSON.stringify(missing)}; put the CA's PEM file there or set the real path with \`pulumi config set --path 'nova:hosts[0].winrmCaFile' <path>\``,
        ]);
        // The offline plan still renders it, and lists the file to put in place.
        const p = await plan("staging", { "nova:hosts": winrm({ winrmCaFile: missing }) }, SECRETS);
        expect(p.document.placeholdersToSet.map((x) => x.key)).toContain("nova:hosts[0].winrmCaFile");
        const text = join(dir, "ca.txt");
        writeFileSync(text, "not a certificate\n");
        expect(await problems("staging", { "nova:hosts": winrm({ winrmCaFile: text }) })).toEqual([
            `nova:hosts[0].winrmCaFile: expected a PEM file holding -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----, got ${JSON.stringify(text)}`,
        ]);
        const pem = join(dir, "ca.pem");
        writeFileSync(pem, "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n");
        expect(await problems("staging", { "nova:hosts": winrm({ winrmCaFile: pem }) })).toEqual([]);
    });

    it("port 5985 without winrmAllowHttp", async () => {
        expect(await problems("staging", { "nova:hosts": winrm({ port: 5985 }) })).toEqual([
            "nova:hosts[0].port: expected 5986 (WinRM over HTTPS), or winrmAllowHttp true to use plain HTTP on 5985, got 5985",
        ]);
        expect(await problems("staging", { "nova:hosts": winrm({ port: 5985, winrmAllowHttp: true }) })).toEqual([]);
    });

    it("browser_cache_ttl outside Cloudflare's list", async () => {
        const found = await problems("prod", { "nova:zoneSettings": '{"browserCacheTtl":100}' });
        expect(found).toEqual([expect.stringMatching(/^nova:zoneSettings\.browserCacheTtl: expected seconds, one of Cloudflare's values 0, 30, 60, .*31536000 .*, got 100$/)]);
        expect(await problems("prod", { "nova:zoneSettings": '{"browserCacheTtl":7200}' })).toEqual([]);
    });

    it("an edge TTL below the plan's minimum", async () => {
        expect(await problems("prod", { "nova:assetsEdgeTtl": "3600" })).toEqual([
            'nova:assetsEdgeTtl: expected at least 7200 seconds, the minimum edge cache TTL of the free plan (nova:zonePlan), got 3600',
        ]);
        expect(await problems("prod", { "nova:assetsEdgeTtl": "3600", "nova:zonePlan": "pro" })).toEqual([]);
        expect(await problems("prod", { "nova:assetsEdgeTtl": "60", "nova:zonePlan": "business" })).toEqual([]);
    });

    it("one list in one pass: values, unknown keys, plaintext and missing secrets together", async () => {
        const found = await problems("prod", { "nova:appPort": "0", "nova:appPrt": "1", "nova:sshPrivateKey": "k" }, { "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a"}' });
        expect(found.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual([
            "nova:appPrt", "nova:appPort", "nova:sshPrivateKey", "nova:appSecretEnv.OPENAI_API_KEY",
        ]);
    });
});

describe("wording", () => {
    it("never the schema library's text; the host fields in full", async () => {
        const found = [
            ...(await problems("prod", { "nova:hosts": "[]" })),
            ...(await problems("prod", { "nova:hosts": JSON.stringify([{ name: "rondot", address: 5, user: "PPZ", hostKey: REAL_HOST_KEY, port: 0, transport: "rdp" }]) })),
            ...(await problems("prod", { "nova:zoneSettings": '{"tls13":true,"minTlsVersion":"1.1"}' })),
            ...(await problems("prod", { "nova:hosts": '{"name":"x"}' })),
        ];
        for (const p of found) expect(p).not.toMatch(/Too small|Too big|Invalid input|Invalid option|Unrecognized key|received|expected array to have/);
        expect([...found].sort()).toEqual([
            `nova:hosts: expected a non-empty list of hosts ${HOST_SHAPE}, got []`,
            `nova:hosts[0].address: expected ${HOST_FIELDS.address}, got 5`,
            `nova:hosts[0].port: expected ${HOST_FIELDS.port}, got 0`,
            `nova:hosts[0].transport: expected ${HOST_FIELDS.transport}, got "rdp"`,
            'nova:zoneSettings.minTlsVersion: expected "1.2" or "1.3", got "1.1"',
            'nova:zoneSettings.tls13: expected "on" or "off", got true',
            `nova:hosts: expected a non-empty list of hosts ${HOST_SHAPE}, got {"name":"x"}`,
        ].sort());
    });

    it("every field of a host and of zoneSettings has its words, and the key's description lists it", () => {
        for (const field of ["name", "address", "port", "transport", "user", "hostKey", "credentialKey", "winrmAllowHttp", "winrmCaFile"]) expect(Object.keys(hostSchema.shape)).toContain(field);
        expect(Object.keys(HOST_FIELDS)).toEqual(Object.keys(hostSchema.shape));
        expect(Object.keys(ZONE_SETTING_FIELDS)).toEqual(Object.keys(zoneSettingsSchema.shape));
        const described = (key: string) => CONFIG_KEYS.find((k) => k.key === key)?.description ?? "";
        for (const field of Object.keys(hostSchema.shape)) expect(described("hosts")).toMatch(new RegExp(`[{ ,]${field}[ ,}]`));
        for (const field of Object.keys(zoneSettingsSchema.shape)) expect(described("zoneSettings")).toMatch(new RegExp(`[{ ,]${field}[ ,}]`));
    });

    it("a host that is not an object is shown with the fields a host takes", async () => {
        expect(await problems("prod", { "nova:hosts": '["rondot"]' })).toEqual([
            `nova:hosts[0]: expected an object ${HOST_SHAPE}, got "rondot"`,
        ]);
    });

    it("a missing host field says it is required and what it takes", async () => {
        expect(await problems("prod", { "nova:hosts": JSON.stringify([{ name: "rondot", address: "10.20.0.10", hostKey: REAL_HOST_KEY }]) })).toEqual([
            `nova:hosts[0].user: required; expected ${HOST_FIELDS.user}`,
        ]);
    });

    it("shows the value given cut to 80 characters", async () => {
        const long = `/${"x".repeat(200)} y`;
        const [p] = await problems("prod", { "nova:spaPath": long });
        const shown = p.slice(p.indexOf(", got ") + 6);
        expect(shown).toHaveLength(80);
        expect(shown).toBe(`${JSON.stringify(long).slice(0, 77)}...`);
    });

    it("any value is shown in at most 80 characters, whole when it fits", () => {
        fc.assert(
            fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json()), (value) => {
                const text = show(value);
                expect(text.length).toBeLessThanOrEqual(80);
                const whole = JSON.stringify(value);
                if (whole.length <= 80) expect(text).toBe(whole);
                else expect(text).toBe(`${whole.slice(0, 77)}...`);
            }),
        );
    });

    it("a DNS label over 63 characters says so", async () => {
        const label = "a".repeat(64);
        const [p] = await problems("prod", { "nova:hostname": `${label}.itspirit.ovh` });
        expect(p).toContain(`DNS labels of at most 63 characters (the label "${label.slice(0, 20)}..." has 64)`);
        const [q] = await problems("prod", { "nova:tunnelExtraHostnames": JSON.stringify([`${label}.itspirit.ovh`]) });
        expect(q).toContain("has a label of 64 characters (DNS labels are at most 63)");
    });
});

describe("Automatic SSL/TLS", () => {
    const SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
    it("the zone owner manages ssl_automatic_mode as custom, and ssl after it", async () => {
        const p = await plan("prod");
        const auto = one(p, SETTING, "nova-setting-ssl-automatic-mode");
        expect(auto.inputs).toMatchObject({ settingId: "ssl_automatic_mode", value: "custom" });
        const ssl = one(p, SETTING, "nova-setting-ssl");
        expect(ssl.inputs).toMatchObject({ settingId: "ssl", value: "full" });
        expect(ssl.dependencies).toContain(auto.urn);
    });

    it("a stack that does not own the zone leaves both alone", async () => {
        const p = await plan("staging");
        expect(p.run.resources.filter((r) => r.type === SETTING)).toEqual([]);
    });
});
