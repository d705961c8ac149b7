"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const bootstrap_1 = require("../components/host/bootstrap");
const steps_1 = require("../components/host/steps");
const dotenv_1 = require("../components/host/steps/dotenv");
const firewall_1 = require("../components/host/steps/firewall");
const configs_1 = require("./fixtures/configs");
const powershellParse_1 = require("./powershellParse");
(0, vitest_1.beforeAll)(powershellParse_1.initPowerShellParser);
const inputs = { cloudflare: { ipv4: configs_1.CLOUDFLARE_IPV4, ipv6: configs_1.CLOUDFLARE_IPV6 } };
const render = (name, cfg) => (0, steps_1.renderHostStep)(name, cfg, configs_1.sshHost, inputs);
/** The values of the single-quoted literals on the line that starts with `prefix`. */
function valuesOnLine(script, prefix) {
    const line = script.split("\n").find((l) => l.trimStart().startsWith(prefix));
    if (line === undefined)
        throw new Error(`no line starting with ${prefix}`);
    return (0, powershellParse_1.singleQuotedValues)(line);
}
(0, vitest_1.describe)("service step (NSSM)", () => {
    const { create, audit, delete: del } = render("service", configs_1.prodConfig);
    const expected = [
        ["Application", "C:\\Users\\PPZ\\NOVA-SERVER\\.venv\\Scripts\\python.exe"],
        ["AppDirectory", "C:\\Users\\PPZ\\NOVA-SERVER"],
        ["AppStdout", "C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service.log"],
        ["AppStderr", "C:\\Users\\PPZ\\NOVA-SERVER\\logs\\service-error.log"],
        ["AppRotateFiles", "1"],
        ["AppRotateOnline", "1"],
        ["AppRotateBytes", "10485760"],
        ["Start", "SERVICE_AUTO_START"],
        ["AppExit", "Restart", "Default"],
        ["AppRestartDelay", "5000"],
        ["AppStopMethodConsole", "15000"],
    ];
    vitest_1.it.each(expected)("compares then sets %s only when different", (name, value, sub) => {
        const block = create.split(`# ${sub ? `${name} ${sub}` : name}\n`)[1].split("\n# ")[0];
        const lines = block.split("\n");
        (0, vitest_1.expect)((0, powershellParse_1.singleQuotedValues)(lines[0])).toEqual([value]);
        (0, vitest_1.expect)(lines[0].startsWith("$desired = ")).toBe(true);
        (0, vitest_1.expect)((0, powershellParse_1.singleQuotedValues)(lines[1])).toEqual([name, sub ?? ""]);
        (0, vitest_1.expect)(lines[1]).toMatch(/^\$actual = \(Get-NovaNssm /);
        (0, vitest_1.expect)(lines[3]).toBe("if (-not $ok) {");
        (0, vitest_1.expect)((0, powershellParse_1.singleQuotedValues)(lines[4])).toEqual([name, ...(sub ? [sub, value] : [value])]);
        (0, vitest_1.expect)(lines[4]).toMatch(/^ {2}Set-NovaNssm /);
    });
    (0, vitest_1.it)("sets the entry point and the secret environment names, never their values", () => {
        (0, vitest_1.expect)(valuesOnLine(create, "$desired = 'main.py'")).toEqual(["main.py"]);
        (0, vitest_1.expect)(create).toContain("foreach ($key in @('ANTHROPIC_API_KEY', 'OPENAI_API_KEY'))");
        (0, vitest_1.expect)(create).toContain("Get-NovaSecret ('env:' + $key)");
        (0, vitest_1.expect)(create).toContain("-Name 'AppEnvironmentExtra' -Type MultiString");
        (0, vitest_1.expect)(valuesOnLine(create, "$NovaParametersKey =")).toEqual(["HKLM:\\SYSTEM\\CurrentControlSet\\Services\\NOVA-Backend\\Parameters"]);
        (0, vitest_1.expect)(create).toContain("# parameters-acl\n$desired = 'protected;S-1-5-18:FullControl:Allow;S-1-5-32-544:FullControl:Allow'");
        (0, vitest_1.expect)(create).toContain("Set-NovaAdminOnlyAcl $NovaParametersKey -Registry");
    });
    (0, vitest_1.it)("installs if missing, restarts only on change, starts when stopped", () => {
        (0, vitest_1.expect)(create).toContain("Invoke-NovaNative $NovaNssm @('install', $NovaService, 'C:\\Users\\PPZ\\NOVA-SERVER\\.venv\\Scripts\\python.exe')");
        (0, vitest_1.expect)(create).toContain("if (($NovaChanged.Count -gt 0) -and ($service.Status -eq 'Running')) { Restart-Service");
        (0, vitest_1.expect)(create).toContain("elseif ($service.Status -ne 'Running') { Start-Service");
        (0, vitest_1.expect)(valuesOnLine(create, "$NovaService =")).toEqual(["NOVA-Backend"]);
    });
    (0, vitest_1.it)("audit changes nothing and delete removes the service", () => {
        (0, vitest_1.expect)(audit).not.toMatch(/Set-NovaNssm \S|Set-ItemProperty|Restart-Service|Start-Service|Invoke-NovaNative \$NovaNssm @\('install'/);
        (0, vitest_1.expect)(audit).toContain("items = @($NovaItems)");
        (0, vitest_1.expect)(del).toContain("Invoke-NovaNative $NovaNssm @('remove', $NovaService, 'confirm')");
    });
});
(0, vitest_1.describe)("firewall step", () => {
    (0, vitest_1.it)("direct mode: one rule whose remote addresses are all of Cloudflare's ranges", () => {
        const { create } = render("firewall", configs_1.stagingConfig);
        (0, vitest_1.expect)(new Set(valuesOnLine(create, "$NovaCidrs ="))).toEqual(new Set([...configs_1.CLOUDFLARE_IPV4, ...configs_1.CLOUDFLARE_IPV6]));
        (0, vitest_1.expect)(valuesOnLine(create, "$NovaCidrs =")).toHaveLength(configs_1.CLOUDFLARE_IPV4.length + configs_1.CLOUDFLARE_IPV6.length);
        (0, vitest_1.expect)(create.match(/New-NetFirewallRule/g)).toHaveLength(1);
        (0, vitest_1.expect)(create).toContain("-Protocol TCP -LocalPort 8010 -RemoteAddress $NovaCidrs");
        (0, vitest_1.expect)(valuesOnLine(create, "$NovaGroup =")).toEqual(["NOVA (nova-infra)"]);
        (0, vitest_1.expect)(valuesOnLine(create, "$NovaRuleName =")).toEqual([(0, firewall_1.firewallRuleName)(configs_1.stagingConfig)]);
        (0, vitest_1.expect)(create).toContain("Remove-NovaGroupRules $NovaRuleName");
    });
    (0, vitest_1.it)("normalises mask forms before comparing", () => {
        const { create } = render("firewall", (0, configs_1.withMode)(configs_1.prodConfig, "direct"));
        (0, vitest_1.expect)(create).toContain("$prefix = $bits.TrimEnd('0').Length");
        (0, vitest_1.expect)(create).toContain("$desired = (Get-NovaCidrText $NovaCidrs)\n$actual = (Get-NovaRuleAddresses)");
    });
    (0, vitest_1.it)("tunnel mode: no inbound rule, ours removed", () => {
        const { create, audit } = render("firewall", configs_1.prodConfig);
        (0, vitest_1.expect)(create).not.toContain("New-NetFirewallRule");
        (0, vitest_1.expect)(create).not.toContain("$NovaCidrs");
        (0, vitest_1.expect)(create).toContain("Remove-NovaGroupRules ''");
        (0, vitest_1.expect)(audit).not.toContain("Remove-NetFirewallRule -");
    });
    (0, vitest_1.it)("delete removes only our group's rules", () => {
        const del = render("firewall", configs_1.prodConfig).delete;
        (0, vitest_1.expect)(del).toContain("Get-NetFirewallRule -Group 'NOVA (nova-infra)'");
        (0, vitest_1.expect)(del.match(/Remove-NetFirewallRule/g)).toHaveLength(1);
    });
});
(0, vitest_1.describe)("dotenv step", () => {
    const desiredPairs = (cfg) => {
        const values = valuesOnLine(render("dotenv", cfg).create, "$NovaEnvDesired =");
        return Object.fromEntries(values.flatMap((v, i) => (i % 2 === 0 ? [[v, values[i + 1]]] : [])));
    };
    (0, vitest_1.it)("manages the four keys and the app environment (tunnel)", () => {
        (0, vitest_1.expect)(desiredPairs(configs_1.prodConfig)).toEqual({
            NOVA_MODE: "production",
            APP_HOST: "127.0.0.1",
            APP_PORT: "8000",
            UVICORN_RELOAD: "false",
            LOG_LEVEL: "info",
            COMPANY_NAME: "\"Rondot & Fils l'atelier\"",
            GREETING: "\"$HOME `n ‘quoted’\"",
        });
    });
    (0, vitest_1.it)("listens on all interfaces in direct mode", () => {
        (0, vitest_1.expect)(desiredPairs(configs_1.stagingConfig)).toMatchObject({ APP_HOST: "0.0.0.0", APP_PORT: "8010" });
    });
    (0, vitest_1.it)("backs up before writing, without BOM, and narrows the ACL only if it differs", () => {
        const { create, audit } = render("dotenv", configs_1.prodConfig);
        const backup = create.indexOf("'.bak-' + (Get-NovaFileHash $NovaEnvPath).Substring(0, 12)");
        const write = create.indexOf("[System.IO.File]::WriteAllText($NovaEnvPath, $NovaEnvUpdated, (New-Object System.Text.UTF8Encoding $false))");
        (0, vitest_1.expect)(backup).toBeGreaterThan(0);
        (0, vitest_1.expect)(write).toBeGreaterThan(backup);
        (0, vitest_1.expect)(create).toContain("$desired = 'protected;S-1-5-18:FullControl:Allow;S-1-5-32-544:FullControl:Allow'");
        (0, vitest_1.expect)(valuesOnLine(create, "$NovaEnvPath =")).toEqual(["C:\\Users\\PPZ\\NOVA-SERVER\\.env"]);
        (0, vitest_1.expect)(audit).not.toContain("WriteAllText");
    });
    (0, vitest_1.it)("quotes values only when needed and refuses line breaks", () => {
        (0, vitest_1.expect)((0, dotenv_1.dotenvValue)("production")).toBe("production");
        (0, vitest_1.expect)((0, dotenv_1.dotenvValue)("a b")).toBe("\"a b\"");
        (0, vitest_1.expect)((0, dotenv_1.dotenvValue)("say \"hi\" \\o/")).toBe("\"say \\\"hi\\\" \\\\o/\"");
        (0, vitest_1.expect)(() => (0, dotenv_1.dotenvValue)("a\nb")).toThrow(/line break/);
        (0, vitest_1.expect)(() => render("dotenv", { ...configs_1.prodConfig, appEnv: { APP_PORT: "1" } })).toThrow(/managed key/);
    });
});
(0, vitest_1.describe)("health, tools, cloudflared, preflight", () => {
    (0, vitest_1.it)("health polls the configured port and path", () => {
        (0, vitest_1.expect)(valuesOnLine(render("health", configs_1.prodConfig).create, "$NovaHealthUrl =")).toEqual(["http://127.0.0.1:8000/health"]);
        (0, vitest_1.expect)(valuesOnLine(render("health", configs_1.stagingConfig).create, "$NovaHealthUrl =")).toEqual(["http://127.0.0.1:8010/health"]);
        (0, vitest_1.expect)(render("health", configs_1.prodConfig).create).toContain("$NovaHealthTimeout = 120");
        (0, vitest_1.expect)(render("health", configs_1.prodConfig).create).toContain("-Tail 40");
    });
    (0, vitest_1.it)("tools verify the pinned SHA-256 before installing", () => {
        const { create } = render("tools", configs_1.prodConfig);
        (0, vitest_1.expect)(valuesOnLine(create, "$NovaNssmUrl =")).toEqual([configs_1.prodConfig.tools.nssm.url]);
        (0, vitest_1.expect)(create).toContain(`$desired = '${configs_1.prodConfig.tools.nssm.sha256}'`);
        (0, vitest_1.expect)(create).toContain(`$desired = '${configs_1.prodConfig.tools.cloudflared.sha256}'`);
        (0, vitest_1.expect)(create).toContain("Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $Path");
        (0, vitest_1.expect)(create).toContain("$ProgressPreference = 'SilentlyContinue'");
        (0, vitest_1.expect)(create.indexOf("Save-NovaVerifiedDownload -Url $NovaNssmUrl")).toBeLessThan(create.indexOf("Expand-Archive"));
        (0, vitest_1.expect)(create).toContain("-like '*\\win64\\nssm.exe'");
        (0, vitest_1.expect)(create).toContain("(Join-Path $env:ProgramFiles 'nova-infra\\nssm\\nssm.exe')");
        (0, vitest_1.expect)(render("tools", configs_1.stagingConfig).create).not.toContain("cloudflared");
        (0, vitest_1.expect)(() => render("tools", { ...configs_1.prodConfig, tools: { ...configs_1.prodConfig.tools, nssm: { ...configs_1.prodConfig.tools.nssm, sha256: "" } } })).toThrow(/sha256/);
    });
    (0, vitest_1.it)("cloudflared takes the token from the secrets and hides install output", () => {
        const { create, delete: del } = render("cloudflared", configs_1.prodConfig);
        (0, vitest_1.expect)(create).toContain("Invoke-NovaNative $NovaCloudflared @('service', 'install', (Get-NovaSecret 'tunnelToken')) -HideOutput");
        (0, vitest_1.expect)(create.indexOf("Remove-NovaEventLogKey\n  Invoke-NovaNative")).toBeGreaterThan(0);
        (0, vitest_1.expect)(create).toContain("$desired = '2026.7.3'");
        (0, vitest_1.expect)(del).toContain("@('service', 'uninstall')");
        (0, vitest_1.expect)(() => render("cloudflared", configs_1.stagingConfig)).toThrow(/tunnel mode/);
    });
    (0, vitest_1.it)("preflight names each requirement", () => {
        const { create } = render("preflight", configs_1.stagingConfig);
        (0, vitest_1.expect)(create).toContain("([int]$actual -ge 17763)");
        (0, vitest_1.expect)((0, powershellParse_1.singleQuotedValues)(create)).toEqual(vitest_1.expect.arrayContaining([
            configs_1.stagingConfig.service.pythonExe,
            configs_1.stagingConfig.service.appDirectory,
            `${configs_1.stagingConfig.service.appDirectory}\\main.py`,
            "service:NOVA-Backend-Staging",
        ]));
        (0, vitest_1.expect)(create).toContain("-LocalPort 8010");
        (0, vitest_1.expect)(create).toContain("throw ('preflight failed: ' + ($NovaFailures -join '; '))");
    });
});
(0, vitest_1.describe)("all scripts", () => {
    const all = (cfg) => [configs_1.sshHost, configs_1.winrmHost].flatMap((h) => (0, steps_1.renderHostSteps)(cfg, h, inputs)).flatMap((s) => [s.scripts.create, s.scripts.audit, s.scripts.delete].filter((t) => t !== undefined));
    const configs = [configs_1.prodConfig, configs_1.stagingConfig, (0, configs_1.withMode)(configs_1.prodConfig, "direct"), (0, configs_1.withMode)(configs_1.stagingConfig, "tunnel")];
    (0, vitest_1.it)("contain no secret value, nor do the command lines", () => {
        for (const cfg of configs) {
            const texts = [...all(cfg), (0, bootstrap_1.bootstrapCommand)()];
            for (const step of (0, steps_1.renderHostSteps)(cfg, configs_1.sshHost, inputs)) {
                if (step.scripts.delete)
                    texts.push((0, bootstrap_1.inlineCommand)(step.scripts.delete));
                texts.push((0, bootstrap_1.buildStdin)(step.scripts.create));
            }
            for (const text of texts) {
                for (const secret of Object.values(configs_1.FAKE_SECRETS))
                    (0, vitest_1.expect)(text).not.toContain(secret);
            }
        }
    });
    (0, vitest_1.it)("render byte-identically twice and use no clock, randomness or GUID", () => {
        for (const cfg of configs) {
            (0, vitest_1.expect)(all(cfg)).toEqual(all(cfg));
            for (const text of all(cfg))
                (0, vitest_1.expect)(text).not.toMatch(/Get-Date|Get-Random|New-Guid|\[guid\]|NewGuid/i);
        }
    });
    (0, vitest_1.it)("print one JSON line with the step name", () => {
        for (const step of (0, steps_1.renderHostSteps)(configs_1.prodConfig, configs_1.sshHost, inputs)) {
            (0, vitest_1.expect)(step.scripts.create).toContain(`Write-NovaJson ([ordered]@{ step = '${step.name}'; changed = @($NovaChanged) })`);
            (0, vitest_1.expect)(step.scripts.audit).toContain(`Write-NovaJson ([ordered]@{ step = '${step.name}'; items = @($NovaItems) })`);
            (0, vitest_1.expect)(step.scripts.create.match(/Write-NovaJson \(/g)).toHaveLength(1);
        }
    });
    (0, vitest_1.it)("keep hostile configuration values inside single-quoted literals", () => {
        const mark = "ZZMARK";
        const hostile = `${mark}$(Remove-Item C:\\)\`n"'’;|&`;
        const cfg = {
            ...configs_1.stagingConfig,
            stack: `${mark}stack`,
            service: {
                name: `${mark}svc`,
                appDirectory: `C:\\${hostile}`,
                pythonExe: `C:\\${hostile}\\python.exe`,
                entryPoint: `${mark}main.py`,
                logDirectory: `C:\\${hostile}\\logs`,
            },
            appEnv: { HOSTILE: hostile },
            appSecretEnvKeys: [`${mark}_KEY`],
            paths: { ...configs_1.stagingConfig.paths, health: `/${mark}` },
        };
        for (const mode of ["direct", "tunnel"]) {
            for (const text of all((0, configs_1.withMode)(cfg, mode))) {
                const literals = (0, powershellParse_1.nodesOfType)((0, powershellParse_1.parsePowerShell)(text), "verbatim_string_characters").map((n) => [n.startIndex, n.endIndex]);
                let at = text.indexOf(mark);
                while (at !== -1) {
                    (0, vitest_1.expect)(literals.some(([s, e]) => s < at && at < e), `${mark} at ${at}: ${text.slice(at - 40, at + 20)}`).toBe(true);
                    at = text.indexOf(mark, at + 1);
                }
            }
        }
    });
});
