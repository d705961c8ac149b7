/**
 * Taking over what the manual guide left on a host, executed under pwsh with stand-ins for the
 * firewall, registry and environment cmdlets the scripts call. The programs (and the files they work on)
 * are made while the tests are collected and run in one pwsh before the tests (test/support/pwshBatch.ts).
 */
import { existsSync, readFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { renderHostStep } from "../../../../components/host/steps";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost } from "../../../support/fixtures/configs";
import { describePwsh, scriptsProgram, stepJson, stepProgram, stepSections } from "../../../support/pwsh";
import { pwshQueue } from "../../../support/pwshBatch";

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
const runPwsh = pwshQueue();
const scriptsDir = mkdtempSync(join(tmpdir(), "nova-guide-steps-"));
afterAll(() => rmSync(scriptsDir, { recursive: true, force: true }));
/** Queues whole scripts run one after the other in one program, after `standIns` (as runPwshScripts runs them). */
const runPwshScripts = (standIns: string, scripts: readonly string[], after = "") => runPwsh(scriptsProgram(scriptsDir, standIns, scripts, after));

/**
 * Firewall rules (Name, DisplayName, Group, Enabled, LocalPort) with the NetSecurity cmdlets the step
 * uses, filters piping back to their rule by name; registry keys as a table of value tables.
 */
const FIREWALL = String.raw`$global:Rules = New-Object System.Collections.ArrayList
function Add-TestRule([string]$Name, [string]$Display, [string]$Group, [string]$Port) {
  [void]$global:Rules.Add([pscustomobject]@{ Name = $Name; DisplayName = $Display; Group = $Group; Direction = 'Inbound'; Action = 'Allow'; Enabled = 'True'; LocalPort = $Port })
}
function Get-NetFirewallPortFilter([string]$Protocol) { foreach ($r in @($global:Rules)) { [pscustomobject]@{ RuleName = $r.Name; Protocol = 'TCP'; LocalPort = $r.LocalPort } } }
function Get-NetFirewallRule {
  [CmdletBinding()] param([string]$Name, [string]$Group, [Parameter(ValueFromPipeline = $true)]$InputObject)
  process {
    if ($null -ne $InputObject) { @($global:Rules) | Where-Object { $_.Name -eq $InputObject.RuleName } }
    elseif ($Name) { $found = @($global:Rules | Where-Object { $_.Name -eq $Name }); if ($found.Count -eq 0) { Write-Error ('No MSFT_NetFirewallRule objects found with property Name equal to ' + $Name) } else { $found } }
    elseif ($Group) { @($global:Rules) | Where-Object { $_.Group -eq $Group } }
  }
}
function Remove-NetFirewallRule { [CmdletBinding()] param([Parameter(ValueFromPipeline = $true)]$InputObject) process { for ($i = $global:Rules.Count - 1; $i -ge 0; $i--) { if ($global:Rules[$i].Name -eq $InputObject.Name) { $global:Rules.RemoveAt($i) } } } }
function Disable-NetFirewallRule([string]$Name) { foreach ($r in @($global:Rules | Where-Object { $_.Name -eq $Name })) { $r.Enabled = 'False' } }
function Enable-NetFirewallRule([string]$Name) { foreach ($r in @($global:Rules | Where-Object { $_.Name -eq $Name })) { $r.Enabled = 'True' } }
$global:Reg = @{}
function Test-Path([string]$LiteralPath) { return $global:Reg.ContainsKey($LiteralPath) }
function New-Item([string]$Path, [switch]$Force) { if (-not $global:Reg.ContainsKey($Path)) { $global:Reg[$Path] = @{} } }
function Get-Item([string]$LiteralPath) { $values = $global:Reg[$LiteralPath]; $o = [pscustomobject]@{ Values = $values }; $o | Add-Member ScriptMethod GetValue { param($n, $d) if ($this.Values.ContainsKey($n)) { $this.Values[$n] } else { $d } }; return $o }
function Set-ItemProperty([string]$LiteralPath, [string]$Name, [string]$Type, $Value) { $global:Reg[$LiteralPath][$Name] = [string[]]$Value }
function Remove-ItemProperty([string]$LiteralPath, [string]$Name) { $global:Reg[$LiteralPath].Remove($Name) }
`;
const STATE = String.raw`Write-Output ('RULES ' + (ConvertTo-Json -Compress -InputObject @($global:Rules | Sort-Object Name | ForEach-Object { $_.Name + '=' + $_.Enabled })))`;

function rules(stdout: string): string[] {
    const line = stdout.split("\n").find((l) => l.startsWith("RULES "));
    if (!line) throw new Error(`no RULES line in ${stdout}`);
    return (JSON.parse(line.slice(6)) as string[]).sort();
}

