/**
 * The drift command against a real OpenSSH server on 127.0.0.1 (see test/support/sshd.ts): host key
 * check, the script on stdin byte for byte, the fixed command line, drift table and exit codes, and the
 * repair: exactly the create scripts of the drifted steps, then their audits again.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { validateStack } from "../../../components/config";
import type { NovaConfig } from "../../../components/types";
import { LOADER_TEXT, bootstrapCommand, buildStdin, decodePowerShellCommand, unpackStdin } from "../../../components/host/bootstrap";
import { stepStdin } from "../../../components/host/commands";
import { boundScripts } from "../../../components/host/stepBound";
import { renderHostStep, type StepName, stepNames } from "../../../components/host/steps";
import { main, type DriftDeps } from "../../../scripts/drift/main";
import type { EdgeResult } from "../../../scripts/drift/edge";
import { runRemote } from "../../../scripts/shared/remote/run";
import { FAKE_SECRETS } from "../../support/fixtures/configs";
import { freePort, type SshdFixture, startSshd } from "../../support/sshd";
import { REAL_ACCOUNT_ID } from "../../support/fixtures/siteValues";

const STACK = "drifttest";
let sshd: SshdFixture | undefined;
let unavailable = "";
let root = "";

beforeAll(async () => {
    try {
        sshd = await startSshd();
    } catch (err) {
        unavailable = (err as Error).message;
        if (process.env.CI) throw new Error(`the SSH drift tests must run in CI: ${unavailable}`);
        console.warn(`drift.ssh tests skipped: OpenSSH server not available: ${unavailable}`);
    }
    root = mkdtempSync(join(tmpdir(), "nova-drift-"));
}, 30_000);

afterAll(async () => {
    await sshd?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
}, 10_000);

/** Pulumi.prod.yaml with its one host pointed at the test server. */
function writeStack(port: number, hostKey: string): void {
    const doc = parse(readFileSync(join(__dirname, "..", "..", "..", "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    doc.config["nova:hosts"] = [{ name: "rondot", address: "127.0.0.1", port, transport: "ssh", user: sshd!.user, hostKey }];
    doc.config["nova:accountId"] = REAL_ACCOUNT_ID; // drift, like a real preview, refuses the all-zero placeholder
    writeFileSync(join(root, `Pulumi.${STACK}.yaml`), stringify(doc));
}

function secretValues(): Record<string, string> {
    return {
        "nova:sshPrivateKey": sshd!.clientKey,
        "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: FAKE_SECRETS.ANTHROPIC_API_KEY, OPENAI_API_KEY: FAKE_SECRETS.OPENAI_API_KEY }),
    };
}

const noEdgeDrift: EdgeResult = { status: "checked", drift: [] };

async function drift(argv: string[], edge: EdgeResult = noEdgeDrift): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const deps: DriftDeps = {
        rootDir: root,
        stdout: (t) => (out += t),
        stderr: (t) => (err += t),
        readSecrets: async () => ({ values: secretValues(), tunnelToken: FAKE_SECRETS.tunnelToken }),
        runRemote: (target, stdin) => runRemote(target, stdin, 15_000),
        pulumi: { previewRefresh: async () => edge },
        readFile: (p) => readFileSync(p, "utf8"),
    };
    const code = await main(["--stack", STACK, ...argv], deps);
    return { code, out, err };
}

/** The validated configuration the command sees (the stack file and the secrets, checked against the stack files of its directory). */
function stackConfig(): NovaConfig {
    const file = parse(readFileSync(join(root, `Pulumi.${STACK}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const values = { ...Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])), ...secretValues() };
    return validateStack((k) => values[`nova:${k}`], STACK, undefined, root);
}

const SECRET_DOCS: Partial<Record<StepName, Record<string, string>>> = {
    service: { "env:ANTHROPIC_API_KEY": FAKE_SECRETS.ANTHROPIC_API_KEY, "env:OPENAI_API_KEY": FAKE_SECRETS.OPENAI_API_KEY },
    cloudflared: { tunnelToken: FAKE_SECRETS.tunnelToken },
};

/** The stdin document the command must send for a step's audit or create script, with the step's secrets. */
function expectedStdin(kind: "audit" | "create", name: StepName): string {
    const cfg = stackConfig();
    const scripts = renderHostStep(name, cfg, cfg.hosts[0], { cloudflare: { ipv4: [], ipv6: [] } });
    if (kind === "audit") return buildStdin(scripts.audit, SECRET_DOCS[name]);
    // (the stand-in records the document its packed stdin carries)
    // a repair sends what `pulumi up` sends: the create with its bound line, the delete after it
    return unpackStdin(stepStdin(boundScripts(scripts, { host: cfg.hosts[0].name, step: name, seconds: cfg.stepTimeoutSeconds }), SECRET_DOCS[name]));
}

/** Every audit, in run order. */
const allAudits = (): string[] => stepNames(stackConfig()).map((n) => expectedStdin("audit", n));

const ok = (step: string, items: [string, string][]) =>
    JSON.stringify({ step, items: items.map(([item, value]) => ({ item, desired: value, actual: value, ok: true })) });

const CLEAN: Record<string, string> = Object.fromEntries(
    ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"].map((s) => [s, ok(s, [["present", "yes"]])]),
);
const PYTHON = "C:\\Users\\PPZ\\NOVA-SERVER\\.venv\\Scripts\\python.exe";
const DRIFTED: Record<string, string> = {
    ...CLEAN,
    service: JSON.stringify({
        step: "service",
        items: [
            { item: "Application", desired: PYTHON, actual: "C:\\Python311\\python.exe", ok: false },
            { item: "AppEnvironmentExtra", desired: "(hidden)", actual: "(hidden)", ok: true },
        ],
    }),
};

describe("drift over a real OpenSSH server", () => {
    it("refuses a host whose key is not the configured one (exit 1, nothing runs)", async (ctx) => {
        if (!sshd) return ctx.skip(unavailable);
        sshd.clear();
        sshd.setAnswers(CLEAN);
        writeStack(sshd.port, sshd.otherHostKeyLine);
        const r = await drift(["--only", "hosts"]);
        expect(r.code).toBe(1);
        expect(r.out).toContain("host key mismatch");
        expect(r.out).toContain("Result: some checks could not run (exit 1)");
        expect(sshd.commands()).toEqual([]);
        expect(sshd.records()).toEqual([]);
    }, 30_000);

    it("sends each audit script intact on stdin under the fixed command, and reports drift (exit 2)", async (ctx) => {
        if (!sshd) return ctx.skip(unavailable);
        sshd.clear();
        sshd.setAnswers(DRIFTED);
        writeStack(sshd.port, sshd.hostKeyLine);
        const r = await drift(["--repair"]);
        expect(r.err).toBe("");
        expect(r.code).toBe(2);

        // Without --yes nothing but the audits runs.
        const expected = allAudits();
        const records = sshd.records();
        expect(records.map((x) => x.stdin)).toEqual(expected);
        expect(Buffer.from(records[3].stdin, "utf8").equals(Buffer.from(expected[3], "utf8"))).toBe(true);

        // The command line is the fixed bootstrap, every time; no secret is on it.
        expect(sshd.commands()).toEqual(expected.map(() => bootstrapCommand()));
        for (const rec of records) {
            expect(rec.args.slice(0, 5)).toEqual(["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-EncodedCommand"]);
            expect(decodePowerShellCommand(rec.args[5])).toBe(LOADER_TEXT);
        }
        const commandText = sshd.commands().join("\n") + records.map((x) => x.args.join(" ")).join("\n");
        for (const secret of Object.values(FAKE_SECRETS)) {
            expect(commandText).not.toContain(secret);
            expect(r.out).not.toContain(secret);
        }

        const lines = r.out.split("\n");
        const row = lines.find((l) => /^rondot\s+service\s+Application\s/.test(l));
        expect(row).toMatch(/^rondot\s+service\s+Application\s+C:\\Users\\PPZ\\NOVA-SERVER\\\.venv\\Scripts\\python\.exe\s+C:\\Python311\\python\.exe\s+DRIFT$/);
        expect(lines.find((l) => /^rondot\s+service\s+AppEnvironmentExtra\s/.test(l))).toMatch(/\(hidden\)\s+\(hidden\)\s+ok$/);
        expect(r.out).toContain(
            "\nRepair (re-applies each drifted host step: its create script, as pulumi up ran it, runs again over the host's transport; it sets only what differs):\n" +
                "  rondot service (create script over ssh)\n" +
                "To run it:\n" +
                "  npm run drift -- --stack drifttest --repair --yes\n\n" +
                "Result: drift found (exit 2)\n",
        );
        expect(r.out).not.toContain("--replace");
        expect(r.out).not.toContain("pulumi up --refresh");
    }, 60_000);

    it("--repair --yes sends exactly the create script of the drifted step, audits it again and exits 0 when it is clean", async (ctx) => {
        if (!sshd) return ctx.skip(unavailable);
        sshd.clear();
        sshd.setAnswers(DRIFTED, { service: { changed: ["Application"], auditAfter: CLEAN.service } });
        writeStack(sshd.port, sshd.hostKeyLine);
        const r = await drift(["--repair", "--yes"]);
        const records = sshd.records();
        // The audits, then the create script of `service` only (nothing for the clean steps), then its audit again.
        expect(records.map((x) => x.stdin)).toEqual([...allAudits(), expectedStdin("create", "service"), expectedStdin("audit", "service")]);
        expect(Buffer.from(records[7].stdin, "utf8").equals(Buffer.from(expectedStdin("create", "service"), "utf8"))).toBe(true);
        expect(records[7].stdin).toContain(`"env:OPENAI_API_KEY":"${FAKE_SECRETS.OPENAI_API_KEY}"`);
        expect(sshd.commands()).toEqual(records.map(() => bootstrapCommand()));
        expect(r.out).toContain(
            "  rondot service (create script over ssh)\n" +
                "Repair run:\n" +
                "  rondot service: re-applied (changed Application); audit again: clean\n\n" +
                "Result: every drifted host step re-applied and clean (exit 0)\n",
        );
        expect(r.err).toBe("drift: re-applying rondot service (its create script over ssh)\ndrift: auditing rondot again: service\n");
        for (const secret of Object.values(FAKE_SECRETS)) expect(r.out + r.err).not.toContain(secret);
        expect(r.code).toBe(0);
    }, 60_000);

    it("--host and --step restrict the repair", async (ctx) => {
        if (!sshd) return ctx.skip(unavailable);
        sshd.clear();
        sshd.setAnswers(DRIFTED, { service: { changed: ["Application"], auditAfter: CLEAN.service } });
        writeStack(sshd.port, sshd.hostKeyLine);
        const r = await drift(["--repair", "--yes", "--step", "tools"]);
        // `service` drifted but is not selected: nothing is re-applied and the drift remains (exit 2).
        expect(sshd.records().map((x) => x.stdin)).toEqual(allAudits());
        expect(r.out).toContain("  no drifted host step\n");
        expect(r.code).toBe(2);
        const other = await drift(["--repair", "--host", "nope"]);
        expect(other.code).toBe(1);
        expect(other.err).toBe("drift: --host: stack drifttest has no host nope (its hosts: rondot)\n");
    }, 60_000);

    it("a failing create script stops the host: later steps are not run, no audit again, exit 1", async (ctx) => {
        if (!sshd) return ctx.skip(unavailable);
        sshd.clear();
        const tools = JSON.stringify({ step: "tools", items: [{ item: "nssm", desired: "2.24", actual: "missing", ok: false }] });
        sshd.setAnswers({ ...DRIFTED, tools }, { tools: { exitCode: 1, stderr: "tools failed: nssm: download refused" } });
        writeStack(sshd.port, sshd.hostKeyLine);
        const r = await drift(["--repair", "--yes"]);
        expect(sshd.records().map((x) => x.stdin)).toEqual([...allAudits(), expectedStdin("create", "tools")]);
        expect(r.out).toContain(
            "Repair run:\n" +
                "  rondot tools: FAILED: create script failed (exit 1): tools failed: nssm: download refused\n" +
                "  rondot service: NOT RUN: stopped after rondot tools failed\n\n" +
                "Result: repair incomplete: 2 of 2 drifted host steps not repaired (exit 1)\n",
        );
        expect(r.code).toBe(1);
    }, 60_000);

    it("reports JSON for machines; the edge repair is named, not run (its drift remains: exit 2)", async (ctx) => {
        if (!sshd) return ctx.skip(unavailable);
        sshd.clear();
        sshd.setAnswers(DRIFTED, { service: { changed: ["Application"], auditAfter: CLEAN.service } });
        writeStack(sshd.port, sshd.hostKeyLine);
        const edge: EdgeResult = { status: "checked", drift: [{ urn: "urn:pulumi:drifttest::nova::nova:dns:NovaDns$cloudflare:index/dnsRecord:DnsRecord::nova-record", type: "cloudflare:index/dnsRecord:DnsRecord", change: "delete", properties: [] }] };
        const r = await drift(["--json", "--repair", "--yes"], edge);
        expect(r.code).toBe(2);
        const doc = JSON.parse(r.out);
        expect(doc.exitCode).toBe(2);
        expect(doc.driftRemaining).toBe(true);
        expect(doc.repair.steps).toEqual([
            { host: "rondot", step: "service", transport: "ssh", urn: "urn:pulumi:drifttest::nova::nova:host:WindowsHostService$command:remote:Command::rondot-service" },
        ]);
        expect(doc.repair.command).toBe("npm run drift -- --stack drifttest --repair --yes");
        expect(doc.repair.results).toMatchObject([{ host: "rondot", step: "service", status: "repaired", changed: ["Application"], reaudit: { status: "checked", items: [{ item: "present", ok: true }] } }]);
        expect(doc.repair.edgeCommand).toBe("pulumi up --refresh --stack drifttest");
        expect(doc.edge.drift[0].change).toBe("delete");
        expect(doc.hosts.find((h: { step: string }) => h.step === "service").items[0]).toEqual({
            item: "Application",
            desired: PYTHON,
            actual: "C:\\Python311\\python.exe",
            ok: false,
        });
    }, 60_000);

    it("exits 0 when every item matches", async (ctx) => {
        if (!sshd) return ctx.skip(unavailable);
        sshd.clear();
        sshd.setAnswers(CLEAN);
        writeStack(sshd.port, sshd.hostKeyLine);
        const r = await drift([]);
        expect(r.code).toBe(0);
        expect(r.out).toContain("Result: no drift (exit 0)");
        expect(r.out).not.toContain("DRIFT");
        expect(sshd.records()).toHaveLength(7);
    }, 60_000);

    it("exits 1 when the port is closed, naming the host as unreachable", async (ctx) => {
        if (!sshd) return ctx.skip(unavailable);
        writeStack(await freePort(), sshd.hostKeyLine);
        const r = await drift(["--only", "hosts"]);
        expect(r.code).toBe(1);
        expect(r.out).toMatch(/rondot preflight: .*127\.0\.0\.1:\d+: unreachable \(ECONNREFUSED\)/);
        expect(r.out.match(/unreachable/g)?.length).toBe(7);
    }, 30_000);
});
