/**
 * WindowsHostService through the real program (index.ts) under the mock runtime: the command resource
 * of each host step, its wire-form inputs, its order, and what never appears in clear.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_TEXT, SECRETS_SEPARATOR, bootstrapCommand, buildStdin, decodePowerShellCommand, inlineCommand } from "../components/host/bootstrap";
import { normalizeCidrList } from "../components/host/cidr";
import { renderHostStep } from "../components/host/steps";
import { healthStdin } from "../components/host/commands";
import { boundScripts, withStepBound } from "../components/host/stepBound";
import type { StepName } from "../components/host/steps";
import type { HostConfig } from "../components/types";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT, OFFLINE_TUNNEL_TOKEN } from "../scripts/lib/offlineFixtures";
import type { RecordedResource } from "../scripts/lib/mockRuntime";
import type { Plan } from "../scripts/lib/plan";
import { redact } from "../scripts/lib/redact";
import { ROOT, ofType, one, plan, program, stackWith } from "./harness";
import { planOffline } from "../scripts/lib/plan";
import { ownerCovering, withZoneStacksDir } from "../scripts/lib/zoneOwner";
import { writeArtefacts } from "../scripts/lib/artefacts";
import { isSecretWire, revealWire } from "../scripts/lib/redact";
import { initPowerShellParser, singleQuotedValues, syntaxProblems } from "./powershellParse";

beforeAll(initPowerShellParser);

const REMOTE = "command:remote:Command";
const LOCAL = "command:local:Command";
const COMPONENT = "nova:host:WindowsHostService";

const SSH_KEY = "fake-openssh-private-key:hostsvc-ssh-key-Q7zX";
const WINRM_PASSWORD = "hostsvc-winrm-Pa55-Q7zX";
const ANTHROPIC = "hostsvc-anthropic-Q7zX";
const OPENAI = "hostsvc-openai-Q7zX";
const SECRETS = {
    "nova:sshPrivateKey": SSH_KEY,
    "nova:winrmPassword": WINRM_PASSWORD,
    "nova:appSecretEnv": JSON.stringify({ ANTHROPIC_API_KEY: ANTHROPIC, OPENAI_API_KEY: OPENAI }),
};
const CLEAR = [SSH_KEY, "hostsvc-ssh-key-Q7zX", WINRM_PASSWORD, ANTHROPIC, OPENAI, OFFLINE_TUNNEL_TOKEN];
const SNAPSHOT = { ipv4: [...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs], ipv6: [...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs] };

const TUNNEL_STEPS: StepName[] = ["preflight", "tools", "dotenv", "service", "cloudflared", "firewall", "health"];
const DIRECT_STEPS: StepName[] = ["preflight", "tools", "dotenv", "certificate-request", "certificate", "service", "firewall", "health"];
const WITH_DELETE: StepName[] = ["tools", "dotenv", "certificate-request", "service", "cloudflared", "firewall"];
/** The health step's stdin ends with a digest of the earlier steps' stdin. */
const DIGEST_LINE = /# after earlier steps [0-9a-f]{64}\n$/;

const isSecret = isSecretWire;
const reveal = revealWire;
/** The wire value with every secret-marked part removed. */
function withoutSecrets(v: unknown): unknown {
    if (isSecret(v)) return "(secret)";
    if (Array.isArray(v)) return v.map(withoutSecrets);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutSecrets(x)]));
    return v;
}
function commands(p: Plan): RecordedResource[] {
    return p.run.resources.filter((r) => r.type === REMOTE || r.type === LOCAL);
}
function stepsOf(p: Plan, host: string): RecordedResource[] {
    const parent = one(p, COMPONENT, host).urn;
    return commands(p).filter((r) => r.parent === parent);
}
function hostOf(p: Plan, name: string): HostConfig {
    const host = p.config.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`no host ${name}`);
    return host;
}
/** The step's scripts as its command carries them: the create bounded by nova:stepTimeoutSeconds on the host. */
function scriptsOf(p: Plan, host: string, step: StepName) {
    return boundScripts(renderHostStep(step, p.config, hostOf(p, host), { cloudflare: SNAPSHOT }), { host, step, seconds: p.config.stepTimeoutSeconds });
}
/** The script part of a stdin document. */
function scriptOfStdin(stdin: string): string {
    return stdin.split(`${SECRETS_SEPARATOR}\n`)[0].replace(DIGEST_LINE, "");
}

