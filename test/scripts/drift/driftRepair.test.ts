import { unpackStdin } from "../../../components/host/bootstrap";
import { describe, expect, it } from "vitest";
import { renderHostSteps, type StepName } from "../../../components/host/steps";
import type { EdgeResult } from "../../../scripts/drift/edge";
import { OFFLINE_TUNNEL_TOKEN } from "../../../scripts/shared/planning/offlineFixtures";
import { revealWire } from "../../../scripts/shared/planning/redact";
import { auditJobs, maskSecrets, remoteTarget } from "../../../scripts/shared/audit/hostAudit";
import { hostStepUrn, parseCreateOutput, repairCommandLine, selectRepairs } from "../../../scripts/drift/repair";
import { type RepairOutcome, runRepairs } from "../../../scripts/drift/repairRun";
import { exitCodeFor, formatText } from "../../../scripts/drift/report";
import { FAKE_SECRETS, prodConfig, sshHost, winrmHost } from "../../support/fixtures/configs";
import { plan } from "../../support/harness";
import { SECRETS, RANGES } from "./driftSupport";

describe("repair", () => {
    it.each(["prod", "staging"])("hostStepUrn names the command resource the program registers for every step of %s", async (stack) => {
        const p = await plan(stack);
        const commands = p.run.resources.filter((r) => r.type.startsWith("command:"));
        const expected = p.config.hosts.flatMap((h) => renderHostSteps(p.config, h, { cloudflare: RANGES }).map((s) => hostStepUrn(stack, h, s.name)));
        expect(commands.map((r) => r.urn)).toEqual(expected);
        expect(new Set(commands.map((r) => r.type))).toEqual(new Set([stack === "prod" ? "command:remote:Command" : "command:local:Command"]));
    }, 60_000);

    it("selects the drifted steps a filter keeps, with their transport and URN", () => {
        const hosts = [sshHost, winrmHost];
        const drifted: { host: string; step: StepName }[] = [
            { host: "rondot", step: "tools" },
            { host: "rondot", step: "service" },
            { host: "rondot-winrm", step: "service" },
        ];
        expect(selectRepairs("prod", drifted, hosts, {})).toEqual([
            { host: "rondot", step: "tools", transport: "ssh", urn: "urn:pulumi:prod::nova::nova:host:WindowsHostService$command:remote:Command::rondot-tools" },
            { host: "rondot", step: "service", transport: "ssh", urn: "urn:pulumi:prod::nova::nova:host:WindowsHostService$command:remote:Command::rondot-service" },
            { host: "rondot-winrm", step: "service", transport: "winrm", urn: "urn:pulumi:prod::nova::nova:host:WindowsHostService$command:local:Command::rondot-winrm-service" },
        ]);
        expect(selectRepairs("prod", drifted, hosts, { step: "service" }).map((t) => `${t.host}/${t.step}`)).toEqual(["rondot/service", "rondot-winrm/service"]);
        expect(selectRepairs("prod", drifted, hosts, { host: "rondot", step: "tools" }).map((t) => `${t.host}/${t.step}`)).toEqual(["rondot/tools"]);
    });

    it("the command that runs it is the drift command itself, never pulumi up --replace", () => {
        expect(repairCommandLine("prod")).toBe("npm run drift -- --stack prod --repair --yes");
        expect(repairCommandLine("prod", { host: "rondot", step: "service" })).toBe("npm run drift -- --stack prod --repair --yes --host rondot --step service");
        expect(repairCommandLine("my stack")).toBe("npm run drift -- --stack 'my stack' --repair --yes");
    });

    it("reads the changed items of a create script", () => {
        expect(parseCreateOutput("service", 'log\n{"step":"service","changed":["Application","AppDirectory"]}\r\n')).toEqual(["Application", "AppDirectory"]);
        expect(parseCreateOutput("tools", '{"step":"tools","changed":[]}')).toEqual([]);
        expect(parseCreateOutput("tools", '{"step":"tools","changed":"nssm"}')).toEqual(["nssm"]);
        expect(() => parseCreateOutput("tools", '{"step":"tools","items":[]}')).toThrow('create tools: "changed" is not a list of item names');
        expect(() => parseCreateOutput("tools", '{"step":"service","changed":[]}')).toThrow("create tools: no result line in the output");
    });

    it("masks secret values in text from a host", () => {
        expect(maskSecrets("bad value sk-1 and sk-12", ["sk-1", "sk-12"])).toBe("bad value [secret] and [secret]");
    });
});