describePwsh("the guide's firewall rules and stacks sharing a host", () => {
    const guide = String.raw`Add-TestRule '{11111111-guide-open}' 'NOVA Backend' '' '8000'
Add-TestRule '{22222222-guide-cf}' 'NOVA Backend - Cloudflare 173.245.48.0/20' '' '8000'
Add-TestRule '{33333333-guide-other-port}' 'NOVA Backend - Cloudflare 1.2.3.4' '' '9000'
Add-TestRule 'RemoteDesktop-UserMode-In-TCP' 'Remote Desktop' '@FirewallAPI.dll,-28752' '3389'
Add-TestRule 'nova-infra-prod-tcp-8000-in' 'NOVA backend (prod), before groups were per stack' 'NOVA (nova-infra)' '8000'
Add-TestRule 'nova-infra-prod-eu-tcp-8000-in' 'NOVA backend (prod-eu)' 'NOVA (nova-infra)' '8000'
Add-TestRule 'nova-infra-staging-tcp-8010-in' 'NOVA backend (staging)' 'NOVA (nova-infra staging)' '8010'`;

    const { create, delete: del } = renderHostStep("firewall", prodConfig, sshHost, inputs);
    const twice = runPwshScripts(`${FIREWALL}\n${guide}`, [create, create], `${STATE}\nWrite-Output ('RECORD ' + (@($global:Reg['HKLM:\\SOFTWARE\\nova-infra\\prod']['GuideFirewallRules']) -join ','))`);
    const createDelete = runPwshScripts(`${FIREWALL}\n${guide}`, [create, del!], STATE);
    it("create disables exactly the guide's rules on the app port and removes only this stack's rules; delete enables them again", () => {
        const r = twice();
        expect(r.stderr).toBe("");
        const lines = r.stdout.split("\n").filter((l) => l.startsWith("{"));
        expect(JSON.parse(lines[0]).changed).toEqual(["stale-rules", "guide:open-rules"]);
        expect(JSON.parse(lines[1]).changed).toEqual([]);
        expect(rules(r.stdout)).toEqual(
            [
            "nova-infra-prod-eu-tcp-8000-in=True",
            "nova-infra-staging-tcp-8010-in=True",
            "RemoteDesktop-UserMode-In-TCP=True",
            "{11111111-guide-open}=False",
            "{22222222-guide-cf}=False",
            "{33333333-guide-other-port}=True",
            ].sort(),
        );
        expect(r.stdout).toContain("RECORD {11111111-guide-open},{22222222-guide-cf}\n");

        const back = createDelete();
        expect(back.stdout).not.toContain("FAILED");
        expect(rules(back.stdout)).toEqual(
            [
            "nova-infra-prod-eu-tcp-8000-in=True",
            "nova-infra-staging-tcp-8010-in=True",
            "RemoteDesktop-UserMode-In-TCP=True",
            "{11111111-guide-open}=True",
            "{22222222-guide-cf}=True",
            "{33333333-guide-other-port}=True",
            ].sort(),
        );
        expect(stepJson(back.stdout).changed).toEqual(["enabled {11111111-guide-open}", "enabled {22222222-guide-cf}"]);
    });

    const staging = { ...prodConfig, stack: "staging" };
    const stagingDelete = runPwshScripts(`${FIREWALL}\nAdd-TestRule 'nova-infra-prod-tcp-8000-in' 'prod' 'NOVA (nova-infra)' '8000'\nAdd-TestRule 'nova-infra-staging-tcp-8010-in' 'staging' 'NOVA (nova-infra staging)' '8010'`, [renderHostStep("firewall", staging, sshHost, inputs).delete!], STATE);
    it("a staging stack on the same host keeps prod's rules in its delete, even those in the group stacks used to share", () => {
        const r = stagingDelete();
        expect(rules(r.stdout)).toEqual(["nova-infra-prod-tcp-8000-in=True"]);
    });
});

