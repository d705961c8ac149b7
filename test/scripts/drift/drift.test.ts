import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { healthStdin, stepStdin } from "../../../components/host/commands";
import { boundScripts } from "../../../components/host/stepBound";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildStdin, SECRETS_SEPARATOR, unpackStdin } from "../../../components/host/bootstrap";
import { renderHostSteps } from "../../../components/host/steps";
import { main, type DriftDeps } from "../../../scripts/drift/main";
import { parseDriftArgs } from "../../../scripts/drift/args";
import type { EdgeResult } from "../../../scripts/drift/edge";
import { auditJobs, parseAuditOutput, remoteTarget, stepSecrets } from "../../../scripts/shared/audit/hostAudit";
import { runHostAudits } from "../../../scripts/shared/audit/hosts";
import { exitCodeFor } from "../../../scripts/drift/report";
import { chooseRanges, parseRangesJson } from "../../../scripts/shared/audit/ranges";
import { CannotCheckError, configValuesFromJson, tunnelTokenFromExport } from "../../../scripts/shared/audit/stackSecrets";
import { runRemote } from "../../../scripts/shared/remote/run";
import { hostKeyAlgorithms, parseHostKeyLine } from "../../../scripts/shared/remote/ssh";
import { RemoteUnavailableError, type RemoteTarget } from "../../../scripts/shared/remote/types";
import { FAKE_SECRETS, prodConfig, sshHost, stagingConfig, winrmHost } from "../../support/fixtures/configs";
import { siteStackFile } from "../../support/fixtures/siteValues";
import { SECRETS, RANGES, secretCalls } from "./driftSupport";

describe("arguments", () => {
    it("defaults and flags", () => {
        expect(parseDriftArgs([])).toEqual({ json: false, repair: false, yes: false, timeoutMs: 120000 });
        expect(parseDriftArgs(["--stack", "staging", "--json", "--repair", "--yes", "--cloudflare-ranges", "r.json", "--timeout", "5000", "--only", "edge"])).toEqual({
            stack: "staging",
            json: true,
            repair: true,
            yes: true,
            cloudflareRangesFile: "r.json",
            timeoutMs: 5000,
            only: "edge",
        });
        expect(parseDriftArgs(["--repair", "--host", "rondot", "--step", "service"])).toMatchObject({ repair: true, host: "rondot", step: "service" });
    });

    it.each([
        [["--yes"], "--yes: only with --repair"],
        [["--timeout", "0"], "--timeout: expected milliseconds between 1 and 600000: 0"],
        [["--only", "dns"], "--only: expected hosts or edge: dns"],
        [["extra"], 'unexpected argument "extra"'],
        [["--bogus"], 'unknown option "--bogus"'],
        [["--stack"], "--stack: expects a value (NAME)"],
        [["--host", "rondot"], "--host: only with --repair"],
        [["--step", "service"], "--step: only with --repair"],
        [["--repair", "--step", "nssm"], "--step: expected one of preflight, tools, dotenv, certificate-request, certificate, service, cloudflared, firewall, health: nssm"],
    ])("refuses %j", (argv, message) => {
        expect(() => parseDriftArgs(argv)).toThrow(message);
    });
});