describe("repair run", () => {
    const other = { ...sshHost, name: "other", address: "203.0.113.11" };
    const cfg = { ...prodConfig, hosts: [sshHost, other] };
    const jobs = auditJobs(cfg, RANGES, SECRETS);
    const stepOf = (stdin: string): string => /step = '([a-z]+)'; (items|changed) = /.exec(unpackStdin(stdin))!.slice(1, 3).join(":");
    const clean = (step: string): string => JSON.stringify({ step, items: [{ item: "i", desired: "a", actual: "a", ok: true }] });

    it("host by host, the create scripts of the drifted steps in order; a host stops at its first failure; re-audits the re-applied steps", async () => {
        const calls: string[] = [];
        const targets = selectRepairs("prod", [
            { host: "rondot", step: "tools" },
            { host: "rondot", step: "service" },
            { host: "rondot", step: "health" },
            { host: "other", step: "dotenv" },
        ], cfg.hosts, {});
        const results = await runRepairs(targets, jobs, (h) => remoteTarget(h, "k", () => ""), async (t, stdin) => {
            const [step, kind] = stepOf(stdin).split(":");
            calls.push(`${t.host} ${kind} ${step}`);
            const job = jobs.find((j) => j.host.address === t.host && j.step === step)!;
            expect(stdin).toBe(kind === "changed" ? job.createStdin : job.stdin);
            if (kind === "changed" && step === "service") return { exitCode: 1, stdout: "", stderr: `nssm set failed: ${FAKE_SECRETS.OPENAI_API_KEY}\n` };
            return { exitCode: 0, stdout: kind === "changed" ? JSON.stringify({ step, changed: ["x"] }) : clean(step), stderr: "" };
        }, 1000, () => undefined);
        expect(calls).toEqual([
            "203.0.113.10 changed tools",
            "203.0.113.10 changed service",
            "203.0.113.10 items tools",
            "203.0.113.11 changed dotenv",
            "203.0.113.11 items dotenv",
        ]);
        expect(results.map((r) => [r.host, r.step, r.status])).toEqual([
            ["rondot", "tools", "repaired"],
            ["rondot", "service", "failed"],
            ["rondot", "health", "not run"],
            ["other", "dotenv", "repaired"],
        ]);
        expect(results[1]).toMatchObject({ reason: "create script failed (exit 1): nssm set failed: [secret]" });
        expect(results[2]).toMatchObject({ reason: "stopped after rondot service failed" });
        expect(results[0]).toMatchObject({ changed: ["x"], reaudit: { host: "rondot", step: "tools", status: "checked" } });
    });

    it("exit code and verdict: 0 when every re-applied step audits clean, 1 when one does not or failed", () => {
        const drifted = { host: "rondot", step: "service" as const, status: "checked" as const, items: [{ item: "Application", desired: "a", actual: "b", ok: false }] };
        const target = selectRepairs("prod", [{ host: "rondot", step: "service" }], [sshHost], {})[0];
        const report = (o: RepairOutcome) => ({ stack: "prod", hosts: [drifted], edge: { status: "checked", drift: [] } as EdgeResult, repair: { steps: [target], command: "c", results: [o] } });
        const good: RepairOutcome = { ...target, status: "repaired", changed: ["Application"], reaudit: { ...drifted, items: [{ ...drifted.items[0], actual: "a", ok: true }] } };
        const still: RepairOutcome = { ...good, reaudit: drifted };
        const failed: RepairOutcome = { ...target, status: "failed", reason: "create script failed (exit 1): boom" };
        expect(exitCodeFor(report(good))).toBe(0);
        expect(formatText(report(good))).toContain("  rondot service: re-applied (changed Application); audit again: clean\n");
        expect(formatText(report(good))).toContain("Result: every drifted host step re-applied and clean (exit 0)");
        expect(exitCodeFor(report(still))).toBe(1);
        expect(formatText(report(still))).toContain("  rondot service: re-applied (changed Application); audit again: STILL DRIFTED: Application\n");
        expect(exitCodeFor(report(failed))).toBe(1);
        expect(formatText(report(failed))).toContain("  rondot service: FAILED: create script failed (exit 1): boom\n");
        expect(formatText(report(failed))).toContain("Result: repair incomplete: 1 of 1 drifted host steps not repaired (exit 1)");
        // Edge drift is not repaired by this command: it remains (exit 2).
        const edge: EdgeResult = { status: "checked", drift: [{ urn: "u", type: "t", change: "delete", properties: [] }] };
        expect(exitCodeFor({ ...report(good), edge })).toBe(2);
    });
});

describe("repair sends what pulumi up sends", () => {
    it("each step's create stdin equals the stdin of the step's command in the plan, secrets included", async () => {
        const env = { ANTHROPIC_API_KEY: "anthropic-FAKE-r", OPENAI_API_KEY: "openai-FAKE-r" };
        const p = await plan("prod", {}, { "nova:sshPrivateKey": "key-FAKE-r", "nova:appSecretEnv": JSON.stringify(env) });
        const jobs = auditJobs(p.config, { ipv4: [], ipv6: [] }, { appSecretEnv: env, tunnelToken: OFFLINE_TUNNEL_TOKEN });
        expect(jobs.map((j) => j.step)).toEqual(["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"]);
        for (const job of jobs) {
            const command = p.run.resources.find((r) => r.name === `${job.host.name}-${job.step}`);
            expect(revealWire<string>(command?.inputs.stdin)).toBe(job.createStdin);
        }
    });
});
