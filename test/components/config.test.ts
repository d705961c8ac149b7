import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../components/config";
import { NovaConfigError } from "../../components/config/parse";
import { plan, runRaw } from "../support/harness";
import { REAL_HOST_KEY, siteStack as stackWith } from "../support/fixtures/siteValues";

/** One wrong value per key, with the stack it is tried on (some keys only matter in one mode). */
const BAD: Record<string, { stack: "prod" | "staging"; value: string; accepted: string; with?: Record<string, string> }> = {
    zoneName: { stack: "prod", value: "Example..com", accepted: "fully qualified DNS name" },
    zoneId: { stack: "prod", value: "xyz", accepted: "32 lower-case hexadecimal" },
    accountId: { stack: "prod", value: "123", accepted: "32 lower-case hexadecimal" },
    hostname: { stack: "prod", value: "nova.example.com", accepted: "inside the zone itspirit.ovh" },
    ingressMode: { stack: "prod", value: "proxy", accepted: "one of tunnel, direct" },
    originIp: { stack: "staging", value: "300.1.1.1", accepted: "an IPv4 address" },
    originIpv6: { stack: "staging", value: "2001:zz::1", accepted: "an IPv6 address" },
    appPort: { stack: "prod", value: "80a", accepted: "an integer 1-65535" },
    spaPath: { stack: "prod", value: "mail-to-biz", accepted: "starting with /" },
    apiPath: { stack: "prod", value: "/api/", accepted: "no trailing slash" },
    wsPath: { stack: "prod", value: "/w s", accepted: "starting with /" },
    healthPath: { stack: "prod", value: "health", accepted: "starting with /" },
    assetsPath: { stack: "prod", value: "/a'b", accepted: "starting with /" },
    manageZone: { stack: "prod", value: "yes", accepted: "true or false" },
    zoneHostnames: { stack: "prod", value: '["nova.example.com"]', accepted: "is outside the zone itspirit.ovh" },
    sslMode: { stack: "prod", value: "flexible", accepted: "one of full, strict" },
    aop: { stack: "staging", value: "maybe", accepted: "true or false" },
    originCertificateDays: { stack: "staging", value: "100", accepted: "one of 7, 30, 90, 365, 730, 1095, 5475" },
    appModule: { stack: "staging", value: "main.py", accepted: "module:attribute" },
    zoneSettings: { stack: "prod", value: '{"minTlsVersion":"1.3","tls13":"off"}', accepted: "minTlsVersion \"1.3\" needs tls13 \"on\"" },
    unmanagedSettings: { stack: "prod", value: '["brotli"]', accepted: "unknown setting id \"brotli\"" },
    waf: { stack: "prod", value: "on", accepted: "one of managed, owasp, off" },
    rootPath: { stack: "prod", value: "home", accepted: "one of redirect, rewrite, none" },
    rulesEngine: { stack: "prod", value: "pagerules", accepted: "one of rulesets, pageRules" },
    assetsEdgeTtl: { stack: "prod", value: "-5", accepted: "an integer 1-31536000" },
    zonePlan: { stack: "prod", value: "premium", accepted: "one of free, pro, business, enterprise" },
    tunnelName: { stack: "prod", value: "nova tunnel", accepted: "a tunnel name" },
    tunnelExtraHostnames: { stack: "prod", value: '["*.itspirit.ovh"]', accepted: "is a wildcard" },
    hosts: { stack: "prod", value: JSON.stringify([{ name: "Bad Name", address: "10.0.0.1", user: "u", hostKey: REAL_HOST_KEY }]), accepted: "a name of lower-case letters" },
    sshPrivateKey: { stack: "prod", value: "", accepted: "required secret is not set" },
    winrmPassword: { stack: "staging", value: "", accepted: "required secret is not set" },
    serviceName: { stack: "prod", value: "NOVA Backend", accepted: "a Windows service name" },
    appDirectory: { stack: "prod", value: "NOVA-SERVER", accepted: "an absolute Windows path" },
    pythonExe: { stack: "prod", value: 'C:\\a"b.exe', accepted: "without < > \" | ? *" },
    entryPoint: { stack: "prod", value: "..\\main.py", accepted: "relative to appDirectory" },
    logDirectory: { stack: "prod", value: "C:\\logs\\x|y", accepted: "without < > \" | ? *" },
    appEnv: { stack: "prod", value: '{"APP_PORT":"1"}', accepted: "set by the program" },
    appEnvNotSecret: { stack: "prod", value: '["9LIVES"]', accepted: "an environment variable name" },
    appSecretEnvKeys: { stack: "prod", value: '["ANTHROPIC_API_KEY","OPENAI_API_KEY","1BAD"]', accepted: "an environment variable name" },
    appSecretEnv: { stack: "prod", value: '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o","OTHER":"x"}', accepted: "only the names listed in nova:appSecretEnvKeys" },
    nssmVersion: { stack: "prod", value: "2.24 beta", accepted: "a version" },
    nssmUrl: { stack: "prod", value: "ftp://mirror/nssm.zip", accepted: "an http(s) URL" },
    nssmSha256: { stack: "prod", value: "abc", accepted: "a SHA-256 of 64 hexadecimal" },
    cloudflaredVersion: { stack: "prod", value: "2025.1.0", accepted: "2026.7.3 or later", with: { "nova:cloudflaredSha256": "a".repeat(64) } },
    cloudflaredUrl: { stack: "prod", value: "https://mirror/cf'.exe", accepted: "an http(s) URL" },
    cloudflaredSha256: { stack: "prod", value: "zz", accepted: "a SHA-256 of 64 hexadecimal" },
    healthTimeoutSeconds: { stack: "prod", value: "0", accepted: "an integer 5-3600" },
    serviceEnv: { stack: "prod", value: '{"PYTHONUTF8":"0"}', accepted: "a name other than PYTHONUTF8" },
    stepTimeoutSeconds: { stack: "prod", value: "5", accepted: "an integer 60-86400" },
    serviceAccount: { stack: "prod", value: "SYSTEM", accepted: "one of virtual, LocalSystem" },
    fixFolderAcls: { stack: "prod", value: "yes", accepted: "true or false" },
    removeGuideLeftovers: { stack: "prod", value: "maybe", accepted: "true or false" },
};