describePwsh("Machine-scope copies of the secret keys", () => {
    const machineEnv = (() => {
        const create = renderHostStep("service", prodConfig, sshHost, inputs).create;
        const standIns = String.raw`$global:Machine = @{ ANTHROPIC_API_KEY = 'sk-ant-guide'; OPENAI_API_KEY = 'sk-proj-guide'; Path = 'C:\Windows' }
Add-Type -TypeDefinition 'public static class TestEnv { }'
function Get-Service { return [pscustomobject]@{ Status = 'Stopped' } }
function Start-Service { }
$NovaMachineEnvProbe = $true`;
        // [Environment] is .NET: the block runs against the real process's Machine scope, which pwsh on
        // Linux does not have (GetEnvironmentVariable(..., 'Machine') answers $null), so the block's
        // expression is evaluated with [Environment] replaced by an object of the same two methods.
        const block = stepProgram(create, standIns, ["guide:machine-env"]).replace(/\[Environment\]::/g, "$TestEnvironment.");
        const env = String.raw`$TestEnvironment = [pscustomobject]@{}
$TestEnvironment | Add-Member ScriptMethod GetEnvironmentVariable { param($n, $scope) if ($global:Machine.ContainsKey($n)) { $global:Machine[$n] } else { $null } }
$TestEnvironment | Add-Member ScriptMethod SetEnvironmentVariable { param($n, $v, $scope) if ($null -eq $v) { $global:Machine.Remove($n) } else { $global:Machine[$n] = $v } }`;
        const [param, ...rest] = block.split("\n");
        const pre = "$env:ProgramFiles = 'C:\\Program Files'\nfunction Join-Path([string]$Path, [string]$ChildPath) { return ($Path + '\\' + $ChildPath) }";
        return runPwsh([param, pre, env, ...rest, "Write-Output ('LEFT ' + ((@($global:Machine.Keys) | Sort-Object) -join ','))"].join("\n"));
    })();
    it("are removed, and the step reports that other services see it after a reboot", () => {
        const r = machineEnv();
        expect(r.stderr).toBe("");
        expect(stepJson(r.stdout.split("\nLEFT")[0]).changed).toEqual(["reboot-pending:machine-env", "guide:machine-env", "started"]);
        expect(r.stdout).toContain("LEFT Path\n");
    });
});

describePwsh("the guide's locally-managed tunnel files", () => {
    /**
     * A profile with `.cloudflared\config.yml` naming its credentials file. `<profile>\.cloudflared\config.yml`
     * reaches .NET as one file name and PowerShell's cmdlets as a path: a link by the first name to the
     * real file makes both see it.
     */
    function profileWithTunnel(): { users: string; config: string; credentials: string } {
        const users = mkdtempSync(join(tmpdir(), "nova-users-"));
        const dir = join(users, "PPZ", ".cloudflared");
        mkdirSync(dir, { recursive: true });
        const credentials = join(dir, "6ff42ae2-765d-4adf-8112-31c55c1551ef.json");
        writeFileSync(credentials, '{"AccountTag":"x","TunnelSecret":"c2VjcmV0","TunnelID":"6ff42ae2"}');
        const config = join(dir, "config.yml");
        writeFileSync(config, `tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef\ncredentials-file: ${credentials}\ningress:\n  - service: http://localhost:8000\n`);
        symlinkSync(config, join(users, "PPZ\\.cloudflared\\config.yml"));
        return { users, config, credentials };
    }
    const PRE = String.raw`$env:SystemRoot = '/nonexistent'; $env:ProgramFiles = 'C:\Program Files'; $env:ProgramData = 'C:\ProgramData'
function Join-Path([string]$Path, [string]$ChildPath) { return ($Path + '\' + $ChildPath) }`;
    const standIns = (users: string, ready: boolean) => String.raw`function Get-ChildItem { return @([pscustomobject]@{ FullName = '${users}/PPZ' }) }
function Invoke-WebRequest([string]$Uri) { if (${ready ? "$true" : "$false"}) { return [pscustomobject]@{ StatusCode = 200 } }; throw 'refused' }
function Start-Sleep { }`;

    const moved = (() => {
        const tunnel = profileWithTunnel();
        const keep = mkdtempSync(join(tmpdir(), "nova-keep-"));
        const credentialsText = readFileSync(tunnel.credentials, "utf8");
        const record = String.raw`function Get-NovaGuideTunnelDir { return '${keep}' }
function New-NovaRecordFile([string]$Path, [string]$RecordText) { [System.IO.File]::WriteAllText($Path, $RecordText) }`;
        const create = renderHostStep("cloudflared", prodConfig, sshHost, inputs).create;
        return { ...tunnel, keep, credentialsText, result: runPwsh(stepProgram(create, `${standIns(tunnel.users, true)}\n${record}`, ["guide:old-tunnel-files"], PRE)) };
    })();
    it("are moved to the restore folder once our connector reports a connection", () => {
        const { users, config, credentials, keep, credentialsText } = moved;
        const r = moved.result();
        expect(r.stderr).toBe("");
        expect(stepJson(r.stdout).changed).toEqual(["guide:old-tunnel-files"]);
        expect([existsSync(config), existsSync(credentials)]).toEqual([false, false]);
        const list = readFileSync(`${keep}\\files.txt`, "utf8").split("\n");
        expect(list).toEqual([credentials, `${users}/PPZ\\.cloudflared\\config.yml`]);
        // Move-Item (a cmdlet) reads the backslash as a separator here: the file is in the folder
        expect(readFileSync(join(keep, "file-0"), "utf8")).toBe(credentialsText);
    });

    const kept = (() => {
        const tunnel = profileWithTunnel();
        const create = renderHostStep("cloudflared", prodConfig, sshHost, inputs).create;
        const [param, ...rest] = stepProgram(create, standIns(tunnel.users, false), ["guide:old-tunnel-files"], PRE).split("\n");
        return { ...tunnel, result: runPwsh([param, "trap { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }", ...rest].join("\n")) };
    })();
    it("are kept, and the step fails saying why, while our connector has no connection", () => {
        const { users, config, credentials } = kept;
        const r = kept.result();
        expect(r.stderr.trim()).toBe(`the old tunnel's files are kept (${credentials}, ${users}/PPZ\\.cloudflared\\config.yml): our connector reported no connection within 60 s`);
        expect([existsSync(config), existsSync(credentials)]).toEqual([true, true]);
    });
});

