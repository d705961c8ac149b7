/**
 * Direct mode through the real program (index.ts) under the mock runtime: the zone owner routes each
 * direct-mode hostname to its app port, the origin serves TLS with an Origin CA certificate whose key is
 * made on the host, and only Cloudflare's client certificate is accepted (Authenticated Origin Pulls).
 */
import { describe, expect, it } from "vitest";
import { SECRETS_SEPARATOR, unpackStdin } from "../../components/host/bootstrap";
import { zoneCoverageProblems } from "../../components/edge/coverage";
import { ORIGIN_CERTIFICATE_DOCUMENT_KEY } from "../../components/host/steps/certificate";
import { prodConfig, stagingConfig } from "../support/fixtures/configs";
import { OFFLINE_CSR, OFFLINE_ORIGIN_CERTIFICATE, OFFLINE_ZONE_ID } from "../../scripts/shared/planning/offlineFixtures";
import type { Plan } from "../../scripts/shared/planning/plan";
import { isSecretWire, revealWire } from "../../scripts/shared/planning/redact";
import { ofType, one, plan, planAsOwner } from "../support/harness";

const RULESET = "cloudflare:index/ruleset:Ruleset";
const SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const AOP = "cloudflare:index/authenticatedOriginPullsSettings:AuthenticatedOriginPullsSettings";
const CERT = "cloudflare:index/originCaCertificate:OriginCaCertificate";
const LOCAL = "command:local:Command";
const REMOTE = "command:remote:Command";
const COMPONENT = "nova:host:WindowsHostService";
const SECRETS = {
    "nova:sshPrivateKey": "direct-test-ssh-key",
    "nova:winrmPassword": "direct-test-winrm-password",
    "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: "direct-test-a", OPENAI_API_KEY: "direct-test-o" }),
};
const STAGING = "nova-staging.itspirit.ovh";
/** The owner's Origin Rule for staging (direct mode, app port 8000). */
const STAGING_ORIGIN_RULES = [{
    ref: "nova_origin_port_8000",
    description: `Connect to the origin of ${STAGING} on port 8000`,
    expression: `http.host eq "${STAGING}"`,
    action: "route",
    actionParameters: { origin: { port: 8000 } },
    enabled: true,
}];

/** The script part and the document of a step's stdin. */
function stdinParts(p: Plan, type: string, name: string): { script: string; document?: Record<string, string>; secret: boolean } {
    const stdin = one(p, type, name).inputs.stdin;
    const [script, doc] = unpackStdin(revealWire<string>(stdin)).split(`${SECRETS_SEPARATOR}\n`);
    return { script, ...(doc === undefined ? {} : { document: JSON.parse(doc) as Record<string, string> }), secret: isSecretWire(stdin) };
}

function appParametersOf(script: string): string {
    const line = script.split("\n").find((l) => l.startsWith("$desired = '-m uvicorn") || l.startsWith("$desired = 'main.py'"));
    if (!line) throw new Error("no AppParameters check in the service script");
    return line.slice("$desired = '".length, -1);
}

