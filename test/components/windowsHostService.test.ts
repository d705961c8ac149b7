/**
 * WindowsHostService through the real program (index.ts) under the mock runtime: the command resource
 * of each host step, its wire-form inputs, its order, and what never appears in clear.
 */
import { describe, expect, it } from "vitest";
import { DELETE_LOADER_TEXT, LOADER_TEXT, SECRETS_SEPARATOR, hostStdin, bootstrapCommand, buildStdin, decodePowerShellCommand, deleteBootstrapCommand, splitStdin } from "../../components/host/bootstrap";
import { normalizeCidrList } from "../../components/host/cidr";
import { healthStdin } from "../../components/host/commands";
import { CLOUDFLARE_IP_RANGES_SNAPSHOT, OFFLINE_TUNNEL_TOKEN } from "../../scripts/shared/planning/offlineFixtures";
import { ROOT, ofType, one, plan } from "../support/harness";
import { singleQuotedValues } from "../support/powershellParse";
import { stdinText } from "../support/stdin";
import { REMOTE, LOCAL, COMPONENT, SSH_KEY, WINRM_PASSWORD, ANTHROPIC, OPENAI, SECRETS, CLEAR, SNAPSHOT, TUNNEL_STEPS, DIRECT_STEPS, WITH_DELETE, isSecret, reveal, stepsOf, scriptsOf, scriptOfStdin } from "./windowsHostServiceSupport";

describe("ssh host (prod, tunnel mode)", async () => {
    const p = await plan("prod", {}, SECRETS);
    const steps = stepsOf(p, "rondot");

    it("creates one remote.Command per step, named <host>-<step>, in run order, children of the component", () => {
        expect(steps.map((r) => [r.type, r.name])).toEqual(TUNNEL_STEPS.map((s) => [REMOTE, `rondot-${s}`]));
        expect(ofType(p, COMPONENT).map((r) => r.name)).toEqual(["rondot"]);
    });

    it.each(TUNNEL_STEPS)("%s: fixed bootstrap for create and update, fixed delete bootstrap with the delete script on stdin, stdout logging, no env", (step) => {
        const r = one(p, REMOTE, `rondot-${step}`);
        const scripts = scriptsOf(p, "rondot", step);
        const expected: Record<string, unknown> = {
            addPreviousOutputInEnv: false,
            create: bootstrapCommand(),
            update: bootstrapCommand(),
            logging: "stdout",
            ...(scripts.delete !== undefined ? { delete: deleteBootstrapCommand() } : {}),
        };
        const { connection, stdin, ...rest } = r.inputs;
        expect(rest).toEqual(expected);
        expect(scripts.delete !== undefined).toBe(WITH_DELETE.includes(step));
        expect(scriptOfStdin(stdinText(stdin))).toBe(buildStdin(scripts.create));
        expect(splitStdin(stdinText(stdin)).delete).toBe(scripts.delete);
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
            expect(decodePowerShellCommand(create.split(" ").pop() as string)).toBe(LOADER_TEXT);
            expect(create).not.toContain("param(");
            for (const s of CLEAR) expect(create).not.toContain(s);
            const del = r.inputs.delete as string | undefined;
            if (del !== undefined) expect(decodePowerShellCommand(del.split(" ").pop() as string)).toBe(DELETE_LOADER_TEXT);
        }
    });

    it("marks stdin secret exactly for the steps that carry secrets, and the secrets document holds their values", () => {
        const secretSteps = steps.filter((r) => isSecret(r.inputs.stdin)).map((r) => r.name);
        // health carries no secret, but a digest over the secret steps' stdin: kept secret too.
        expect(secretSteps).toEqual(["rondot-service", "rondot-cloudflared", "rondot-health"]);
        for (const r of steps.filter((x) => !isSecret(x.inputs.stdin))) {
            expect(typeof r.inputs.stdin).toBe("string");
            expect(stdinText(r.inputs.stdin)).not.toContain(SECRETS_SEPARATOR);
        }
        const service = reveal<string>(one(p, REMOTE, "rondot-service").inputs.stdin);
        expect(stdinText(service)).toContain(`\n${SECRETS_SEPARATOR}\n`);
        const serviceScripts = scriptsOf(p, "rondot", "service");
        expect(service).toBe(hostStdin(serviceScripts.create, { "env:ANTHROPIC_API_KEY": ANTHROPIC, "env:OPENAI_API_KEY": OPENAI }, serviceScripts.delete));
        const tunnel = reveal<string>(one(p, REMOTE, "rondot-cloudflared").inputs.stdin);
        const tunnelScripts = scriptsOf(p, "rondot", "cloudflared");
        expect(tunnel).toBe(hostStdin(tunnelScripts.create, { tunnelToken: OFFLINE_TUNNEL_TOKEN }, tunnelScripts.delete));
    });

    it("health's stdin is its script plus the digest of every earlier step's stdin, so any change re-proves health", async () => {
        const earlier = steps.slice(0, -1).map((r) => reveal<string>(r.inputs.stdin));
        const health = reveal<string>(one(p, REMOTE, "rondot-health").inputs.stdin);
        expect(health).toBe(healthStdin(scriptsOf(p, "rondot", "health"), earlier));
        // One changed .env value (appEnv re-runs only dotenv's script) changes health's input too.
        const changed = await plan("prod", { "nova:appEnv": JSON.stringify({ LOG_LEVEL: "debug" }) }, SECRETS);
        const after = reveal<string>(one(changed, REMOTE, "rondot-health").inputs.stdin);
        expect(scriptOfStdin(stdinText(after))).toBe(scriptOfStdin(stdinText(health)));
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
        const firewall = stdinText(one(p, REMOTE, "rondot-firewall").inputs.stdin);
        expect(firewall).toContain("Get-NetFirewallRule");
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
        const del = scripts.delete === undefined ? {} : { delete: `${runner} --delete` };
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
        expect(scriptOfStdin(stdinText(stdin))).toBe(buildStdin(scripts.create));
        expect(splitStdin(stdinText(stdin)).delete).toBe(scripts.delete);
    });

    it("the delete command line holds no script and no secret; the delete script is in the stdin document", () => {
        const r = one(p, LOCAL, "staging-service");
        const del = r.inputs.delete as string;
        expect(del).toBe(`${runner} --delete`);
        for (const s of CLEAR) expect(del).not.toContain(s);
        expect(splitStdin(stdinText(r.inputs.stdin)).delete).toBe(scriptsOf(p, "staging", "service").delete);
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
        const firewall = stdinText(one(p, LOCAL, "staging-firewall").inputs.stdin);
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
