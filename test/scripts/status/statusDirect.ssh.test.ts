/**
 * `npm run status` on a direct-mode host (staging's steps, the Origin CA certificate issued by the
 * suite's test CA) over the loopback sshd with the host model: the certificate's days to expiry, our
 * firewall rule (enabled, its address count), the TLS health probe on the host; an edge that does not
 * answer makes the stack degraded, named.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ZONE_STACKS_DIR_ENV } from "../../../components/config";
import { runRemote } from "../../../scripts/shared/remote/run";
import { main as status } from "../../../scripts/status/main";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../../../scripts/shared/planning/offlineFixtures";
import { normalizeCidrList } from "../../../components/host/cidr";
import { SITE_VALUES } from "../../support/fixtures/siteValues";
import { type ModelHost, modelHostUnavailable, startModelHost } from "../../support/modelHost";
import { freePort } from "../../support/sshd";

const ROOT = resolve(__dirname, "../../..");
const unavailable = modelHostUnavailable();
const suite = unavailable === undefined ? describe : describe.skip;
if (unavailable !== undefined && process.env.NOVA_REQUIRE_PWSH === "1") it("status direct-mode end to end can run (NOVA_REQUIRE_PWSH=1)", () => { throw new Error(unavailable); });

suite("status of a direct-mode host over ssh, on the host model", () => {
    let host: ModelHost;
    let stackDir = "";
    let zoneDir = "";
    const previousZoneDir = process.env[ZONE_STACKS_DIR_ENV];

    beforeAll(async () => {
        host = await startModelHost("staging", ["preflight", "tools", "dotenv", "certificate-request", "certificate", "service", "firewall"]);
        const port = host.manifest.variants.staging.appPort;
        stackDir = join(host.dir, "stack");
        mkdirSync(stackDir);
        const doc = parse(readFileSync(join(ROOT, "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, unknown> };
        Object.assign(doc.config, {
            "nova:originIp": SITE_VALUES.staging["nova:originIp"],
            "nova:appPort": port,
            "nova:hosts": [{ name: "staging", address: "127.0.0.1", port: host.sshd.port, transport: "ssh", user: host.sshd.user, hostKey: host.sshd.hostKeyLine }],
        });
        writeFileSync(join(stackDir, "Pulumi.staging.yaml"), stringify(doc));
        // The zone owner (prod) routes the suite's port to this hostname.
        zoneDir = mkdtempSync(join(tmpdir(), "nova-zone-"));
        writeFileSync(join(zoneDir, "Pulumi.prod.yaml"), readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8").replace("nova-staging.itspirit.ovh:8000", `nova-staging.itspirit.ovh:${port}`));
        process.env[ZONE_STACKS_DIR_ENV] = zoneDir;
    }, 240_000);

    afterAll(async () => {
        if (previousZoneDir === undefined) delete process.env[ZONE_STACKS_DIR_ENV];
        else process.env[ZONE_STACKS_DIR_ENV] = previousZoneDir;
        if (zoneDir) rmSync(zoneDir, { recursive: true, force: true });
        await host?.stop();
    });

    it("shows the certificate's days left and our rule's address count; the edge not answering is named (exit 2)", async () => {
        let out = "";
        let err = "";
        const s = host.manifest.secrets;
        const code = await status(["--stack", "staging", "--json", "--base-url", `https://127.0.0.1:${await freePort()}`, "--timeout", "60000"], {
            rootDir: stackDir,
            stdout: (t) => (out += t),
            stderr: (t) => (err += t),
            readSecrets: async () => ({ values: { "nova:sshPrivateKey": host.sshd.clientKey, "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: s["env:ANTHROPIC_API_KEY"], OPENAI_API_KEY: s["env:OPENAI_API_KEY"] }) } }),
            runRemote,
            readFile: (p) => readFileSync(p, "utf8"),
            edgeApi: () => {
                throw new Error("direct mode asks Cloudflare for no tunnel");
            },
            env: {},
            colour: false,
        });
        expect(err).toBe("");
        const doc = JSON.parse(out);
        const h = doc.hosts[0];
        expect(h.errors).toEqual([]);
        expect(h.services).toHaveLength(1);
        expect(h.services[0]).toMatchObject({ name: "NOVA-Backend", state: "Running", startMode: "Auto" });
        expect(h.health).toEqual({ answer: "origin certificate", ok: true });
        // The test CA issues for the configured validity (nova:originCertificateDays, default 365).
        expect(h.certificate.ok).toBe(true);
        expect(h.certificate.expiresOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(h.certificate.daysLeft).toBe(Math.floor((Date.parse(h.certificate.expiresOn) - Date.now()) / 86_400_000));
        expect(h.certificate.daysLeft).toBeGreaterThan(30);
        // The model's firewall merges adjacent entries as Windows does (104.16.0.0/13 and 104.24.0.0/14 read back
        // as 104.16.0.0-104.27.255.255): one range fewer than the CIDRs given.
        const cidrs = normalizeCidrList([...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs]);
        expect(cidrs).toContain("104.16.0.0/13");
        expect(cidrs).toContain("104.24.0.0/14");
        const ranges = cidrs.length - 1;
        expect(h.firewall).toEqual({ text: `nova-infra-staging-tcp-${host.manifest.variants.staging.appPort}-in: enabled, ${ranges} address ranges`, ok: true, enabled: true, addressCount: ranges });
        expect(h.problems).toEqual([]);
        expect(doc.tunnel).toBeUndefined();
        expect(doc.problems).toEqual([expect.stringMatching(/^edge: health got ECONNREFUSED/)]);
        expect(doc.exitCode).toBe(2);
        expect(code).toBe(2);
    }, 120_000);
});