describe("audit jobs", () => {
    it("one job per host and step, carrying the audit script and only the secrets that step reads", () => {
        const cfg = { ...prodConfig, hosts: [sshHost, winrmHost] };
        const jobs = auditJobs(cfg, RANGES, SECRETS);
        const steps = renderHostSteps(cfg, sshHost, { cloudflare: RANGES });
        expect(jobs.map((j) => `${j.host.name}/${j.step}`)).toEqual([sshHost, winrmHost].flatMap((h) => steps.map((s) => `${h.name}/${s.name}`)));
        for (const [i, step] of steps.entries()) {
            const doc: Record<string, string> | undefined = step.name === "service"
                ? { "env:ANTHROPIC_API_KEY": FAKE_SECRETS.ANTHROPIC_API_KEY, "env:OPENAI_API_KEY": FAKE_SECRETS.OPENAI_API_KEY }
                : step.name === "cloudflared" ? { tunnelToken: FAKE_SECRETS.tunnelToken } : undefined;
            expect(unpackStdin(jobs[i].stdin)).toBe(buildStdin(step.scripts.audit, doc));
            // health's create document carries the digest of the earlier steps' (as the plan's does).
            // ... and is what `pulumi up` sends: the create with its bound line (stepBound.ts), the delete after it.
            const bounded = boundScripts(step.scripts, { host: sshHost.name, step: step.name, seconds: cfg.stepTimeoutSeconds });
            const create = step.name === "health" ? healthStdin(bounded, jobs.slice(0, i).map((j) => j.createStdin)) : stepStdin(bounded, doc);
            expect(jobs[i].createStdin).toBe(create);
            expect(jobs[i].secretValues).toEqual(Object.values(doc ?? {}));
            // Steps given no secrets read none.
            if (doc === undefined) expect(secretCalls(step.scripts.audit)).toBe(0);
            else expect(secretCalls(step.scripts.audit)).toBeGreaterThan(0);
        }
    });

    it("none for a detached host (given up: the program no longer manages it)", () => {
        const cfg = { ...prodConfig, hosts: [{ ...sshHost, detached: true as const }, winrmHost] };
        expect([...new Set(auditJobs(cfg, RANGES, SECRETS).map((j) => j.host.name))]).toEqual([winrmHost.name]);
    });

    it("a step's create script reads the same secrets as its audit", () => {
        const names = (text: string): string[] => [...new Set([...text.matchAll(/Get-NovaSecret (?:'([^']+)'|\('([^']+)' \+ \$key\))/g)].map((m) => m[1] ?? `${m[2]}*`))].sort();
        for (const cfg of [prodConfig, stagingConfig]) {
            for (const step of renderHostSteps(cfg, sshHost, { cloudflare: RANGES })) {
                expect(names(step.scripts.create), step.name).toEqual(names(step.scripts.audit));
                const expected = step.name === "service" ? ["env:*"] : step.name === "cloudflared" ? ["tunnelToken"] : [];
                expect(names(step.scripts.create), step.name).toEqual(expected);
            }
        }
    });

    it("secrets stay out of the script text", () => {
        for (const job of auditJobs(prodConfig, RANGES, SECRETS)) {
            const document = unpackStdin(job.stdin);
            if (job.secretValues.length > 0) expect(document).toContain(`\n${SECRETS_SEPARATOR}\n`);
            const script = document.split(`\n${SECRETS_SEPARATOR}\n`)[0];
            for (const s of Object.values(FAKE_SECRETS)) expect(script).not.toContain(s);
        }
    });

    it("the direct-mode firewall audit carries the given ranges", () => {
        const firewall = auditJobs(stagingConfig, { ipv4: ["198.51.100.0/24"], ipv6: ["2001:db8::/32"] }, SECRETS).find((j) => j.step === "firewall");
        expect(unpackStdin(firewall!.stdin)).toContain("'198.51.100.0/24'");
        expect(unpackStdin(firewall!.stdin)).toContain("'2001:db8::/32'");
        expect(stepSecrets("cloudflared", prodConfig, { appSecretEnv: {} })).toBeUndefined();
        expect(stepSecrets("firewall", prodConfig, SECRETS)).toBeUndefined();
    });
});

describe("audit output", () => {
    it("takes the last JSON line of the step, values as text", () => {
        const out = 'noise\n{"step":"tools","items":[{"item":"nssm","desired":"2.24","actual":"missing","ok":false},{"item":"n","desired":3,"actual":null,"ok":true}]}\r\n';
        expect(parseAuditOutput("tools", out)).toEqual([
            { item: "nssm", desired: "2.24", actual: "missing", ok: false },
            { item: "n", desired: "3", actual: "", ok: true },
        ]);
        expect(parseAuditOutput("health", '{"step":"health","items":{"item":"status","desired":"200","actual":"200","ok":true}}')).toHaveLength(1);
    });

    it.each([
        ["", "audit tools: no result line in the output"],
        ['{"step":"service","items":[]}', "audit tools: no result line in the output"],
        ['{"step":"tools","items":"x"}', 'audit tools: "items" is not a list'],
        ['{"step":"tools","items":[{"item":"a"}]}', 'audit tools: item 0 lacks "item" or "ok"'],
    ])("refuses %j", (out, message) => {
        expect(() => parseAuditOutput("tools", out)).toThrow(message);
    });
});

