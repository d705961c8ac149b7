/**
 * The pure rules over every resource of the offline plans of prod and staging (inputs as the policy
 * engine sees them: secrets unwrapped), and the pack's wiring.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { bootstrapCommand, deleteBootstrapCommand, hostStdin, packStdin, unpackStdin } from "../../components/host/bootstrap";
import { commandScripts, scriptsOfDocument } from "../../policy/rules/scriptText";
import { renderHostSteps } from "../../components/host/steps";
import type { NovaConfig } from "../../components/types";
import { allViolations, loadRules } from "../../policy/rules";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT } from "../../scripts/shared/planning/offlineFixtures";
import { FAKE_SECRETS, prodConfig, sshHost, stagingConfig, withMode } from "../support/fixtures/configs";
import { planCache } from "../support/harness";
import { policyView } from "./util";

const policyMock = vi.hoisted(() => ({ packs: [] as { name: string; args: { policies: { name: string; enforcementLevel?: string }[] } }[] }));
vi.mock("@pulumi/policy", async (importOriginal) => ({
    ...(await importOriginal<object>()),
    PolicyPack: class {
        constructor(name: string, args: { policies: { name: string; enforcementLevel?: string }[] }) {
            policyMock.packs.push({ name, args });
        }
    },
}));

beforeAll(loadRules);

type PolicyResource = { type: string; urn: string; props: Record<string, unknown> };

/** The offline plan of a stack is the same each time: it is made once per stack for the file (the tests only read it). */
const planOnce = planCache();
async function resourcesOf(stack: string): Promise<readonly PolicyResource[]> {
    const p = await planOnce(stack);
    return p.run.resources.map((r) => ({ type: r.type, urn: r.urn, props: policyView(r.inputs) as Record<string, unknown> }));
}

describe("offline plans", () => {
    it.each(["prod", "staging"])("%s: no violation of any rule", async (stack) => {
        const resources = await resourcesOf(stack);
        expect(resources.length).toBeGreaterThan(0);
        expect(allViolations(resources)).toEqual([]);
    });

    it("the rules read the plans' host commands: ssh in prod, the WinRM runner in staging", async () => {
        const prod = await resourcesOf("prod");
        const staging = await resourcesOf("staging");
        const names = (rs: typeof prod, type: string) => rs.filter((r) => r.type === type).map((r) => r.urn.replace(/.*::/, ""));
        expect(names(prod, "command:remote:Command")).toEqual(["rondot-preflight", "rondot-tools", "rondot-dotenv", "rondot-service", "rondot-cloudflared", "rondot-firewall", "rondot-health"]);
        expect(names(staging, "command:local:Command")).toEqual(["staging-preflight", "staging-tools", "staging-dotenv", "staging-certificate-request", "staging-certificate", "staging-service", "staging-firewall", "staging-health"]);

        // A wider firewall list, a broken pin, a missing host key and logged stderr are each caught.
        const change = (rs: typeof prod, name: string, edit: (props: Record<string, unknown>) => Record<string, unknown>) =>
            rs.map((r) => (r.urn.endsWith(`::${name}`) ? { ...r, props: edit(r.props) } : r));
        // The rules analyse the unpacked document; the shipped stdin is exactly the packing of it (nothing else rides along).
        for (const r of [...prod, ...staging].filter((x) => typeof x.props.stdin === "string" && x.type.startsWith("command:"))) {
            const shipped = String(r.props.stdin);
            const document = unpackStdin(shipped);
            expect(packStdin(document)).toBe(shipped);
            expect(commandScripts(r.props).scripts.slice(0, 2)).toEqual(scriptsOfDocument(document));
        }
        const stdinOf = (props: Record<string, unknown>) => unpackStdin(String(props.stdin));
        const wider = change(staging, "staging-firewall", (p) => ({ ...p, stdin: packStdin(stdinOf(p).replace("'173.245.48.0/20'", "'0.0.0.0/0'")) }));
        expect(allViolations(wider).map((v) => [v.rule, v.message])).toEqual([
            ["origin-firewall-cloudflare-only", "the firewall rule admits addresses outside Cloudflare's ranges: 0.0.0.0/0"],
        ]);
        const pin = /\$desired = '([0-9a-f]{64})'/.exec(stdinOf(prod.find((r) => r.urn.endsWith("::rondot-tools"))!.props))![1];
        const unpinned = change(prod, "rondot-tools", (p) => ({ ...p, stdin: packStdin(stdinOf(p).replace(`$desired = '${pin}'`, "$desired = 'latest'")) }));
        expect(allViolations(unpinned).map((v) => v.rule)).toEqual(["downloads-pinned-sha256"]);
        const noKey = change(prod, "rondot-health", (p) => ({ ...p, connection: { ...(p.connection as object), hostKey: undefined } }));
        expect(allViolations(noKey).map((v) => v.rule)).toEqual(["remote-command-host-key"]);
        const loud = change(prod, "rondot-service", (p) => ({ ...p, logging: "stdoutAndStderr" }));
        expect(allViolations(loud).map((v) => v.rule)).toEqual(["command-secret-output-not-logged"]);
    });

    it("prod: the zone-setting rules see the managed ssl and min_tls_version settings", async () => {
        const resources = await resourcesOf("prod");
        const settings = resources.filter((r) => r.type === "cloudflare:index/zoneSetting:ZoneSetting").map((r) => [r.props.settingId, r.props.value]);
        expect(settings).toContainEqual(["ssl", "full"]);
        expect(settings).toContainEqual(["min_tls_version", "1.2"]);
        // The same resources with a weakened value are caught: the rules do read these inputs.
        const weakened = resources.map((r) =>
            r.props.settingId === "ssl" ? { ...r, props: { ...r.props, value: "flexible" } } : r.props.settingId === "min_tls_version" ? { ...r, props: { ...r.props, value: "1.0" } } : r,
        );
        expect(allViolations(weakened).map((v) => v.rule).sort()).toEqual(["zone-min-tls-1-2", "zone-ssl-mode-encrypted"]);
    });
});