describePwsh("the guide's other ways of starting the app, and its PATH entries", () => {
    const standIns = String.raw`$global:Calls = New-Object System.Collections.Generic.List[string]
function Get-ScheduledTask([string]$TaskName, $ErrorAction) { return [pscustomobject]@{ TaskName = $TaskName } }
function Stop-ScheduledTask([string]$TaskName, $ErrorAction) { $global:Calls.Add('stop task ' + $TaskName) }
function Unregister-ScheduledTask([string]$TaskName, [switch]$Confirm) { $global:Calls.Add('unregister ' + $TaskName) }
function Test-Path([string]$LiteralPath, $PathType) { return $true }
function Remove-Item([string]$LiteralPath, [switch]$Force) { $global:Calls.Add('remove ' + $LiteralPath) }
function Get-Item([string]$LiteralPath) { $o = [pscustomobject]@{}; $o | Add-Member ScriptMethod GetValue { param($n, $d, $opt) '%SystemRoot%\system32;C:\nssm\win64;C:\Program Files\cloudflared\;%SystemRoot%' }; return $o }
function Set-ItemProperty([string]$LiteralPath, [string]$Name, [string]$Type, $Value) { $global:Calls.Add('set ' + $Name + ' ' + $Type + ' ' + $Value) }
function Get-Service { return $null }
function Restart-NovaService { return 'missing' }`;
    const items = ["guide:scheduled-task", "guide:start-script", "guide:path-entries"];
    const PRE = "$env:ProgramFiles = 'C:\\Program Files'\nfunction Join-Path([string]$Path, [string]$ChildPath) { return ($Path + '\\' + $ChildPath) }";
    const SHOW = "Write-Output ('CALLS ' + (ConvertTo-Json -Compress -InputObject @($global:Calls)))";

    const { create, audit } = renderHostStep("service", prodConfig, sshHost, inputs);
    const audited = runPwsh(stepProgram(audit, standIns, items, PRE));
    const removed = runPwsh(`${stepProgram(renderHostStep("service", { ...prodConfig, removeGuideLeftovers: true }, sshHost, inputs).create, standIns, items, PRE)}\n${SHOW}`);
    it("are reported by the audit and left alone by create without nova:removeGuideLeftovers", () => {
        // Audit-only items: the create script has no block for them, so it cannot change them.
        const blocks = [...stepSections(create).blocks.keys()];
        for (const item of items) expect(blocks).not.toContain(item);
        expect(() => stepProgram(create, standIns, items, PRE)).toThrow(/no check guide:scheduled-task, guide:start-script, guide:path-entries/);
        const a = audited();
        expect(a.stderr).toBe("");
        const found = (stepJson(a.stdout).items as { item: string; actual: string; ok: boolean }[]).map((i) => [i.item, i.actual, i.ok]);
        expect(found).toEqual([
            ["guide:scheduled-task", "NOVA-Backend", false],
            ["guide:start-script", "C:\\Users\\PPZ\\NOVA-SERVER\\start-service.ps1", false],
            ["guide:path-entries", "C:\\nssm\\win64;C:\\Program Files\\cloudflared\\", false],
        ]);
    });

    it("are removed with nova:removeGuideLeftovers, the PATH kept as REG_EXPAND_SZ with its other entries", () => {
        const r = removed();
        expect(r.stderr).toBe("");
        const calls = JSON.parse(r.stdout.split("\n").find((l) => l.startsWith("CALLS "))!.slice(6));
        expect(calls).toEqual([
            "stop task NOVA-Backend",
            "unregister NOVA-Backend",
            "remove C:\\Users\\PPZ\\NOVA-SERVER\\start-service.ps1",
            "set Path ExpandString %SystemRoot%\\system32;%SystemRoot%",
        ]);
    });
});