describe("targets and transports", () => {
    it("ssh and winrm targets from the host config", () => {
        expect(remoteTarget(sshHost, "KEY", () => "")).toEqual({ transport: "ssh", host: "203.0.113.10", port: 22, user: "Administrator", hostKey: sshHost.hostKey, privateKey: "KEY" });
        expect(remoteTarget({ ...winrmHost, winrmCaFile: "/ca.pem" }, "PW", (p) => `pem of ${p}`)).toEqual({
            transport: "winrm", host: "nova-win.example.net", port: 5986, user: "PPZ", password: "PW", auth: "negotiate", allowHttp: false, caPem: "pem of /ca.pem",
        });
    });

    it("host key lines: the type named inside the blob must match", () => {
        const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
        expect(parseHostKeyLine(`ssh-ed25519 ${blob.toString("base64")} me@host`)).toEqual({ type: "ssh-ed25519", blob });
        expect(() => parseHostKeyLine(`ssh-rsa ${blob.toString("base64")}`)).toThrow("hostKey: the key data does not hold a ssh-rsa key");
        expect(() => parseHostKeyLine("ssh-ed25519")).toThrow("expected an OpenSSH public key line");
        expect(hostKeyAlgorithms("ssh-rsa")).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
        expect(hostKeyAlgorithms("ecdsa-sha2-nistp256")).toEqual(["ecdsa-sha2-nistp256"]);
    });

    it("the winrm branch runs the WinRM runner (nothing listens on this loopback port: unreachable)", async () => {
        const target: RemoteTarget = { transport: "winrm", host: "127.0.0.1", port: 9, user: "u", password: "p", auth: "basic", allowHttp: true };
        await expect(runRemote(target, "x", 2000)).rejects.toMatchObject({ reason: "unreachable" });
    });

    it("an unreachable host stops after its first step; a failing audit does not", async () => {
        const calls: string[] = [];
        const jobs = auditJobs({ ...prodConfig, hosts: [sshHost, { ...sshHost, name: "other", address: "203.0.113.11" }] }, RANGES, SECRETS);
        const results = await runHostAudits(jobs, (h) => remoteTarget(h, "k", () => ""), async (t) => {
            calls.push(t.host);
            if (t.host === "203.0.113.10") throw new RemoteUnavailableError("203.0.113.10:22: unreachable (ECONNREFUSED)", "unreachable");
            return { exitCode: 1, stdout: "", stderr: "secret tunnelToken was not supplied\n" };
        }, 1000);
        expect(calls.filter((h) => h === "203.0.113.10")).toHaveLength(1);
        expect(calls.filter((h) => h === "203.0.113.11")).toHaveLength(7);
        expect(results.filter((r) => r.host === "rondot").every((r) => r.status === "unavailable" && r.reason.endsWith("unreachable (ECONNREFUSED)"))).toBe(true);
        expect(results.find((r) => r.host === "other")).toEqual({ host: "other", step: "preflight", status: "unavailable", reason: "audit failed (exit 1): secret tunnelToken was not supplied" });
    });
});

describe("stack secrets from the Pulumi CLI", () => {
    it("config --json: values as a program receives them", () => {
        const text = JSON.stringify({
            "nova:hostname": { value: "nova-rondot.itspirit.ovh", secret: false },
            "nova:hosts": { value: '[{"name":"rondot"}]', objectValue: [{ name: "rondot" }], secret: false },
            "nova:sshPrivateKey": { value: "fake-openssh-private-key:\n...", secret: true },
            "nova:appSecretEnv": { objectValue: { OPENAI_API_KEY: "sk" }, secret: true },
            "nova:unset": {},
        });
        expect(configValuesFromJson(text)).toEqual({
            "nova:hostname": "nova-rondot.itspirit.ovh",
            "nova:hosts": '[{"name":"rondot"}]',
            "nova:sshPrivateKey": "fake-openssh-private-key:\n...",
            "nova:appSecretEnv": '{"OPENAI_API_KEY":"sk"}',
        });
    });

    it("stack export --show-secrets: the tunnel component's token", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify("eyJtoken") };
        const doc = { version: 3, deployment: { resources: [{ type: "pulumi:pulumi:Stack", outputs: {} }, { type: "nova:tunnel:NovaTunnel", outputs: { tunnelId: "t", token: secret } }] } };
        expect(tunnelTokenFromExport(JSON.stringify(doc))).toBe("eyJtoken");
        expect(tunnelTokenFromExport(JSON.stringify({ deployment: { resources: [] } }))).toBeUndefined();
    });
});

describe("Cloudflare ranges", () => {
    it("from a file (getIpRanges or the API's shape) or the snapshot, saying which", () => {
        expect(parseRangesJson('{"ipv4Cidrs":["1.2.3.0/24"],"ipv6Cidrs":["2001:db8::/32"]}', "f")).toEqual({ ipv4: ["1.2.3.0/24"], ipv6: ["2001:db8::/32"] });
        expect(parseRangesJson('{"result":{"ipv4Cidrs":["1.2.3.0/24"],"ipv6Cidrs":["2001:db8::/32"]},"success":true}', "f").ipv4).toEqual(["1.2.3.0/24"]);
        expect(() => parseRangesJson('{"ipv4Cidrs":[]}', "r.json")).toThrow("r.json: expected ipv4Cidrs as a non-empty list of CIDRs");
        const snap = chooseRanges(undefined, () => "");
        expect(snap.ranges.ipv4).toContain("173.245.48.0/20");
        expect(snap.source).toMatch(/^Cloudflare ranges from the offline snapshot recorded on 2026-11-25 /);
    });
});