describe("a direct-mode stack that owns its zone", async () => {
    const p = await planAsOwner("staging", {}, SECRETS);

    it("routes its hostname to the app port with an Origin Rule", () => {
        const origin = one(p, RULESET, "nova-origin");
        expect(origin.inputs).toMatchObject({ zoneId: OFFLINE_ZONE_ID, kind: "zone", phase: "http_request_origin", name: "default" });
        expect(origin.inputs.rules).toEqual(STAGING_ORIGIN_RULES);
    });

    it("needs no Origin Rule when the app listens on 443", async () => {
        const on443 = await planAsOwner("staging", { "nova:appPort": "443" }, SECRETS);
        expect(ofType(on443, RULESET).map((r) => r.inputs.phase)).not.toContain("http_request_origin");
    });

    it("checks the origin's certificate (SSL strict) and turns zone-level Authenticated Origin Pulls on", () => {
        expect(one(p, SETTING, "nova-setting-ssl").inputs).toMatchObject({ settingId: "ssl", value: "strict" });
        expect(one(p, AOP, "nova-aop").inputs).toEqual({ zoneId: OFFLINE_ZONE_ID, enabled: true });
    });

    it("keeps /ws and /api out of the cache and caches the assets, as in tunnel mode", () => {
        const cache = one(p, RULESET, "nova-cache").inputs.rules as { ref: string; expression: string }[];
        expect(cache.map((r) => [r.ref, r.expression])).toEqual([
            ["nova_cache_bypass_dynamic", `http.host eq "${STAGING}" and (http.request.uri.path eq "/api" or starts_with(http.request.uri.path, "/api/") or http.request.uri.path eq "/ws" or starts_with(http.request.uri.path, "/ws/"))`],
            ["nova_cache_assets", `http.host eq "${STAGING}" and starts_with(http.request.uri.path, "/mail-to-biz/assets/")`],
        ]);
    });

    it("has the Origin CA sign the CSR the host printed, for the hostname, after the request step", () => {
        const cert = one(p, CERT, "staging-origin-certificate");
        expect(cert.inputs).toEqual({ csr: OFFLINE_CSR, hostnames: [STAGING], requestType: "origin-ecc", requestedValidity: 365 });
        expect(cert.parent).toBe(one(p, COMPONENT, "staging").urn);
        expect(cert.dependencies).toContain(one(p, LOCAL, "staging-certificate-request").urn);
    });

    it("hands the issued certificate (public) to the certificate step, which runs after the request and before the service", () => {
        const steps = ofType(p, LOCAL).map((r) => r.name);
        expect(steps.slice(2, 6)).toEqual(["staging-dotenv", "staging-certificate-request", "staging-certificate", "staging-service"]);
        const install = stdinParts(p, LOCAL, "staging-certificate");
        expect(install.document).toEqual({ [ORIGIN_CERTIFICATE_DOCUMENT_KEY]: OFFLINE_ORIGIN_CERTIFICATE });
        expect(install.secret).toBe(false);
        expect(one(p, LOCAL, "staging-certificate").dependencies).toContain(one(p, CERT, "staging-origin-certificate").urn);
        // The key is made on the host: no private key anywhere in what the program sends.
        for (const r of p.run.resources) expect(JSON.stringify(r.inputs)).not.toContain("BEGIN EC PRIVATE KEY-----\\nM");
    });

    it("runs uvicorn over TLS with the certificate, requiring Cloudflare's client certificate, trusting Cloudflare's proxies only", () => {
        const params = appParametersOf(stdinParts(p, LOCAL, "staging-service").script);
        const tls = "C:\\NOVA-SERVER\\tls";
        expect(params).toMatch(/^-m uvicorn main:app --host 0\.0\.0\.0 --port 8000 --proxy-headers --forwarded-allow-ips 173\.245\.48\.0\/20,[^ ]+2c0f:f248::\/32 /);
        expect(params.endsWith(`--ssl-certfile ${tls}\\origin.crt --ssl-keyfile ${tls}\\origin.key --ssl-cert-reqs 2 --ssl-ca-certs ${tls}\\origin-pull-ca.pem`)).toBe(true);
    });

    it("with nova:aop false: TLS without a client certificate, and no zone-level AOP", async () => {
        const off = await planAsOwner("staging", { "nova:aop": "false" }, SECRETS);
        const params = appParametersOf(stdinParts(off, LOCAL, "staging-service").script);
        expect(params).toContain("--ssl-keyfile");
        expect(params).not.toContain("--ssl-cert-reqs");
        expect(ofType(off, AOP)).toEqual([]);
    });

    it("keeps the firewall rule on the app port from Cloudflare's ranges as the second wall", () => {
        const firewall = stdinParts(p, LOCAL, "staging-firewall").script;
        expect(firewall).toContain("$NovaRuleName = 'nova-infra-staging-tcp-8000-in'");
        expect(firewall).toContain("173.245.48.0/20");
    });

    it("exports when the origin certificate expires", () => {
        expect(p.run.outputs.originCertificateExpiresOn).toEqual({ staging: expect.any(String) });
    });
});

