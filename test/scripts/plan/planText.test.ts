/** The plan a person reads (renderTree), and the dependencies and options the JSON plan carries. */
import * as random from "@pulumi/random";
import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { stepNames } from "../../../components/host/steps";
import { planResources } from "../../../scripts/shared/planning/plan";
import { renderTree } from "../../../scripts/plan/planText";
import { plan, runComponents, stackWith } from "../../support/harness";

const RULESET = "cloudflare:index/ruleset:Ruleset";
const ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const REMOTE = "command:remote:Command";

type Rule = { ref: string; expression: string };

describe("the offline plan as text", () => {
    it("says what it is: what the program would register, not a diff against the live state", async () => {
        const lines = renderTree((await plan("prod")).document).split("\n");
        expect(lines[0]).toMatch(/^stack prod: \d+ resources \(offline plan, mock runtime\)$/);
        expect(lines.slice(1, 3).join(" ")).toContain("What the program would register for this stack, not a diff against the live state");
    });

    it("prod: one human line per host step, saying what it does on the host", async () => {
        const p = await plan("prod");
        const text = renderTree(p.document);
        const steps = stepNames(p.config);
        expect(steps).toHaveLength(7);
        for (const step of steps) {
            const lines = text.split("\n").filter((l) => l.includes(`  rondot-${step}  `));
            expect(lines).toHaveLength(1);
            expect(lines[0]).toMatch(new RegExp(`^    ${REMOTE}  rondot-${step}  ${step}: \\S`));
            expect(lines[0]).not.toMatch(/stdin=|powershell\.exe|create=/);
        }
        const line = (step: string) => text.split("\n").find((l) => l.includes(`  rondot-${step}  `)) as string;
        expect(line("service")).toContain(
            "service: NOVA-Backend via NSSM 2.24-101-g897c7ad, .venv\\Scripts\\python.exe main.py in C:\\Users\\PPZ\\NOVA-SERVER, automatic start, restarted 5 s after an exit, " +
                "logs in C:\\Users\\PPZ\\NOVA-SERVER\\logs rotated at 10 MB, 2 secret variables (ANTHROPIC_API_KEY, OPENAI_API_KEY)",
        );
        expect(line("preflight")).toContain("Windows build >= 17763, C:\\Users\\PPZ\\NOVA-SERVER with .venv\\Scripts\\python.exe, main.py, port 8000 free or held by NOVA-Backend");
        expect(line("tools")).toContain("NSSM 2.24-101-g897c7ad and cloudflared 2026.9.3");
        expect(line("cloudflared")).toContain("cloudflared 2026.9.3");
        expect(line("firewall")).toContain("no inbound rule (tunnel mode");
        expect(line("health")).toContain("waits up to 120 s for http://127.0.0.1:8000/health to answer 200");
        expect(text).toContain("nova:host:WindowsHostService  rondot  PPZ@192.0.2.10:22 over ssh");
    });

    it("the lines follow the configuration", async () => {
        const text = renderTree((await plan("prod", { "nova:appPort": "8001", "nova:appSecretEnvKeys": '["ONLY_KEY"]' })).document);
        expect(text).toMatch(/rondot-service  service: .*1 secret variable \(ONLY_KEY\)$/m);
        expect(text).toMatch(/rondot-preflight  preflight: .*port 8001 /m);
        expect(text).toMatch(/rondot-health  health: .*http:\/\/127\.0\.0\.1:8001\/health/m);
        const staging = renderTree((await plan("staging")).document);
        expect(staging).toMatch(/staging-firewall  firewall: inbound TCP 8000 from Cloudflare's IP ranges \(\d+\) only, rule nova-infra-staging-tcp-8000-in;/);
        expect(staging).toContain("Administrator@198.51.100.20:5986 over winrm (HTTPS)");
        const hosts = JSON.parse(stackWith("prod").values["nova:hosts"]) as Record<string, unknown>[];
        const detached = renderTree((await plan("prod", { "nova:hosts": JSON.stringify([{ ...hosts[0], detached: true }]) })).document);
        expect(detached).toContain("rondot  PPZ@192.0.2.10:22 over ssh, detached: its steps run nothing");
        expect(detached).toMatch(/rondot-service  service: runs nothing \(the host is detached\)$/m);
    });

    it("prod: each ruleset's rules as their expression and action; the tunnel ingress as its rules", async () => {
        const p = await plan("prod");
        const text = renderTree(p.document);
        const rulesets = p.document.resources.filter((r) => r.type === RULESET);
        expect(rulesets.length).toBeGreaterThan(0);
        for (const rs of rulesets) {
            const rules = (rs.inputs as { rules: Rule[] }).rules;
            expect(text).toContain(`${RULESET}  ${rs.name}  phase ${(rs.inputs as { phase: string }).phase}, ${rules.length} rule`);
            for (const rule of rules) expect(text).toMatch(new RegExp(`^ +${rule.ref}: .* when ${rule.expression.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
        }
        expect(text).toContain('nova_root_redirect: redirect 301 to concat("https://", http.host, "/mail-to-biz"), query string kept when ');
        expect(text).toContain("nova_cache_bypass_dynamic: bypass the cache when ");
        expect(text).toContain("nova_cache_assets: cache at the edge for 86400 s (override_origin) when ");
        expect(text).toMatch(/^ +nova-rondot\.itspirit\.ovh -> http:\/\/127\.0\.0\.1:8000$/m);
        expect(text).toMatch(/^ +any other hostname -> http_status:404$/m);
        expect(text).toContain('nova-setting-ssl  ssl = "full"');
        expect(text).toMatch(/nova-record {2}CNAME nova-rondot\.itspirit\.ovh -> [0-9a-f-]+\.cfargotunnel\.com, proxied, TTL auto {2}\[delete before replace\]/);
    });

    it("Page Rules as their target and actions", async () => {
        const text = renderTree((await plan("prod", { "nova:rulesEngine": "pageRules", "nova:zoneHostnames": undefined })).document);
        expect(text).toContain("nova-pagerule-root  nova-rondot.itspirit.ovh/ (priority 3): forward 301 to https://nova-rondot.itspirit.ovh/mail-to-biz");
        expect(text).toContain("nova-pagerule-api  nova-rondot.itspirit.ovh/api/* (priority 2): cacheLevel=bypass, disablePerformance=true");
        expect(text).toContain("nova-pagerule-assets  nova-rondot.itspirit.ovh/mail-to-biz/assets/* (priority 1): cacheLevel=cache_everything, edgeCacheTtl=86400");
        expect(text.split("\n").at(-1)).toMatch(/: 7 host steps on 1 host, 3 page rules, \d+ zone settings, 1 DNS record, 1 tunnel; /);
    });

    it("ends with the counts by type and a summary line", async () => {
        const { document } = await plan("prod");
        const text = renderTree(document);
        const settings = document.resources.filter((r) => r.type === ZONE_SETTING).length;
        expect(text).toContain(`\nresources by type:\n${String(settings).padStart(5)}  ${ZONE_SETTING}  (zone setting)\n    7  ${REMOTE}  (host step (ssh))\n`);
        expect(text.split("\n").at(-1)).toBe(
            `${document.resources.length} resources for stack prod: 7 host steps on 1 host, 4 rules in 3 rulesets, ${settings} zone settings, 1 DNS record, 1 tunnel; ` +
                `${document.secretsToSet.length} secrets to set before a real preview`,
        );
    });

    it("colours only when asked (a terminal), and the colours add nothing but escapes", async () => {
        const { document } = await plan("prod");
        const plain = renderTree(document);
        expect(plain).not.toContain("\x1b[");
        const coloured = renderTree(document, pc.createColors(true));
        expect(coloured).toContain("\x1b[");
        expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(plain);
    });
});

describe("the JSON plan's dependencies and resource options", () => {
    it("prod: each host step depends on the previous one; the tunnel and the record are deleted before replacement", async () => {
        const p = await plan("prod");
        const byName = (type: string, name: string) => p.document.resources.find((r) => r.type === type && r.name === name)!;
        const steps = stepNames(p.config).map((s) => byName(REMOTE, `rondot-${s}`));
        expect(steps[0].options.dependsOn).toEqual([]);
        for (let i = 1; i < steps.length; i++) {
            expect(steps[i].options.dependsOn).toEqual([steps[i - 1].urn]);
            expect(steps[i].dependencies).toContain(steps[i - 1].urn);
        }
        expect(byName("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", "nova-tunnel").options).toMatchObject({ deleteBeforeReplace: true, protect: false });
        const config = byName("cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig", "nova-config");
        expect(config.dependencies).toContain(byName("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", "nova-tunnel").urn);
        expect(config.options.dependsOn).toEqual([]);
        expect(config.options.deleteBeforeReplace).toBe(false);
    });

    it("records every option as the program sets it; dependsOn is what no input carries", async () => {
        const run = await runComponents("prod", () => {
            const first = new random.RandomBytes("first", { length: 4 });
            new random.RandomBytes("second", { length: 4 }, { dependsOn: [first], protect: true, ignoreChanges: ["length"], additionalSecretOutputs: ["hex"], deleteBeforeReplace: true });
            new random.RandomBytes("third", { length: first.hex.apply((h) => h.length) });
        });
        const [first, second, third] = planResources(run.resources.filter((r) => r.type === "random:index/randomBytes:RandomBytes"));
        // RandomBytes itself marks base64 and hex secret; the SDK sends its list and the program's, merged.
        expect(second.options).toEqual({ dependsOn: [first.urn], additionalSecretOutputs: ["base64", "hex"], deleteBeforeReplace: true, ignoreChanges: ["length"], protect: true });
        expect(second.dependencies).toEqual([first.urn]);
        expect(third.options).toEqual({ dependsOn: [], additionalSecretOutputs: ["base64", "hex"], deleteBeforeReplace: false, ignoreChanges: [], protect: false });
        expect(third.dependencies).toEqual([first.urn]);
    });
});