describe("ssh host (prod, tunnel mode)", async () => {
    const p = await plan("prod", {}, SECRETS);
    const steps = stepsOf(p, "rondot");

    it("creates one remote.Command per step, named <host>-<step>, in run order, children of the component", () => {
        expect(steps.map((r) => [r.type, r.name])).toEqual(TUNNEL_STEPS.map((s) => [REMOTE, `rondot-${s}`]));
        expect(ofType(p, COMPONENT).map((r) => r.name)).toEqual(["rondot"]);
    });

    it.each(TUNNEL_STEPS)("%s: fixed bootstrap for create and update, inline delete script, stdout logging, no env", (step) => {
        const r = one(p, REMOTE, `rondot-${step}`);
        const scripts = scriptsOf(p, "rondot", step);
        const expected: Record<string, unknown> = {
            addPreviousOutputInEnv: false,
            create: bootstrapCommand(),
            update: bootstrapCommand(),
            logging: "stdout",
            ...(scripts.delete !== undefined ? { delete: inlineCommand(scripts.delete) } : {}),
        };
        const { connection, stdin, ...rest } = r.inputs;
        expect(rest).toEqual(expected);
        expect(scripts.delete !== undefined).toBe(WITH_DELETE.includes(step));
        expect(scriptOfStdin(reveal<string>(stdin))).toBe(buildStdin(scripts.create));
        expect(isSecret(connection)).toBe(true);
        expect(reveal(connection)).toEqual({
            host: "192.0.2.10",
            port: 22,
            user: "PPZ",
            hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceWithTheKeyFromSshKeyscanOfTheServer",
            privateKey: SSH_KEY,
            dialErrorLimit: 5,
            perDialTimeout: 20,
        });
    });

    it("create runs the fixed bootstrap only: no script text, no secret on the command line", () => {
        for (const r of steps) {
            const create = r.inputs.create as string;
            expect(create.startsWith("powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ")).toBe(true);
            expect(decodePowerShellCommand(create.split(" ").pop() as string)).toBe(BOOTSTRAP_TEXT);
            expect(create).not.toContain("param(");
            for (const s of CLEAR) expect(create).not.toContain(s);
        }
    });

    it("marks stdin secret exactly for the steps that carry secrets, and the secrets document holds their values", () => {
        const secretSteps = steps.filter((r) => isSecret(r.inputs.stdin)).map((r) => r.name);
        // health carries no secret, but a digest over the secret steps' stdin: kept secret too.
        expect(secretSteps).toEqual(["rondot-service", "rondot-cloudflared", "rondot-health"]);
        for (const r of steps.filter((x) => !isSecret(x.inputs.stdin))) {
            expect(typeof r.inputs.stdin).toBe("string");
            expect(r.inputs.stdin as string).not.toContain(SECRETS_SEPARATOR);
        }
        const service = reveal<string>(one(p, REMOTE, "rondot-service").inputs.stdin);
        expect(service).toBe(buildStdin(scriptsOf(p, "rondot", "service").create, { "env:ANTHROPIC_API_KEY": ANTHROPIC, "env:OPENAI_API_KEY": OPENAI }));
        const tunnel = reveal<string>(one(p, REMOTE, "rondot-cloudflared").inputs.stdin);
        expect(tunnel).toBe(buildStdin(scriptsOf(p, "rondot", "cloudflared").create, { tunnelToken: OFFLINE_TUNNEL_TOKEN }));
    });

    it("health's stdin is its script plus the digest of every earlier step's stdin, so any change re-proves health", async () => {
        const earlier = steps.slice(0, -1).map((r) => reveal<string>(r.inputs.stdin));
        const health = reveal<string>(one(p, REMOTE, "rondot-health").inputs.stdin);
        expect(health).toBe(healthStdin(scriptsOf(p, "rondot", "health"), earlier));
        // One changed .env value (appEnv re-runs only dotenv's script) changes health's input too.
        const changed = await plan("prod", { "nova:appEnv": JSON.stringify({ LOG_LEVEL: "debug" }) }, SECRETS);
        const after = reveal<string>(one(changed, REMOTE, "rondot-health").inputs.stdin);
        expect(scriptOfStdin(after)).toBe(scriptOfStdin(health));
        expect(after).not.toBe(health);
    });

    it("stores stdout and stderr of every step as secrets (additionalSecretOutputs), whether or not its stdin is secret", () => {
        // remote.Command adds "connection" itself (@pulumi/command remote/command.js merges it into the options).
        expect(steps.map((r) => [r.name, r.additionalSecretOutputs])).toEqual(TUNNEL_STEPS.map((s) => [`rondot-${s}`, ["stdout", "stderr", "connection"]]));
    });

    it("orders the steps with dependsOn on the previous step (destroy runs them in reverse)", () => {
        const urns = new Set(steps.map((r) => r.urn));
        steps.forEach((r, i) => {
            expect(r.dependencies.filter((d) => urns.has(d))).toEqual(i === 0 ? [] : [steps[i - 1].urn]);
        });
    });

    it("has no inbound firewall rule addresses in tunnel mode", () => {
        const firewall = one(p, REMOTE, "rondot-firewall").inputs.stdin as string;
        expect(firewall).not.toContain("$NovaCidrs");
        for (const cidr of [...SNAPSHOT.ipv4, ...SNAPSHOT.ipv6]) expect(firewall).not.toContain(cidr);
    });
});

