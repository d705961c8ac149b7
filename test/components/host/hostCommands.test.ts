import { describe, expect, it } from "vitest";
import { bootstrapCommand, buildStdin, deleteBootstrapCommand, splitStdin, unpackStdin } from "../../../components/host/bootstrap";
import { secretsDocument, splitCidrs, sshCommandLines, sshConnection, stepSecretKeys, stepStdin } from "../../../components/host/commands";
import { renderHostStep } from "../../../components/host/steps";
import { DELETE_OPTION, SCRIPT_B64_OPTION, winrmCommandLines, winrmEnvironment, winrmRunnerCommand } from "../../../components/host/winrmRunner";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost, stagingConfig, winrmHost } from "../../support/fixtures/configs";

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };

describe("step secrets", () => {
    it("names the keys each step reads", () => {
        expect(stepSecretKeys("cloudflared", prodConfig)).toEqual(["tunnelToken"]);
        expect(stepSecretKeys("service", { ...prodConfig, appSecretEnvKeys: ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"] })).toEqual([
            "env:ANTHROPIC_API_KEY",
            "env:OPENAI_API_KEY",
        ]);
        expect(stepSecretKeys("service", { ...prodConfig, appSecretEnvKeys: [] })).toEqual([]);
        for (const step of ["preflight", "tools", "dotenv", "firewall", "health"] as const) expect(stepSecretKeys(step, prodConfig)).toEqual([]);
    });

    it("builds exactly the step's document, sorted, and refuses a missing value", () => {
        const values = { tunnelToken: "tok", appSecretEnv: { B: "b", A: "a", C: "c" } };
        expect(JSON.stringify(secretsDocument(["env:B", "env:A"], values))).toBe('{"env:A":"a","env:B":"b"}');
        expect(secretsDocument(["tunnelToken"], values)).toEqual({ tunnelToken: "tok" });
        expect(() => secretsDocument(["tunnelToken"], { appSecretEnv: {} })).toThrow("secret tunnelToken has no value");
        expect(() => secretsDocument(["env:D"], values)).toThrow("secret env:D has no value");
    });

    it("puts secrets on stdin only when the step has some", () => {
        const scripts = renderHostStep("health", prodConfig, sshHost, inputs);
        expect(unpackStdin(stepStdin(scripts))).toBe(buildStdin(scripts.create));
        expect(unpackStdin(stepStdin(scripts, {}))).toBe(buildStdin(scripts.create));
        expect(unpackStdin(stepStdin(scripts, { tunnelToken: "t" }))).toBe(buildStdin(scripts.create, { tunnelToken: "t" }));
    });
});

describe("ssh", () => {
    it("runs the fixed bootstrap on create and update, the fixed delete bootstrap on delete (its script is in the stdin document)", () => {
        const service = renderHostStep("service", prodConfig, sshHost, inputs);
        expect(sshCommandLines(service)).toEqual({ create: bootstrapCommand(), update: bootstrapCommand(), delete: deleteBootstrapCommand() });
        expect(splitStdin(unpackStdin(stepStdin(service))).delete).toBe(service.delete);
        expect(sshCommandLines(renderHostStep("health", prodConfig, sshHost, inputs))).toEqual({ create: bootstrapCommand(), update: bootstrapCommand() });
    });

    it("connects with the explicit user and host key, bounded dialing", () => {
        expect(sshConnection(sshHost)).toEqual({
            host: sshHost.address,
            port: sshHost.port,
            user: sshHost.user,
            hostKey: sshHost.hostKey,
            dialErrorLimit: 5,
            perDialTimeout: 20,
        });
        expect(() => sshConnection({ ...sshHost, hostKey: undefined })).toThrow(/hostKey is required/);
        expect(() => sshConnection(winrmHost)).toThrow(/not an ssh host/);
    });
});

describe("winrm runner", () => {
    it("runs the runner CLI through ts-node by absolute paths", () => {
        expect(winrmRunnerCommand("/opt/nova infra")).toBe('node "/opt/nova infra/node_modules/ts-node/dist/bin.js" --transpile-only "/opt/nova infra/scripts/winrmRun.ts"');
        expect(() => winrmRunnerCommand('/opt/"x"')).toThrow(/character the command shell would interpret/);
        expect(() => winrmRunnerCommand("/opt/$HOME")).toThrow(/character the command shell would interpret/);
    });

    it("runs the delete as the runner with --delete and nothing else: the delete script is in the stdin document", () => {
        const firewall = renderHostStep("firewall", stagingConfig, winrmHost, inputs);
        const lines = winrmCommandLines(firewall, "/r");
        expect(lines.create).toBe(winrmRunnerCommand("/r"));
        expect(lines.update).toBe(lines.create);
        expect(lines.delete).toBe(`${lines.create} ${DELETE_OPTION}`);
        expect(lines.delete).not.toContain(SCRIPT_B64_OPTION);
        expect(splitStdin(unpackStdin(stepStdin(firewall))).delete).toBe(firewall.delete);
        expect(winrmCommandLines(renderHostStep("health", stagingConfig, winrmHost, inputs), "/r").delete).toBeUndefined();
    });

    it("passes the connection as environment, CA file resolved from the root, never the password", () => {
        expect(winrmEnvironment(winrmHost, "/r")).toEqual({
            NOVA_WINRM_HOST: winrmHost.address,
            NOVA_WINRM_PORT: String(winrmHost.port),
            NOVA_WINRM_USER: winrmHost.user,
            NOVA_WINRM_ALLOW_HTTP: winrmHost.winrmAllowHttp ? "true" : "false",
            NOVA_WINRM_AUTH: "negotiate",
            ...(winrmHost.winrmCaFile ? { NOVA_WINRM_CA_FILE: expect.any(String) } : {}),
        });
        expect(winrmEnvironment({ ...winrmHost, winrmAuth: "basic" }, "/r").NOVA_WINRM_AUTH).toBe("basic");
        const env = winrmEnvironment({ ...winrmHost, winrmAllowHttp: true, winrmCaFile: "ca/root.pem" }, "/r");
        expect(env.NOVA_WINRM_ALLOW_HTTP).toBe("true");
        expect(env.NOVA_WINRM_CA_FILE).toBe("/r/ca/root.pem");
        expect(winrmEnvironment({ ...winrmHost, winrmCaFile: "/etc/ca.pem" }, "/r").NOVA_WINRM_CA_FILE).toBe("/etc/ca.pem");
        expect(Object.keys(env)).not.toContain("NOVA_WINRM_PASSWORD");
        expect(() => winrmEnvironment(sshHost, "/r")).toThrow(/not a winrm host/);
    });
});

describe("cidrs", () => {
    it("splits the flat list into IPv4 and IPv6", () => {
        expect(splitCidrs([...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6])).toEqual({ ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 });
    });
});
