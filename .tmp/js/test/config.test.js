"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const config_1 = require("../components/config");
const parse_1 = require("../components/config/parse");
const harness_1 = require("./harness");
/** One wrong value per key, with the stack it is tried on (some keys only matter in one mode). */
const BAD = {
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
    sslMode: { stack: "prod", value: "flexible", accepted: "one of full, strict" },
    zoneSettings: { stack: "prod", value: '{"minTlsVersion":"1.3","tls13":"off"}', accepted: "minTlsVersion \"1.3\" needs tls13 \"on\"" },
    unmanagedSettings: { stack: "prod", value: '["brotli"]', accepted: "unknown setting id \"brotli\"" },
    waf: { stack: "prod", value: "on", accepted: "one of managed, owasp, off" },
    rootPath: { stack: "prod", value: "home", accepted: "one of redirect, rewrite, none" },
    rulesEngine: { stack: "prod", value: "pagerules", accepted: "one of rulesets, pageRules" },
    assetsEdgeTtl: { stack: "prod", value: "-5", accepted: "an integer 1-31536000" },
    tunnelName: { stack: "prod", value: "nova tunnel", accepted: "a tunnel name" },
    tunnelExtraHostnames: { stack: "prod", value: '["*.itspirit.ovh"]', accepted: "is a wildcard" },
    hosts: { stack: "prod", value: '[{"name":"Bad Name","address":"192.0.2.1","user":"u","hostKey":"ssh-ed25519 AAAA"}]', accepted: "a name of lower-case letters" },
    sshPrivateKey: { stack: "prod", value: "", accepted: "required secret is not set" },
    winrmPassword: { stack: "staging", value: "", accepted: "required secret is not set" },
    serviceName: { stack: "prod", value: "NOVA Backend", accepted: "a Windows service name" },
    appDirectory: { stack: "prod", value: "NOVA-SERVER", accepted: "an absolute Windows path" },
    pythonExe: { stack: "prod", value: 'C:\\a"b.exe', accepted: "without < > \" | ? *" },
    entryPoint: { stack: "prod", value: "..\\main.py", accepted: "relative to appDirectory" },
    logDirectory: { stack: "prod", value: "C:\\logs\\x|y", accepted: "without < > \" | ? *" },
    appEnv: { stack: "prod", value: '{"APP_PORT":"1"}', accepted: "set by the program" },
    appSecretEnvKeys: { stack: "prod", value: '["ANTHROPIC_API_KEY","OPENAI_API_KEY","1BAD"]', accepted: "an environment variable name" },
    appSecretEnv: { stack: "prod", value: '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o","OTHER":"x"}', accepted: "only the names listed in nova:appSecretEnvKeys" },
    nssmVersion: { stack: "prod", value: "2.24 beta", accepted: "a version" },
    nssmUrl: { stack: "prod", value: "ftp://mirror/nssm.zip", accepted: "an http(s) URL" },
    nssmSha256: { stack: "prod", value: "abc", accepted: "a SHA-256 of 64 hexadecimal" },
    cloudflaredVersion: { stack: "prod", value: "2025.1.0", accepted: "2026.7.3 or later", with: { "nova:cloudflaredSha256": "a".repeat(64) } },
    cloudflaredUrl: { stack: "prod", value: "https://mirror/cf'.exe", accepted: "an http(s) URL" },
    cloudflaredSha256: { stack: "prod", value: "zz", accepted: "a SHA-256 of 64 hexadecimal" },
    healthTimeoutSeconds: { stack: "prod", value: "0", accepted: "an integer 5-3600" },
};
const SECRETS = { "nova:sshPrivateKey": "k", "nova:winrmPassword": "p", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a","OPENAI_API_KEY":"o"}' };
(0, vitest_1.describe)("stack configuration", () => {
    (0, vitest_1.it)("has a wrong-value case for every key", () => {
        (0, vitest_1.expect)(Object.keys(BAD).sort()).toEqual(config_1.CONFIG_KEYS.map((k) => k.key).sort());
    });
    for (const [key, { stack, value, accepted, with: also }] of Object.entries(BAD)) {
        (0, vitest_1.it)(`refuses a wrong nova:${key}, naming the key, and registers nothing`, async () => {
            const full = `nova:${key}`;
            const secrets = Object.fromEntries(Object.entries(SECRETS).filter(([k]) => k !== full));
            const config = (0, harness_1.stackWith)(stack, { ...also, [full]: value === "" ? undefined : value }, secrets);
            const { resources, error } = await (0, harness_1.runRaw)(config);
            (0, vitest_1.expect)(error).toBeInstanceOf(parse_1.NovaConfigError);
            const problems = error.problems;
            (0, vitest_1.expect)(problems).toHaveLength(1);
            (0, vitest_1.expect)(problems[0].startsWith(full)).toBe(true);
            (0, vitest_1.expect)(problems[0]).toContain(accepted);
            (0, vitest_1.expect)(resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
        });
    }
    (0, vitest_1.it)("shows the value given and what is accepted", async () => {
        const { error } = await (0, harness_1.runRaw)((0, harness_1.stackWith)("prod", { "nova:appPort": "80a" }, SECRETS));
        (0, vitest_1.expect)(error.problems).toEqual(['nova:appPort: expected an integer 1-65535, got "80a"']);
    });
    (0, vitest_1.it)("reports every bad key at once", async () => {
        const { resources, error } = await (0, harness_1.runRaw)((0, harness_1.stackWith)("prod", { "nova:appPort": "0", "nova:ingressMode": "vpn", "nova:serviceName": "a b" }, SECRETS));
        const problems = error.problems;
        (0, vitest_1.expect)(problems.map((p) => p.split(":").slice(0, 2).join(":")).sort()).toEqual(["nova:appPort", "nova:ingressMode", "nova:serviceName"]);
        (0, vitest_1.expect)(resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    });
    (0, vitest_1.it)("requires originIp in direct mode only", async () => {
        const { error } = await (0, harness_1.runRaw)((0, harness_1.stackWith)("staging", { "nova:originIp": undefined }, SECRETS));
        (0, vitest_1.expect)(error.problems).toEqual([vitest_1.expect.stringMatching(/^nova:originIp: required in direct mode/)]);
        const { error: none } = await (0, harness_1.runRaw)((0, harness_1.stackWith)("prod", {}, SECRETS));
        (0, vitest_1.expect)(none).toBeUndefined();
    });
    (0, vitest_1.it)("refuses Page Rules with a rewrite of /", async () => {
        const { error } = await (0, harness_1.runRaw)((0, harness_1.stackWith)("staging", { "nova:rulesEngine": "pageRules" }, SECRETS));
        (0, vitest_1.expect)(error.problems).toEqual([vitest_1.expect.stringMatching(/^nova:rootPath: "rewrite" needs nova:rulesEngine "rulesets"/)]);
    });
    (0, vitest_1.it)("requires a host key for ssh hosts", async () => {
        const hosts = JSON.stringify([{ name: "a", address: "192.0.2.1", user: "Administrator" }]);
        const { error } = await (0, harness_1.runRaw)((0, harness_1.stackWith)("prod", { "nova:hosts": hosts }, SECRETS));
        (0, vitest_1.expect)(error.problems).toEqual([vitest_1.expect.stringMatching(/^nova:hosts\[0\]\.hostKey: required for ssh hosts/)]);
    });
    (0, vitest_1.it)("names the missing secret and the command that sets it", async () => {
        const { error } = await (0, harness_1.runRaw)((0, harness_1.stackWith)("prod", {}, { "nova:sshPrivateKey": "k", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"a"}' }));
        (0, vitest_1.expect)(error.problems).toEqual([
            "nova:appSecretEnv.OPENAI_API_KEY: required secret is not set; set it with `pulumi config set --secret --path 'nova:appSecretEnv.OPENAI_API_KEY' <value>`",
        ]);
    });
    (0, vitest_1.it)("reads an empty string as unset (Pulumi.yaml's default for optional keys)", async () => {
        const p = await (0, harness_1.plan)("prod", { "nova:zoneId": "", "nova:tunnelName": "" });
        (0, vitest_1.expect)(p.config.zoneId).toBeUndefined();
        (0, vitest_1.expect)(p.config.tunnel.name).toBe("nova-prod");
    });
    (0, vitest_1.it)("yields an immutable configuration", async () => {
        const p = await (0, harness_1.plan)("prod");
        (0, vitest_1.expect)(Object.isFrozen(p.config)).toBe(true);
        (0, vitest_1.expect)(Object.isFrozen(p.config.hosts[0])).toBe(true);
        (0, vitest_1.expect)(p.config.appPort).toBe(8000);
        (0, vitest_1.expect)(p.config.service).toEqual({
            name: "NOVA-Backend",
            appDirectory: "C:\\Users\\PPZ\\NOVA-SERVER",
            pythonExe: "C:\\Users\\PPZ\\NOVA-SERVER\\.venv\\Scripts\\python.exe",
            entryPoint: "main.py",
            logDirectory: "C:\\Users\\PPZ\\NOVA-SERVER\\logs",
        });
    });
});