describe("winrm host (staging, direct mode)", async () => {
    const p = await plan("staging", {}, SECRETS);
    const steps = stepsOf(p, "staging");
    const runner = `node "${ROOT}/node_modules/ts-node/dist/bin.js" --transpile-only "${ROOT}/scripts/winrmRun.ts"`;

    it("creates one local.Command per step (no cloudflared step in direct mode)", () => {
        expect(steps.map((r) => [r.type, r.name])).toEqual(DIRECT_STEPS.map((s) => [LOCAL, `staging-${s}`]));
    });

    it.each(DIRECT_STEPS)("%s: runs the WinRM runner by absolute paths, connection in the local environment", (step) => {
        const r = one(p, LOCAL, `staging-${step}`);
        const scripts = scriptsOf(p, "staging", step);
        const { environment, stdin, ...rest } = r.inputs;
        const del = scripts.delete === undefined ? {} : { delete: `${runner} --script-b64 ${Buffer.from(buildStdin(scripts.delete)).toString("base64")}` };
        expect(rest).toEqual({ addPreviousOutputInEnv: false, create: runner, update: runner, logging: "stdout", ...del });
        const env = environment as Record<string, unknown>;
        expect(isSecret(env.NOVA_WINRM_PASSWORD)).toBe(true);
        expect(reveal(env.NOVA_WINRM_PASSWORD)).toBe(WINRM_PASSWORD);
        expect({ ...env, NOVA_WINRM_PASSWORD: "x" }).toEqual({
            NOVA_WINRM_HOST: "198.51.100.20",
            NOVA_WINRM_PORT: "5986",
            NOVA_WINRM_USER: "Administrator",
            NOVA_WINRM_ALLOW_HTTP: "false",
            NOVA_WINRM_AUTH: "negotiate",
            NOVA_WINRM_PASSWORD: "x",
            // nova:stepTimeoutSeconds (default 1800): the runner fails the step when the run takes longer.
            NOVA_WINRM_TIMEOUT_MS: "1800000",
            // ... and its error then names the step and the host (as the host's own bound does).
            NOVA_WINRM_STEP: step,
            NOVA_WINRM_HOST_NAME: "staging",
        });
        expect(scriptOfStdin(reveal<string>(stdin))).toBe(buildStdin(scripts.create));
    });

    it("the delete document decodes to the step's delete script and holds no secret", () => {
        const del = one(p, LOCAL, "staging-service").inputs.delete as string;
        const doc = Buffer.from(del.split(" --script-b64 ")[1], "base64").toString("utf8");
        expect(doc).toBe(buildStdin(scriptsOf(p, "staging", "service").delete as string));
        for (const s of CLEAR) expect(doc).not.toContain(s);
    });

    it("passes the CA file (absolute, from the project root) over HTTPS, and plain HTTP only as the opt-in", async () => {
        const withCa = JSON.stringify([{ name: "staging", address: "198.51.100.20", transport: "winrm", user: "Administrator", winrmCaFile: "certs/ca.pem" }]);
        const env = one(await plan("staging", { "nova:hosts": withCa }, SECRETS), LOCAL, "staging-health").inputs.environment as Record<string, unknown>;
        expect([env.NOVA_WINRM_ALLOW_HTTP, env.NOVA_WINRM_PORT, env.NOVA_WINRM_CA_FILE]).toEqual(["false", "5986", `${ROOT}/certs/ca.pem`]);
        const http = JSON.stringify([{ name: "staging", address: "198.51.100.20", transport: "winrm", user: "Administrator", winrmAllowHttp: true }]);
        const plain = one(await plan("staging", { "nova:hosts": http }, SECRETS), LOCAL, "staging-health").inputs.environment as Record<string, unknown>;
        expect([plain.NOVA_WINRM_ALLOW_HTTP, plain.NOVA_WINRM_PORT, plain.NOVA_WINRM_CA_FILE]).toEqual(["true", "5985", undefined]);
    });

    it("opens the app port to exactly the offline snapshot of Cloudflare's ranges", () => {
        const firewall = one(p, LOCAL, "staging-firewall").inputs.stdin as string;
        const line = firewall.split("\n").find((l) => l.startsWith("$NovaCidrs = "));
        expect(line).toBeDefined();
        const addresses = singleQuotedValues(line as string);
        expect(addresses).toEqual(normalizeCidrList([...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs, ...CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs]));
        expect(addresses).toHaveLength(CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv4Cidrs.length + CLOUDFLARE_IP_RANGES_SNAPSHOT.ipv6Cidrs.length);
        expect(addresses).toContain("173.245.48.0/20");
        expect(addresses).toContain("2c0f:f248::/32");
    });

    it("stores stdout and stderr of every step as secrets (additionalSecretOutputs)", () => {
        expect(steps.map((r) => [r.name, r.additionalSecretOutputs])).toEqual(DIRECT_STEPS.map((s) => [`staging-${s}`, ["stdout", "stderr"]]));
    });

    it("marks only the service's stdin secret (no tunnel token in direct mode)", () => {
        expect(steps.filter((r) => isSecret(r.inputs.stdin)).map((r) => r.name)).toEqual(["staging-service", "staging-health"]);
    });
});