/** Every step script the program renders for `cfg`, as remote commands (create with audit, and delete). */
function stepCommands(cfg: NovaConfig) {
    const ranges = { ipv4: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ipv6: CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs };
    const connection = { host: sshHost.address, port: 22, user: sshHost.user, privateKey: "KEY", hostKey: sshHost.hostKey };
    return renderHostSteps(cfg, sshHost, { cloudflare: ranges }).flatMap(({ name, scripts }) =>
        [scripts.create, scripts.audit].map((script, i) => ({
            type: "command:remote:Command",
            urn: `urn:pulumi:${cfg.stack}::nova::command:remote:Command::${name}-${i}`,
            props: {
                connection,
                create: bootstrapCommand(),
                ...(scripts.delete ? { delete: deleteBootstrapCommand() } : {}),
                stdin: hostStdin(script, { ...FAKE_SECRETS }, scripts.delete),
                logging: "stdout",
            },
        })),
    );
}

describe("every host step script", () => {
    it.each([
        ["prod (tunnel)", prodConfig],
        ["staging (direct)", stagingConfig],
        ["prod in direct mode", withMode(prodConfig, "direct")],
        ["staging in tunnel mode", withMode(stagingConfig, "tunnel")],
    ])("%s: passes every rule", (_label, cfg) => {
        const commands = stepCommands(cfg);
        const tunnel = cfg.ingressMode === "tunnel" ? [{ type: "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", urn: "urn:t", props: {} }] : [];
        expect(commands.map((c) => c.urn.replace(/.*::/, ""))).toContain("firewall-0");
        expect(commands.map((c) => c.urn.replace(/.*::/, ""))).toContain("tools-0");
        expect(allViolations([...tunnel, ...commands])).toEqual([]);
    });

    it("a direct-mode firewall step in a tunnel-mode stack is caught", () => {
        const direct = stepCommands(stagingConfig);
        const tunnel = [{ type: "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", urn: "urn:t", props: {} }];
        expect(allViolations([...tunnel, ...direct]).map((v) => [v.rule, v.urn.replace(/.*::/, "")])).toEqual([
            ["origin-firewall-cloudflare-only", "firewall-0"],
            ["origin-firewall-cloudflare-only", "firewall-0"],
        ]);
    });
});

describe("policy pack", () => {
    it("registers nova-guardrails with every policy mandatory", async () => {
        await import("../../policy/index");
        expect(policyMock.packs).toHaveLength(1);
        const [pack] = policyMock.packs;
        expect(pack.name).toBe("nova-guardrails");
        expect(pack.args.policies.map((p) => [p.name, p.enforcementLevel])).toEqual([
            ["zone-ssl-mode-encrypted", "mandatory"],
            ["zone-min-tls-1-2", "mandatory"],
            ["remote-command-host-key", "mandatory"],
            ["command-secret-output-not-logged", "mandatory"],
            ["downloads-pinned-sha256", "mandatory"],
            ["host-script-allow-list", "mandatory"],
            ["winrm-https-only", "mandatory"],
            ["command-line-no-literal-secret", "mandatory"],
            ["origin-firewall-cloudflare-only", "mandatory"],
        ]);
    });
});
