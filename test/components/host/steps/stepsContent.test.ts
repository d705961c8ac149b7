import { describe, expect, it } from "vitest";
import { psQuote } from "../../../../components/powershell";
import { dotenvValue } from "../../../../components/host/steps/dotenv";
import { firewallRuleName } from "../../../../components/host/steps/firewall";
import type { NovaConfig } from "../../../../components/types";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, stagingConfig, withMode } from "../../../support/fixtures/configs";
import { singleQuotedValues } from "../../../support/powershellParse";
import { NOVA_BACKEND_SID, render, valuesOnLine } from "./stepsSupport";

describe("service step (NSSM)", () => {
    const { create, audit, delete: del } = render("service", prodConfig);
    const paths: [string, string][] = [
        ["Application", "C:\\Users\\PPZ\\NOVA-SERVER\\.venv\\Scripts\\python.exe"],
        ["AppDirectory", "C:\\Users\\PPZ\\NOVA-SERVER"],
        ["AppStdout", "C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service.log"],
        ["AppStderr", "C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service-error.log"],
    ];
    const expected: [string, string, string?][] = [
        ["AppRotateFiles", "1"],
        ["AppRotateOnline", "1"],
        ["AppRotateBytes", "10485760"],
        ["Start", "SERVICE_AUTO_START"],
        ["AppExit", "Restart", "Default"],
        ["AppRestartDelay", "5000"],
        ["AppStopMethodConsole", "15000"],
    ];

    it.each(expected)("compares then sets %s only when different", (name, value, sub) => {
        const block = create.split(`# ${sub ? `${name} ${sub}` : name}\n`)[1].split("\n# ")[0];
        const lines = block.split("\n");
        expect(singleQuotedValues(lines[0])).toEqual([value]);
        expect(lines[0].startsWith("$desired = ")).toBe(true);
        expect(singleQuotedValues(lines[1])).toEqual([name, sub ?? ""]);
        expect(lines[1]).toMatch(/^\$actual = \(Get-NovaNssm /);
        expect(lines[3]).toBe("if (-not $ok) {");
        expect(singleQuotedValues(lines[4])).toEqual([name, ...(sub ? [sub, value] : [value])]);
        expect(lines[4]).toMatch(/^ {2}Set-NovaNssm /);
    });

    it.each(paths)("compares and sets the path %s in the registry, not through nssm get/set", (name, value) => {
        const block = create.split(`# ${name}\n`)[1].split("\n# ")[0];
        expect(block).toBe(
            [
                `$desired = ${psQuote(value)}`,
                `$actual = (Get-NovaParameter '${name}')`,
                "$ok = ([string]$actual -ceq [string]$desired)",
                "if (-not $ok) {",
                `  Set-ItemProperty -LiteralPath $NovaParametersKey -Name '${name}' -Type ExpandString -Value $desired`,
                `  Add-NovaChange '${name}'`,
                "}",
            ].join("\n"),
        );
        expect(create).not.toContain(`Set-NovaNssm '${name}'`);
        expect(create).not.toContain(`Get-NovaNssm '${name}'`);
    });

    it("reads registry values unexpanded (as stored), joining multi-strings with LF", () => {
        expect(create).toContain(
            [
                "function Get-NovaParameter([string]$Name) {",
                "  $key = Get-Item -LiteralPath $NovaParametersKey -ErrorAction SilentlyContinue",
                "  if ($null -eq $key) { return '' }",
                "  $value = $key.GetValue($Name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)",
                "  if ($null -eq $value) { return '' }",
                "  return ((@($value) | ForEach-Object { [string]$_ }) -join \"`n\")",
                "}",
            ].join("\n"),
        );
    });

    it("keeps a non-ASCII path or one ending in a backslash out of native arguments", () => {
        const cfg = { ...prodConfig, service: { ...prodConfig.service, appDirectory: "C:\\Users\\Frédéric\\Mon App\\" } };
        const script = render("service", cfg).create;
        const block = script.split("# AppDirectory\n")[1].split("\n# ")[0];
        expect(block.split("\n")[0]).toBe("$desired = 'C:\\Users\\Frédéric\\Mon App\\'");
        expect(block).toContain("Set-ItemProperty -LiteralPath $NovaParametersKey -Name 'AppDirectory' -Type ExpandString -Value $desired");
        expect(script).not.toMatch(/Set-NovaNssm '[^']*' @\('C:/);
    });

    it("sets the entry point and the secret environment names, never their values", () => {
        expect(valuesOnLine(create, "$desired = 'main.py'")).toEqual(["main.py"]);
        expect(create).toContain("foreach ($key in @('ANTHROPIC_API_KEY', 'OPENAI_API_KEY'))");
        expect(create).toContain("Get-NovaSecret ('env:' + $key)");
        expect(create).toContain("-Name 'AppEnvironmentExtra' -Type MultiString");
        expect(valuesOnLine(create, "$NovaParametersKey =")).toEqual(["HKLM:\\SYSTEM\\CurrentControlSet\\Services\\NOVA-Backend\\Parameters"]);
        // The virtual account NT SERVICE\NOVA-Backend (sc showsid's SID) reads the key nssm.exe runs from.
        expect(create).toContain(`# parameters-acl\n$desired = 'protected;S-1-5-18:FullControl:Allow;S-1-5-32-544:FullControl:Allow;${NOVA_BACKEND_SID}:ReadKey:Allow'`);
        expect(create).toContain("$actual = (Get-NovaAclText $NovaParametersKey -Registry)");
        expect(create).toContain("Set-NovaAdminOnlyAcl $NovaParametersKey -Registry");
    });

    it("installs if missing, restarts only on change, starts when stopped", () => {
        expect(create).toContain("Invoke-NovaNative $NovaNssm @('install', $NovaService, 'C:\\Users\\PPZ\\NOVA-SERVER\\.venv\\Scripts\\python.exe')");
        expect(create).toContain("$NovaRestart = Restart-NovaService $NovaService ($NovaChanged.Count -gt 0) -StartStopped");
        expect(valuesOnLine(create, "$NovaService =")).toEqual(["NOVA-Backend"]);
    });

    it("audit changes nothing and delete removes the service", () => {
        expect(audit).not.toMatch(/Set-NovaNssm \S|Set-ItemProperty|Restart-NovaService \$NovaService|Set-NovaServiceConfig @|Invoke-NovaNative \$NovaNssm @\('install'/);
        expect(audit).toContain("items = $NovaItems.ToArray()");
        expect(del).toContain("Invoke-NovaNative $NovaNssm @('remove', $NovaService, 'confirm')");
    });
});

describe("firewall step", () => {
    it("direct mode: one rule whose remote addresses are all of Cloudflare's ranges", () => {
        const { create } = render("firewall", stagingConfig);
        expect(new Set(valuesOnLine(create, "$NovaCidrs ="))).toEqual(new Set([...CLOUDFLARE_IPV4, ...CLOUDFLARE_IPV6]));
        expect(valuesOnLine(create, "$NovaCidrs =")).toHaveLength(CLOUDFLARE_IPV4.length + CLOUDFLARE_IPV6.length);
        expect(create.match(/New-NetFirewallRule/g)).toHaveLength(1);
        expect(create).toContain("-Protocol TCP -LocalPort 8010 -RemoteAddress $NovaCidrs");
        expect(valuesOnLine(create, "$NovaGroup =")).toEqual(["NOVA (nova-infra staging)"]);
        expect(valuesOnLine(create, "$NovaRuleName =")).toEqual([firewallRuleName(stagingConfig)]);
        expect(create).toContain("Remove-NovaGroupRules $NovaRuleName");
    });

    it("normalises mask forms and Windows' merged ranges before comparing", () => {
        const { create } = render("firewall", withMode(prodConfig, "direct"));
        expect(create).toContain("ForEach-Object { [Convert]::ToString($_, 2) }) -join '').TrimEnd('0').Length");
        expect(create).toContain("$ends = $Value.Split('-')");
        expect(create).toContain("$desired = (Get-NovaCidrText $NovaCidrs)\n$actual = (Get-NovaRuleAddresses)");
    });

    it("tunnel mode: no inbound rule, ours removed", () => {
        const { create, audit } = render("firewall", prodConfig);
        expect(create).not.toContain("New-NetFirewallRule");
        expect(create).not.toContain("$NovaCidrs");
        expect(create).toContain("Remove-NovaGroupRules ''");
        expect(audit).not.toContain("Remove-NetFirewallRule -");
    });

    it("delete removes only our group's rules", () => {
        const del = render("firewall", prodConfig).delete!;
        expect(del).toContain("Get-NetFirewallRule -Group 'NOVA (nova-infra prod)'");
        expect(del.match(/Remove-NetFirewallRule/g)).toHaveLength(1);
    });
});

describe("dotenv step", () => {
    const desiredPairs = (cfg: NovaConfig) => {
        const values = valuesOnLine(render("dotenv", cfg).create, "$NovaEnvDesired =");
        return Object.fromEntries(values.flatMap((v, i) => (i % 2 === 0 ? [[v, values[i + 1]]] : [])));
    };

    it("manages the four keys and the app environment (tunnel)", () => {
        expect(desiredPairs(prodConfig)).toEqual({
            NOVA_MODE: "production",
            APP_HOST: "127.0.0.1",
            APP_PORT: "8000",
            UVICORN_RELOAD: "false",
            LOG_LEVEL: "info",
            COMPANY_NAME: "\"Rondot & Fils l'atelier\"",
            GREETING: "\"$HOME `n ‘quoted’\"",
        });
    });

    it("listens on all interfaces in direct mode", () => {
        expect(desiredPairs(stagingConfig)).toMatchObject({ APP_HOST: "0.0.0.0", APP_PORT: "8010" });
    });

    it("backs up before writing, without BOM, and narrows the ACL only if it differs", () => {
        const { create, audit } = render("dotenv", prodConfig);
        const backup = create.indexOf("'.bak-' + (Get-NovaFileHash $NovaEnvPath).Substring(0, 12)");
        const write = create.indexOf("[System.IO.File]::WriteAllText($NovaEnvPath, $NovaEnvUpdated, $utf8)");
        expect(backup).toBeGreaterThan(0);
        expect(write).toBeGreaterThan(backup);
        expect(create).toContain(`$desired = 'owner:S-1-5-32-544;protected;S-1-5-18:FullControl:Allow;S-1-5-32-544:FullControl:Allow;${NOVA_BACKEND_SID}:ReadAndExecute:Allow'`);
        expect(valuesOnLine(create, "$NovaEnvPath =")).toEqual(["C:\\Users\\PPZ\\NOVA-SERVER\\.env"]);
        expect(audit).not.toContain("WriteAllText");
    });

    it("narrows the backup's ACL before writing into it (a new file inherits the directory's ACL)", () => {
        const { create } = render("dotenv", prodConfig);
        expect(create).toContain(
            [
                "    $backup = $NovaEnvPath + '.bak-' + (Get-NovaFileHash $NovaEnvPath).Substring(0, 12)",
                "    if (-not (Test-Path -LiteralPath $backup)) {",
                "      [System.IO.File]::WriteAllText($backup, '', $utf8)",
                "      Set-NovaAdminOnlyAcl $backup",
                "      [System.IO.File]::WriteAllText($backup, (Remove-NovaEnvSecretLines $NovaEnvOriginal), $utf8)",
                "    }",
                "  }",
                "  [System.IO.File]::WriteAllText($NovaEnvPath, $NovaEnvUpdated, $utf8)",
            ].join("\n"),
        );
    });

    it("quotes values only when needed and refuses line breaks", () => {
        expect(dotenvValue("production")).toBe("production");
        expect(dotenvValue("a b")).toBe("\"a b\"");
        expect(dotenvValue("say \"hi\" \\o/")).toBe("\"say \\\"hi\\\" \\\\o/\"");
        expect(() => dotenvValue("a\nb")).toThrow(/line break/);
        expect(() => render("dotenv", { ...prodConfig, appEnv: { APP_PORT: "1" } })).toThrow(/managed key/);
    });
});

describe("health, tools, cloudflared, preflight", () => {
    it("health polls the configured port and path", () => {
        expect(valuesOnLine(render("health", prodConfig).create, "$NovaHealthUrl =")).toEqual(["http://127.0.0.1:8000/health"]);
        // direct mode: the backend speaks TLS and may require Cloudflare's client certificate; the probe checks what it serves.
        expect(render("health", stagingConfig).create).not.toContain("$NovaHealthUrl");
        expect(render("health", stagingConfig).create).toContain("$NovaHealthPort = 8010");
        expect(valuesOnLine(render("health", stagingConfig).create, "$NovaOriginCertificate =")).toEqual([`${stagingConfig.service.appDirectory}\\tls\\origin.crt`]);
        expect(render("health", prodConfig).create).toContain("$NovaHealthTimeout = 120");
        expect(render("health", prodConfig).create).not.toMatch(/Get-Content|-Tail/);
    });

    it("tools verify the pinned SHA-256 before installing", () => {
        const { create } = render("tools", prodConfig);
        expect(valuesOnLine(create, "$NovaNssmUrl =")).toEqual([prodConfig.tools.nssm.url]);
        expect(create).toContain(`$desired = '${prodConfig.tools.nssm.sha256}'`);
        expect(create).toContain(`$desired = '${prodConfig.tools.cloudflared.sha256}'`);
        expect(create).toContain("Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $Path -TimeoutSec 300");
        expect(create).toContain("$ProgressPreference = 'SilentlyContinue'");
        expect(create.indexOf("Save-NovaVerifiedDownload -Url $NovaNssmUrl")).toBeLessThan(create.indexOf("Expand-Archive"));
        expect(create).toContain("-like '*\\win64\\nssm.exe'");
        expect(create).toContain("(Join-Path $env:ProgramFiles 'nova-infra\\nssm\\nssm.exe')");
        expect(render("tools", stagingConfig).create).not.toContain("cloudflared");
    });

    it("cloudflared installs the service without the token, writes the token file and points the service at it", () => {
        const { create, delete: del } = render("cloudflared", prodConfig);
        expect(create).toContain(
            [
                "  $before = @($configs | Where-Object { Test-Path -LiteralPath $_ })",
                "  Invoke-NovaNative $NovaCloudflared @('service', 'install') -HideOutput | Out-Null",
                "  Write-NovaTokenFile (Get-NovaSecret 'tunnelToken')",
                "  Stop-NovaService $NovaTunnelService | Out-Null",
                "  foreach ($c in $configs) { if (($before -notcontains $c) -and (Test-Path -LiteralPath $c)) { Remove-Item -LiteralPath $c -Force; Add-NovaChange 'config-yml-removed' } }",
                "  Set-NovaTunnelCommandLine",
                "  Start-Service -Name $NovaTunnelService",
                "}",
            ].join("\n"),
        );
        expect(create).not.toMatch(/'install', \(Get-NovaSecret/);
        expect(create).toContain("$desired = '2026.7.3'");
        expect(del).toContain("@('service', 'uninstall')");
        expect(() => render("cloudflared", stagingConfig)).toThrow(/tunnel mode/);
    });

    it("preflight names each requirement", () => {
        const { create } = render("preflight", stagingConfig);
        expect(create).toContain("([int]$actual -ge 17763)");
        expect(singleQuotedValues(create)).toEqual(expect.arrayContaining([
            stagingConfig.service.pythonExe,
            stagingConfig.service.appDirectory,
            `${stagingConfig.service.appDirectory}\\main.py`,
            "service:NOVA-Backend-Staging",
        ]));
        expect(create).toContain("-LocalPort 8010");
        expect(create).toContain("throw ('preflight failed: ' + ($NovaFailures -join '; '))");
    });

    it("preflight finds our service among the listener's ancestors (nssm.exe > venv launcher > python.exe)", () => {
        const { create } = render("preflight", stagingConfig);
        expect(create).toContain(
            [
                "  $process = $owner",
                "  $id = $ownerId",
                "  for ($depth = 0; $depth -le 4; $depth++) {",
                "    $service = Get-CimInstance -ClassName Win32_Service -Filter ('ProcessId = ' + $id) | Select-Object -First 1",
                "    if ($null -ne $service) { return ('service:' + $service.Name) }",
                "    if ($null -eq $process -or [int]$process.ParentProcessId -le 4) { break }",
                "    $parent = Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId = ' + [int]$process.ParentProcessId)",
                "    if ($null -eq $parent -or $parent.CreationDate -gt $process.CreationDate) { break }",
                "    $process = $parent",
                "    $id = [int]$parent.ProcessId",
                "  }",
                "  if ($null -ne $owner) { return ('process:' + $owner.Name) }",
            ].join("\n"),
        );
    });
});
