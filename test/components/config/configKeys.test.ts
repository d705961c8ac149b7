/**
 * Unknown keys (each namespace and nested object) and secrets set in plain text, through the real
 * program under the mock runtime, which marks secrets as the language host does.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../../components/config";
import { NovaConfigError } from "../../../components/config/parse";
import { hostSchema } from "../../../components/config/schemas";
import { CLOUDFLARE_KEYS } from "../../../components/config/stackKeys";
import { closest, editDistance } from "../../../components/config/words";
import { planOffline } from "../../../scripts/shared/planning/plan";
import { parseStackFile } from "../../../components/config/stackFile";
import { plan, program, ROOT, runRaw } from "../../support/harness";
import { REAL_HOST_KEY, siteStack } from "../../support/fixtures/siteValues";

/** The fields of a host, as the schema has them; the messages list every one. */
const HOST_SHAPE = `{${Object.keys(hostSchema.shape).join(", ")}}`;

const SECRETS = { "nova:sshPrivateKey": "k", "nova:winrmPassword": "p", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o"}' };

async function problems(stack: "prod" | "staging", overrides: Record<string, string | undefined>, secrets: Record<string, string> = SECRETS): Promise<readonly string[]> {
    const { resources, error } = await runRaw(siteStack(stack, overrides, secrets));
    if (!error) return [];
    expect(error).toBeInstanceOf(NovaConfigError);
    expect(resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    return (error as NovaConfigError).problems;
}

describe("unknown keys", () => {
    it("a committed stack with its site values and secrets has none", async () => {
        expect(await problems("prod", {})).toEqual([]);
        expect(await problems("staging", {})).toEqual([]);
    });

    it("nova: keys, with the closest known key", async () => {
        expect(await problems("prod", { "nova:appPrt": "8001" })).toEqual(["nova:appPrt: unknown key; did you mean nova:appPort?"]);
        expect(await problems("prod", { "nova:hostnmae": "x.itspirit.ovh" })).toEqual(["nova:hostnmae: unknown key; did you mean nova:hostname?"]);
        expect(await problems("prod", { "nova:somethingElse": "1" })).toEqual([
            "nova:somethingElse: unknown key; see the README's configuration reference for the keys of nova:",
        ]);
    });

    it("keys without a namespace", async () => {
        expect(await problems("prod", { appPort: "8001" })).toEqual(["appPort: unknown key; did you mean nova:appPort?"]);
    });

    it("cloudflare: keys, against the keys the provider declares", async () => {
        expect(await problems("prod", {}, { ...SECRETS, "cloudflare:apiTokn": "t" })).toEqual(["cloudflare:apiTokn: unknown key; did you mean cloudflare:apiToken?"]);
        expect(await problems("prod", {}, { ...SECRETS, "cloudflare:apiToken": "t" })).toEqual([]);
        expect(await problems("prod", { "cloudflare:baseUrl": "https://api.example.net" })).toEqual([]);
        // Other namespaces are not the program's to check.
        expect(await problems("prod", { "pulumi:tags": '{"team":"nova"}' })).toEqual([]);
    });

    it("the provider's keys are the ones @pulumi/cloudflare's config declares", () => {
        const dts = readFileSync(join(ROOT, "node_modules/@pulumi/cloudflare/config/vars.d.ts"), "utf8");
        const declared = [...dts.matchAll(/export declare const (\w+):/g)].map((m) => m[1]).sort();
        expect(declared).toContain("apiToken");
        expect(CLOUDFLARE_KEYS).toEqual(declared);
    });

    it("fields of nova:hosts entries", async () => {
        const hosts = JSON.stringify([{ name: "rondot", address: "10.20.0.10", user: "PPZ", hostKye: REAL_HOST_KEY }]);
        expect(await problems("prod", { "nova:hosts": hosts })).toEqual([
            `nova:hosts[0].hostKye: unknown field; did you mean hostKey? (accepted fields: ${HOST_SHAPE})`,
        ]);
    });

    it("fields of nova:zoneSettings", async () => {
        expect(await problems("prod", { "nova:zoneSettings": '{"tls31":"on"}' })).toEqual([
            "nova:zoneSettings.tls31: unknown field; did you mean tls13? (accepted fields: {alwaysUseHttps, automaticHttpsRewrites, minTlsVersion, tls13, zeroRtt, earlyHints, http3, browserCacheTtl, alwaysOnline, websockets})",
        ]);
    });

    it("a host's own credentialKey is a known key", async () => {
        const hosts = JSON.stringify([{ name: "rondot", address: "10.20.0.10", user: "PPZ", hostKey: REAL_HOST_KEY, credentialKey: "rondotKey" }]);
        const { "nova:sshPrivateKey": _unused, ...others } = SECRETS;
        expect(await problems("prod", { "nova:hosts": hosts }, { ...others, "nova:rondotKey": "k" })).toEqual([]);
    });

    it("the offline plan refuses them too", async () => {
        await expect(plan("prod", { "nova:appPrt": "8001" })).rejects.toThrow("nova:appPrt: unknown key; did you mean nova:appPort?");
    });

    it("a one-letter typo of any key is answered with a key one edit away", () => {
        const keys = CONFIG_KEYS.map((k) => k.key);
        fc.assert(
            fc.property(fc.constantFrom(...keys), fc.nat(), fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz"), (key, at, letter) => {
                const i = at % key.length;
                const typo = key.slice(0, i) + letter + key.slice(i + 1);
                fc.pre(!keys.includes(typo));
                const near = closest(typo, keys);
                expect(near).toBeDefined();
                // 0 when the typo only changes a letter's case (the distance ignores case).
                expect(editDistance(typo, near!)).toBeLessThanOrEqual(1);
            }),
        );
    });
});

describe("secrets set in plain text", () => {
    const plain = (key: string, value: string, others = SECRETS) => {
        const { [key as keyof typeof SECRETS]: _dropped, ...secrets } = others;
        return { overrides: { [key]: value }, secrets };
    };

    for (const key of ["nova:sshPrivateKey", "nova:appSecretEnv"] as const) {
        it(`${key} is refused, naming the key and the command, never the value`, async () => {
            const { overrides, secrets } = plain(key, SECRETS[key]);
            const found = await problems("prod", overrides, secrets);
            expect(found).toHaveLength(1);
            expect(found[0]).toMatch(new RegExp(`^${key}: set in plain text \\(value not shown\\)`));
            expect(found[0]).toContain(key === "nova:appSecretEnv" ? "`pulumi config set --secret --path 'nova:appSecretEnv.ANTHROPIC_API_KEY'`" : `\`pulumi config set --secret ${key} < ~/.ssh/nova_admin_ed25519\``);
            expect(found[0]).not.toContain('"a"');
        });
    }

    it("the offline plan reads which values a stack file encrypts (secure:)", async () => {
        const text = (key: string) =>
            readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8").replace("\nconfig:\n", `\nconfig:\n  nova:sshPrivateKey: ${key}\n`);
        const encrypted = parseStackFile("prod", text("\n    secure: AAABAJ2lHjI0"));
        expect(encrypted.secretKeys).toEqual(["nova:sshPrivateKey"]);
        expect((await planOffline(encrypted, program)).document.secretsToSet.map((x) => x.key)).not.toContain("nova:sshPrivateKey");
        await expect(planOffline(parseStackFile("prod", text("plain-key-text")), program)).rejects.toThrow(
            "nova:sshPrivateKey: set in plain text (value not shown); a secret must be encrypted: set it again with `pulumi config set --secret nova:sshPrivateKey < ~/.ssh/nova_admin_ed25519`",
        );
    });

    it("nova:winrmPassword is refused", async () => {
        const { overrides, secrets } = plain("nova:winrmPassword", "Pa55word!");
        const found = await problems("staging", overrides, secrets);
        expect(found).toEqual(["nova:winrmPassword: set in plain text (value not shown); a secret must be encrypted: set it again with `pulumi config set --secret nova:winrmPassword`"]);
        expect(found.join()).not.toContain("Pa55word!");
    });

    it("cloudflare:apiToken and a host's own credentialKey are refused", async () => {
        const hosts = JSON.stringify([{ name: "rondot", address: "10.20.0.10", user: "PPZ", hostKey: REAL_HOST_KEY, credentialKey: "rondotKey" }]);
        const found = await problems("prod", { "nova:hosts": hosts, "nova:rondotKey": "-----BEGIN KEY", "cloudflare:apiToken": "cf-token-123" }, { "nova:appSecretEnv": SECRETS["nova:appSecretEnv"] });
        expect(found).toEqual([
            "nova:rondotKey: set in plain text (value not shown); a secret must be encrypted: set it again with `pulumi config set --secret nova:rondotKey < ~/.ssh/nova_admin_ed25519`",
            "cloudflare:apiToken: set in plain text (value not shown); a secret must be encrypted: set it again with `pulumi config set --secret cloudflare:apiToken`",
        ]);
        expect(found.join()).not.toContain("cf-token-123");
    });

    it("appEnv names that look like secrets are refused, unless declared plain in nova:appEnvNotSecret", async () => {
        const env = JSON.stringify({ LOG_LEVEL: "info", STRIPE_API_KEY: "sk_live_123", GITHUB_TOKEN: "ghp_1", APP_SECRET: "s", DB_PASSWORD_FILE: "C:\\p", PUBLIC_KEY: "pk" });
        const found = await problems("prod", { "nova:appEnv": env });
        expect(found.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual([
            "nova:appEnv.STRIPE_API_KEY", "nova:appEnv.GITHUB_TOKEN", "nova:appEnv.APP_SECRET", "nova:appEnv.DB_PASSWORD_FILE", "nova:appEnv.PUBLIC_KEY",
        ]);
        expect(found[0]).toBe(
            "nova:appEnv.STRIPE_API_KEY: looks like a secret (its name ends in _KEY; value not shown) but appEnv is stored in plain text; add STRIPE_API_KEY to " +
                "nova:appSecretEnvKeys and set it with `pulumi config set --secret --path 'nova:appSecretEnv.STRIPE_API_KEY'`, or list it in nova:appEnvNotSecret if it is not a secret",
        );
        expect(found.join()).not.toContain("sk_live_123");
        const allowed = await problems("prod", { "nova:appEnv": JSON.stringify({ PUBLIC_KEY: "pk", LOG_LEVEL: "info" }), "nova:appEnvNotSecret": '["public_key"]' });
        expect(allowed).toEqual([]);
    });
});