const SECRETS = { "nova:sshPrivateKey": "k", "nova:winrmPassword": "p", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o"}' };

describe("stack configuration", () => {
    it("has a wrong-value case for every key", () => {
        expect(Object.keys(BAD).sort()).toEqual(CONFIG_KEYS.map((k) => k.key).sort());
    });

    for (const [key, { stack, value, accepted, with: also }] of Object.entries(BAD)) {
        it(`refuses a wrong nova:${key}, naming the key, and registers nothing`, async () => {
            const full = `nova:${key}`;
            const secrets: Record<string, string> = Object.fromEntries(Object.entries(SECRETS).filter(([k]) => k !== full));
            const secret = CONFIG_KEYS.find((k) => k.key === key)?.secret === true;
            if (secret && value !== "") secrets[full] = value;
            const config = stackWith(stack, { ...also, ...(secret ? {} : { [full]: value === "" ? undefined : value }) }, secrets);
            const { resources, error } = await runRaw(config);
            expect(error).toBeInstanceOf(NovaConfigError);
            const problems = (error as NovaConfigError).problems;
            expect(problems).toHaveLength(1);
            expect(problems[0].startsWith(full)).toBe(true);
            expect(problems[0]).toContain(accepted);
            expect(resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
        });
    }

    it("shows the value given and what is accepted", async () => {
        const { error } = await runRaw(stackWith("prod", { "nova:appPort": "80a" }, SECRETS));
        expect((error as NovaConfigError).problems).toEqual(['nova:appPort: expected an integer 1-65535, got "80a"']);
    });

    it("reports every bad key at once", async () => {
        const { resources, error } = await runRaw(stackWith("prod", { "nova:appPort": "0", "nova:ingressMode": "vpn", "nova:serviceName": "a b" }, SECRETS));
        const problems = (error as NovaConfigError).problems;
        expect(problems.map((p) => p.split(":").slice(0, 2).join(":")).sort()).toEqual(["nova:appPort", "nova:ingressMode", "nova:serviceName"]);
        expect(resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    });

    it("requires originIp in direct mode only", async () => {
        const { error } = await runRaw(stackWith("staging", { "nova:originIp": undefined }, SECRETS));
        expect((error as NovaConfigError).problems).toEqual([expect.stringMatching(/^nova:originIp: required in direct mode/)]);
        const { error: none } = await runRaw(stackWith("prod", {}, SECRETS));
        expect(none).toBeUndefined();
    });

    it("refuses Page Rules with a rewrite of /", async () => {
        const { error } = await runRaw(stackWith("prod", { "nova:rulesEngine": "pageRules", "nova:rootPath": "rewrite", "nova:zoneHostnames": "[]" }, SECRETS));
        expect((error as NovaConfigError).problems).toEqual([expect.stringMatching(/^nova:rootPath: "rewrite" needs nova:rulesEngine "rulesets"/)]);
    });

    it("refuses zone-wide options on a stack that does not own the zone, but not their defaults", async () => {
        const { error } = await runRaw(stackWith("staging", { "nova:waf": "managed", "nova:rootPath": "rewrite", "nova:sslMode": "" }, SECRETS));
        expect((error as NovaConfigError).problems.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual(["nova:waf", "nova:rootPath"]);
        expect((error as NovaConfigError).problems[0]).toContain("has no effect with nova:manageZone false");
    });

    it("refuses other hostnames with Page Rules", async () => {
        const { error } = await runRaw(stackWith("prod", { "nova:rulesEngine": "pageRules" }, SECRETS));
        expect((error as NovaConfigError).problems).toEqual([expect.stringMatching(/^nova:zoneHostnames: expected an empty list with nova:rulesEngine pageRules/)]);
    });

    it("treats environment names that differ only in case as the same variable, as Windows does", async () => {
        const dup = await runRaw(stackWith("prod", { "nova:appSecretEnvKeys": '["ANTHROPIC_API_KEY","OPENAI_API_KEY","openai_api_key"]' }, SECRETS));
        expect((dup.error as NovaConfigError).problems.filter((p) => p.startsWith("nova:appSecretEnvKeys"))).toEqual([
            'nova:appSecretEnvKeys[2]: expected a name listed once (case ignored), not in nova:appEnv nor set by the program, got "openai_api_key"',
        ]);
        const both = await runRaw(stackWith("prod", { "nova:appEnv": '{"Log_Level":"a","LOG_LEVEL":"b"}' }, SECRETS));
        expect((both.error as NovaConfigError).problems).toEqual([
            "nova:appEnv.Log_Level: expected a name used once (Windows ignores the case of environment names)",
            "nova:appEnv.LOG_LEVEL: expected a name used once (Windows ignores the case of environment names)",
        ]);
    });

    it("requires a host key for ssh hosts", async () => {
        const hosts = JSON.stringify([{ name: "a", address: "10.0.0.1", user: "Administrator" }]);
        const { error } = await runRaw(stackWith("prod", { "nova:hosts": hosts }, SECRETS));
        expect((error as NovaConfigError).problems).toEqual([expect.stringMatching(/^nova:hosts\[0\]\.hostKey: required for ssh hosts/)]);
    });

    it("refuses a WinRM CA file together with plain HTTP", async () => {
        const hosts = JSON.stringify([{ name: "a", address: "10.0.0.1", transport: "winrm", user: "Administrator", winrmAllowHttp: true, winrmCaFile: "ca.pem" }]);
        const { error } = await runRaw(stackWith("staging", { "nova:hosts": hosts }, SECRETS));
        expect((error as NovaConfigError).problems).toEqual(['nova:hosts[0].winrmCaFile: expected no CA file with winrmAllowHttp (a CA applies to HTTPS only), got "ca.pem"']);
    });

    it("takes winrmAuth negotiate (the default) or basic on WinRM hosts only", async () => {
        const host = { name: "a", address: "192.0.2.1", transport: "winrm", user: "Administrator" };
        const basic = await plan("staging", { "nova:hosts": JSON.stringify([{ ...host, winrmAuth: "basic" }]) }, SECRETS);
        expect(basic.config.hosts[0].winrmAuth).toBe("basic");
        const bad = await runRaw(stackWith("staging", { "nova:hosts": JSON.stringify([{ ...host, winrmAuth: "ntlm" }]) }, SECRETS));
        expect((bad.error as NovaConfigError).problems).toEqual([expect.stringMatching(/^nova:hosts\[0\]\.winrmAuth: expected .*"negotiate".*"basic".*, got "ntlm"$/)]);
        const ssh = { name: "a", address: "nova-host.example.net", user: "PPZ", hostKey: REAL_HOST_KEY, winrmAuth: "basic" };
        const wrong = await runRaw(stackWith("prod", { "nova:hosts": JSON.stringify([ssh]) }, SECRETS));
        expect((wrong.error as NovaConfigError).problems).toEqual(['nova:hosts[0].transport: expected winrm when winrmAllowHttp, winrmAuth or winrmCaFile is set, got "ssh"']);
    });

    it("names the missing secret and the command that sets it", async () => {
        const { error } = await runRaw(stackWith("prod", {}, { "nova:sshPrivateKey": "k", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a"}' }));
        expect((error as NovaConfigError).problems).toEqual([
            "nova:appSecretEnv.OPENAI_API_KEY: required secret is not set; set it with `pulumi config set --secret --path 'nova:appSecretEnv.OPENAI_API_KEY'`",
        ]);
    });

    it("reads an empty string as unset (Pulumi.yaml's default for optional keys)", async () => {
        const p = await plan("prod", { "nova:zoneId": "", "nova:tunnelName": "" });
        expect(p.config.zoneId).toBeUndefined();
        expect(p.config.tunnel.name).toBe("nova-prod");
    });

    it("yields an immutable configuration", async () => {
        const p = await plan("prod");
        expect(Object.isFrozen(p.config)).toBe(true);
        expect(Object.isFrozen(p.config.hosts[0])).toBe(true);
        expect(p.config.appPort).toBe(8000);
        expect(p.config.service).toEqual({
            name: "NOVA-Backend",
            appDirectory: "C:\\Users\\PPZ\\NOVA-SERVER",
            pythonExe: "C:\\Users\\PPZ\\NOVA-SERVER\\.venv\\Scripts\\python.exe",
            entryPoint: "main.py",
            logDirectory: "C:\\Users\\PPZ\\NOVA-SERVER\\logs",
            appModule: "main:app",
            account: "virtual",
            fixFolderAcls: false,
        });
    });
});