describe("secrets and determinism", () => {
    for (const stack of ["prod", "staging"]) {
        it(`${stack}: no secret value in the redacted plan or in any non-secret wire input`, async () => {
            const p = await plan(stack, {}, SECRETS);
            const redacted = JSON.stringify(p.document);
            const plain = JSON.stringify(p.run.resources.map((r) => withoutSecrets(r.inputs)));
            for (const s of CLEAR) {
                expect(redacted).not.toContain(s);
                expect(plain).not.toContain(s);
            }
            // The values are there, under secret markers: the check above looked at the right data.
            expect(JSON.stringify(p.run.resources.map((r) => r.inputs))).toContain(ANTHROPIC);
        });

        it(`${stack}: two plans give byte-identical command inputs`, async () => {
            const sorted = async () => JSON.stringify(commands(await plan(stack, {}, SECRETS)).map((r) => ({ name: r.name, inputs: redact(r.inputs), wire: r.inputs })), (_k, v) =>
                v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
            );
            expect(await sorted()).toBe(await sorted());
        });
    }

    it.each([
        ["prod", "rondot", ["preflight", "dotenv", "firewall", "health"]],
        ["staging", "staging", ["preflight", "dotenv", "service", "firewall", "health"]],
    ] as const)("%s: changing appPort changes the inputs of exactly the steps whose scripts use the port", async (stack, host, changed) => {
        const a = await plan(stack, {}, SECRETS);
        // A direct-mode guest's new port needs the zone owner to route it: plan against an owner that does.
        const variant = stackWith(stack, { "nova:appPort": "8123" }, SECRETS);
        const b = await withZoneStacksDir(ownerCovering(ROOT, stackWith(stack), variant), () => planOffline(variant, program));
        const differs = stepsOf(a, host)
            .filter((r) => JSON.stringify(r.inputs) !== JSON.stringify(one(b, r.type, r.name).inputs))
            .map((r) => r.name.slice(host.length + 1));
        expect(differs).toEqual([...changed]);
        for (const step of changed) expect(reveal<string>(one(b, stepsOf(b, host)[0].type, `${host}-${step}`).inputs.stdin)).toContain("8123");
    });
});

