/** The policies on how a host step reaches its host: WinRM over HTTPS, and no literal secret on a command line. */
import { describe, expect, it } from "vitest";
import { buildStdin, inlineCommand } from "../../components/host/bootstrap";
import { winrmCommandLines } from "../../components/host/winrmRunner";
import { FAKE_SECRETS, prodConfig } from "../support/fixtures/configs";
import { command, resourceViolations, step } from "./util";

const REMOTE = "command:remote:Command";
const LOCAL = "command:local:Command";

describe("winrm-https-only", () => {
    const policy = "winrm-https-only";
    const runner = (allowHttp: string) => ({ ...winrmCommandLines({ create: "", audit: "" }), stdin: buildStdin("Write-Output 'x'"), environment: { NOVA_WINRM_HOST: "h", NOVA_WINRM_ALLOW_HTTP: allowHttp } });
    it("passes the WinRM runner over HTTPS", async () => {
        expect(await resourceViolations(policy, LOCAL, runner("false"))).toEqual([]);
    });
    it("fails the runner over plain HTTP, unless the policy config accepts it explicitly", async () => {
        expect(await resourceViolations(policy, LOCAL, runner("true"))).toEqual([
            "WinRM over plain HTTP (NOVA_WINRM_ALLOW_HTTP=true): use HTTPS, or set the policy config allowPlainHttp: true to accept it",
        ]);
        expect(await resourceViolations(policy, LOCAL, runner("true"), { allowPlainHttp: true })).toEqual([]);
    });
    it("fails a script that opens the host's WinRM to unencrypted traffic, even with the override", async () => {
        const script = "Set-Item -Path 'WSMan:\\localhost\\Service\\AllowUnencrypted' -Value $true\nSet-WSManQuickConfig -Force\n";
        expect(await resourceViolations(policy, REMOTE, command(script), { allowPlainHttp: true })).toEqual([
            "a script opens WinRM to plain HTTP or unencrypted traffic (Set-Item): use HTTPS (5986)",
            "a script opens WinRM to plain HTTP or unencrypted traffic (Set-WSManQuickConfig): use HTTPS (5986)",
        ]);
    });
});

describe("command-line-no-literal-secret", () => {
    const policy = "command-line-no-literal-secret";
    const tools = step("tools", prodConfig);
    it("passes the step commands (bootstrap, delete bootstrap, runner) and the runner's password variable", async () => {
        expect(await resourceViolations(policy, REMOTE, command(tools.create, { deleteScript: tools.delete, secrets: { ...FAKE_SECRETS } }))).toEqual([]);
        const lines = winrmCommandLines(tools, "C:/Users/jean-baptiste.dupont/Documents/GitHub/nova-infra-2026");
        expect(await resourceViolations(policy, LOCAL, { ...lines, environment: { NOVA_WINRM_HOST: "nova-win.example.net", NOVA_WINRM_PASSWORD: "pQ8#vX2!mZ7$kL4@wR9^tY6&" } })).toEqual([]);
    });
    it("fails a token on a command line, in an inline script, and in the environment (without quoting it)", async () => {
        const token = "eyJhIjoiMGQ3YjQxZTkiLCJ0IjoiOWY1YzNlMmEtN2IxZCIsInMiOiJabTl2WW1GeSJ9";
        expect(await resourceViolations(policy, LOCAL, { create: `node run.js --token ${token}` })).toEqual([
            "create holds a high-entropy literal of 68 characters: pass secrets on stdin",
        ]);
        expect(await resourceViolations(policy, REMOTE, { ...command("Write-Output 'x'"), delete: inlineCommand(`cloudflared.exe service install '${token}'`) })).toEqual([
            "delete's script holds a high-entropy literal of 68 characters: pass secrets on stdin",
        ]);
        const found = await resourceViolations(policy, LOCAL, { create: "node run.js", environment: { API_KEY: "sk-ant-api03-Xq9vT2mLp8ZkR4wN7bY1cH6dF3gJ0sA5" } });
        expect(found).toEqual(["environment API_KEY holds a high-entropy literal of 45 characters: pass secrets on stdin or as the runner's secret"]);
        expect(found.join("")).not.toContain("Xq9v");
    });
});