describe("a direct-mode stack covered by the zone owner", async () => {
    const guest = await plan("staging", {}, SECRETS);
    const owner = await plan("prod", {}, SECRETS);

    it("makes no zone-wide resource itself", () => {
        expect(guest.run.resources.filter((r) => [RULESET, SETTING, AOP].includes(r.type))).toEqual([]);
    });

    it("is routed to its port by the owner's Origin Rule, next to the owner's other rules", () => {
        expect(one(owner, RULESET, "nova-origin").inputs.rules).toEqual(STAGING_ORIGIN_RULES);
        expect(one(owner, AOP, "nova-aop").inputs).toEqual({ zoneId: OFFLINE_ZONE_ID, enabled: true });
    });

    it("makes the owner's SSL mode strict by default once it covers a direct-mode stack (prod sets full explicitly)", async () => {
        expect(one(owner, SETTING, "nova-setting-ssl").inputs.value).toBe("full");
        expect(one(await plan("prod", { "nova:sslMode": "" }, SECRETS), SETTING, "nova-setting-ssl").inputs.value).toBe("strict");
        expect(one(await plan("prod", { "nova:sslMode": "", "nova:zoneHostnames": "[]" }, SECRETS), SETTING, "nova-setting-ssl").inputs.value).toBe("full");
    });

    it("still gets its own certificate, TLS service and firewall rule", () => {
        expect(one(guest, CERT, "staging-origin-certificate").inputs.hostnames).toEqual([STAGING]);
        expect(appParametersOf(stdinParts(guest, LOCAL, "staging-service").script)).toContain("--ssl-keyfile C:\\NOVA-SERVER\\tls\\origin.key");
        expect(stdinParts(guest, LOCAL, "staging-firewall").script).toContain("nova-infra-staging-tcp-8000-in");
    });

    it("is refused when the owner does not route its port, naming the key, the value and the fix", async () => {
        await expect(plan("staging", { "nova:appPort": "8123" }, SECRETS)).rejects.toThrow(
            'nova:appPort: 8123 is not what the zone owner (stack prod) routes nova-staging.itspirit.ovh to (port 8000); set its nova:zoneHostnames entry to "nova-staging.itspirit.ovh:8123"',
        );
        await expect(plan("staging", { "nova:hostname": "nova-qa.itspirit.ovh" }, SECRETS)).rejects.toThrow(
            'nova:hostname: "nova-qa.itspirit.ovh" is not in the nova:zoneHostnames of the zone owner (stack prod)',
        );
    });
});

describe("what the owner cannot route is refused before anything is registered", () => {
    it("a second owner of the zone: staging taking the zone over while prod's stack file still owns it", async () => {
        await expect(plan("staging", { "nova:manageZone": "true" }, SECRETS)).rejects.toThrow(
            "nova:manageZone, nova:zoneName: expected one stack owning the zone itspirit.ovh (nova:manageZone true on one stack, false on every other stack of the zone, " +
                'whose hostnames the owner lists in its nova:zoneHostnames), got nova:manageZone true on stack staging (this stack, nova:zoneName "itspirit.ovh") ' +
                'and on stack prod (Pulumi.prod.yaml, nova:zoneName "itspirit.ovh")',
        );
    });

    it("a direct-mode owner on Page Rules with an app port other than 443", async () => {
        await expect(planAsOwner("staging", { "nova:rulesEngine": "pageRules" }, SECRETS)).rejects.toThrow(
            "nova:appPort: expected 443 with nova:rulesEngine pageRules in direct mode, got 8000",
        );
        await expect(planAsOwner("staging", { "nova:rulesEngine": "pageRules", "nova:appPort": "443" }, SECRETS)).resolves.toBeDefined();
    });

    it("a zoneHostnames entry whose port is not a port", async () => {
        await expect(plan("prod", { "nova:zoneHostnames": '["nova-staging.itspirit.ovh:99999"]' }, SECRETS)).rejects.toThrow(
            'nova:zoneHostnames[0]: expected host or host:port with a port 1-65535 (the app port of a direct-mode stack), got "nova-staging.itspirit.ovh:99999"',
        );
    });

    it("a guest requiring Cloudflare's client certificate while the owner keeps AOP off, or with no owner at all", () => {
        const guest = { ...stagingConfig, hostname: STAGING, appPort: 8000, edge: { ...stagingConfig.edge, manageZone: false } };
        const owner = { ...prodConfig, edge: { ...prodConfig.edge, otherHostnames: [STAGING], otherDirectPorts: { [STAGING]: 8000 }, zoneAop: false } };
        expect(zoneCoverageProblems(guest, [owner])).toEqual([
            "nova:aop: true needs zone-level Authenticated Origin Pulls, which the zone owner (stack prod) leaves off: set nova:aop true there, or nova:aop false here",
        ]);
        expect(zoneCoverageProblems(guest, [{ ...owner, edge: { ...owner.edge, zoneAop: true } }])).toEqual([]);
        expect(zoneCoverageProblems(guest, [])).toEqual([
            `nova:hostname: "${STAGING}" (direct mode, nova:manageZone false) is routed by no zone owner: no stack file of this project owns the zone itspirit.ovh (nova:manageZone true); the owner must list "${STAGING}:8000" in its nova:zoneHostnames`,
        ]);
        expect(zoneCoverageProblems({ ...guest, ingressMode: "tunnel" }, [])).toEqual([]);
    });
});

describe("tunnel mode", async () => {
    const p = await plan("prod", {}, SECRETS);

    it("has no certificate and keeps the entry point on the service's command line", () => {
        expect(ofType(p, CERT)).toEqual([]);
        expect(ofType(p, REMOTE).map((r) => r.name)).not.toContain("rondot-certificate");
        expect(appParametersOf(stdinParts(p, REMOTE, "rondot-service").script)).toBe("main.py");
    });
});