describe("exit codes", () => {
    const checked = (ok: boolean) => ({ host: "h", step: "tools" as const, status: "checked" as const, items: [{ item: "i", desired: "a", actual: ok ? "a" : "b", ok }] });
    const edgeOk: EdgeResult = { status: "checked", drift: [] };
    it.each([
        [[checked(true)], edgeOk, 0],
        [[checked(false)], edgeOk, 2],
        [[checked(true)], { status: "checked", drift: [{ urn: "u", type: "t", change: "update", properties: ["value"] }] } as EdgeResult, 2],
        [[checked(true)], { status: "unavailable", reason: "no CLI" } as EdgeResult, 1],
        [[checked(false), { host: "h", step: "health" as const, status: "unavailable" as const, reason: "timeout" }], edgeOk, 1],
    ])("%#", (hosts, edge, code) => {
        expect(exitCodeFor({ stack: "prod", hosts, edge })).toBe(code);
    });
});

describe("command", () => {
    let root = "";
    beforeAll(() => {
        root = mkdtempSync(join(tmpdir(), "nova-drift-cmd-"));
        // The committed stacks with their placeholders set: drift, like a real preview, refuses placeholders.
        for (const s of ["prod", "staging"] as const) writeFileSync(join(root, `Pulumi.${s}.yaml`), siteStackFile(s));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    const noEdge = { previewRefresh: async (): Promise<EdgeResult> => ({ status: "unavailable", reason: "the Pulumi CLI is not installed (no `pulumi` on PATH)" }) };
    function deps(over: Partial<DriftDeps>): DriftDeps & { out: () => string; err: () => string } {
        let out = "";
        let err = "";
        return {
            rootDir: root,
            stdout: (t) => (out += t),
            stderr: (t) => (err += t),
            readSecrets: async () => {
                throw new CannotCheckError("the Pulumi CLI is not installed (no `pulumi` on PATH)");
            },
            runRemote: async () => {
                throw new Error("not expected");
            },
            pulumi: noEdge,
            readFile: (p) => readFileSync(p, "utf8"),
            ...over,
            out: () => out,
            err: () => err,
        };
    }

    it("without the Pulumi CLI: both halves could not check (exit 1), said plainly", async () => {
        const d = deps({});
        expect(await main(["--stack", "prod"], d)).toBe(1);
        expect(d.out()).toBe(
            "Drift of stack prod\n\nCould not check:\n" +
                "- hosts: host credentials and secrets could not be read: the Pulumi CLI is not installed (no `pulumi` on PATH)\n" +
                "- edge: could not check: the Pulumi CLI is not installed (no `pulumi` on PATH)\n\n" +
                "Result: some checks could not run (exit 1)\n",
        );
    });

    it("direct mode: the ranges file reaches the firewall audit and the output names its source; an unreachable winrm host", async () => {
        writeFileSync(join(root, "ranges.json"), JSON.stringify({ ipv4Cidrs: ["198.51.100.0/24"], ipv6Cidrs: ["2001:db8::/32"] }));
        const seen: string[] = [];
        const d = deps({
            readSecrets: async () => ({ values: { "nova:winrmPassword": "pw-FAKE", "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: "a", OPENAI_API_KEY: "b" }) } }),
            runRemote: async (t, stdin) => {
                seen.push(stdin);
                throw new RemoteUnavailableError(`${t.host}:${t.port}: connection refused`, "unreachable");
            },
        });
        expect(await main(["--stack", "staging", "--only", "hosts", "--cloudflare-ranges", join(root, "ranges.json")], d)).toBe(1);
        expect(d.out()).toContain(`Cloudflare ranges from ${join(root, "ranges.json")}`);
        expect(d.out()).toContain("- staging preflight: 10.20.0.20:5986: connection refused");
        expect(seen).toHaveLength(1);
        expect(d.out()).not.toContain("pw-FAKE");
    });

    it("invalid secrets or arguments: exit 1 with the problems", async () => {
        const d = deps({ readSecrets: async () => ({ values: {} }) });
        expect(await main(["--stack", "prod", "--only", "hosts"], d)).toBe(1);
        expect(d.err()).toContain("nova:sshPrivateKey: required secret is not set");
        const e = deps({});
        expect(await main(["--stack", "nope"], e)).toBe(1);
        expect(e.err()).toContain("no stack file");
    });
});