describe("several hosts", () => {
    it("gives each host its own component and steps; every connector gets the same tunnel token", async () => {
        const hosts = JSON.stringify([
            { name: "alpha", address: "192.0.2.11", transport: "ssh", user: "PPZ", hostKey: "ssh-ed25519 AAAAalpha" },
            { name: "beta", address: "192.0.2.12", transport: "ssh", user: "Admin", port: 2222, hostKey: "ssh-ed25519 AAAAbeta" },
            { name: "gamma", address: "192.0.2.13", transport: "winrm", user: "Administrator" },
        ]);
        const p = await plan("prod", { "nova:hosts": hosts }, SECRETS);
        expect(ofType(p, COMPONENT).map((r) => r.name)).toEqual(["alpha", "beta", "gamma"]);
        for (const [name, type] of [["alpha", REMOTE], ["beta", REMOTE], ["gamma", LOCAL]] as const) {
            expect(stepsOf(p, name).map((r) => [r.type, r.name])).toEqual(TUNNEL_STEPS.map((s) => [type, `${name}-${s}`]));
            const stdin = reveal<string>(one(p, type, `${name}-cloudflared`).inputs.stdin);
            expect(JSON.parse(stdin.split(`${SECRETS_SEPARATOR}\n`)[1])).toEqual({ tunnelToken: OFFLINE_TUNNEL_TOKEN });
        }
        expect(reveal<{ port: number; user: string }>(one(p, REMOTE, "beta-tools").inputs.connection)).toMatchObject({ host: "192.0.2.12", port: 2222, user: "Admin" });
        expect(ofType(p, "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared")).toHaveLength(1);
    });
});

describe("plan --out host scripts", () => {
    it.each([
        ["prod", "rondot", TUNNEL_STEPS],
        ["staging", "staging", DIRECT_STEPS],
    ] as const)("%s: writes every step's create, delete and audit script, parseable, secret-free, equal to what the commands carry", async (stack, host, names) => {
        const p = await plan(stack, {}, SECRETS);
        const out = mkdtempSync(join(tmpdir(), "nova-hostsvc-"));
        const written = writeArtefacts(p, out);
        const expected = names.flatMap((step, i) => {
            const base = `hosts/${host}/${String(i + 1).padStart(2, "0")}-${step}`;
            return [`${base}.ps1`, ...(WITH_DELETE.includes(step) ? [`${base}.delete.ps1`] : []), `${base}.audit.ps1`];
        });
        expect(written.filter((f) => f.startsWith("hosts/"))).toEqual(expected);
        expect(readdirSync(join(out, "hosts", host)).sort()).toEqual(expected.map((f) => f.split("/")[2]).sort());
        for (const file of expected) {
            const text = readFileSync(join(out, file), "utf8");
            expect(syntaxProblems(text), file).toEqual([]);
            for (const s of CLEAR) expect(text).not.toContain(s);
        }
        names.forEach((step, i) => {
            const base = join(out, "hosts", host, `${String(i + 1).padStart(2, "0")}-${step}`);
            const r = stepsOf(p, host)[i];
            // The review file is the step's script; its command adds the bound line (components/host/stepBound.ts).
            const bound = { host, step, seconds: p.config.stepTimeoutSeconds };
            expect(scriptOfStdin(reveal<string>(r.inputs.stdin))).toBe(withStepBound(readFileSync(`${base}.ps1`, "utf8"), bound));
            if (WITH_DELETE.includes(step) && r.type === REMOTE) expect(r.inputs.delete).toBe(inlineCommand(readFileSync(`${base}.delete.ps1`, "utf8")));
            if (WITH_DELETE.includes(step) && r.type === LOCAL) {
                const doc = Buffer.from((r.inputs.delete as string).split(" --script-b64 ")[1], "base64").toString("utf8");
                expect(doc).toBe(readFileSync(`${base}.delete.ps1`, "utf8"));
            }
        });
    });
});
