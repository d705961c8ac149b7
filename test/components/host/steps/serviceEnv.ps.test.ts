/**
 * The service's environment in NSSM's Parameters key, executed under pwsh with a registry stand-in:
 * the key is narrowed before the secrets are written, PYTHONUTF8=1 and nova:serviceEnv come first,
 * and a secret holding `%` (which NSSM would expand) is refused without being shown.
 */
import { expect, it } from "vitest";
import { NovaConfigError } from "../../../../components/config/parse";
import { renderHostStep } from "../../../../components/host/steps";
import type { NovaConfig } from "../../../../components/types";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost } from "../../../support/fixtures/configs";
import { runRaw, stackWith } from "../../../support/harness";
import { describePwsh, stepProgram, withTrap } from "../../../support/pwsh";
import { pwshQueue } from "../../../support/pwshBatch";

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
const create = (cfg: NovaConfig = prodConfig) => renderHostStep("service", cfg, sshHost, inputs).create;

/** The Parameters key (values, and whether its ACL was narrowed); every write is logged. */
const REGISTRY = String.raw`$global:Calls = New-Object System.Collections.Generic.List[string]
$global:Values = @{}
function Get-Item([string]$LiteralPath) { $o = [pscustomobject]@{ Path = $LiteralPath }; $o | Add-Member ScriptMethod GetValue { param($n, $d, $opt) if ($global:Values.ContainsKey($n)) { $global:Values[$n] } else { $d } }; return $o }
function Set-ItemProperty([string]$LiteralPath, [string]$Name, [string]$Type, $Value) { $global:Calls.Add('set ' + $Name); $global:Values[$Name] = $Value }
function Get-NovaAclText([string]$Path, [switch]$Registry) { return 'inherited;S-1-5-32-545:ReadKey:Allow' }
function Get-Service { return $null }
$NovaSecrets = [pscustomobject]@{ 'env:ANTHROPIC_API_KEY' = 'sk-ant-x'; 'env:OPENAI_API_KEY' = 'sk-proj-y' }`;
const SHOW = "Write-Output ('CALLS ' + (@($global:Calls) -join ';'))\nWrite-Output ('ENV ' + (ConvertTo-Json -Compress -InputObject @($global:Values['AppEnvironmentExtra'])))";
const PRE = "$env:ProgramFiles = 'C:\\Program Files'\nfunction Join-Path([string]$Path, [string]$ChildPath) { return ($Path + '\\' + $ChildPath) }";
const ITEMS = ["parameters-acl", "AppEnvironmentExtra"];

/** The programs are made while the tests are collected and run in one pwsh before them (test/support/pwshBatch.ts). */
const runPwsh = pwshQueue();

function run(program: string) {
    const [param, ...rest] = program.split("\n");
    return runPwsh([param, `trap { ${SHOW.split("\n")[0]}; [Console]::Error.WriteLine($_.Exception.Message); exit 1 }`, ...rest, SHOW].join("\n"));
}

describePwsh("8. the Parameters key before the secrets", () => {
    const narrowed = run(stepProgram(create(), `${REGISTRY}\nfunction Set-NovaAdminOnlyAcl { $global:Calls.Add('narrow') }`, ITEMS, PRE));
    const refused = run(stepProgram(create(), `${REGISTRY}\nfunction Set-NovaAdminOnlyAcl { throw 'Requested registry access is not allowed.' }`, ITEMS, PRE));
    it("is narrowed first; when narrowing fails, no secret has been written", () => {
        const ok = narrowed();
        expect(ok.stderr).toBe("");
        expect(ok.stdout).toContain("CALLS narrow;set AppEnvironmentExtra\n");
        const failed = refused();
        expect(failed.stderr.trim()).toBe("Requested registry access is not allowed.");
        expect(failed.stdout).toContain("CALLS \n");
    });

    const percent = runPwsh(withTrap(stepProgram(create(), `${REGISTRY}\nfunction Set-NovaAdminOnlyAcl { }\n$NovaSecrets = [pscustomobject]@{ 'env:ANTHROPIC_API_KEY' = 'sk-%PATH%-x'; 'env:OPENAI_API_KEY' = 'y' }`, ITEMS, PRE)));
    it("a secret holding % is refused by the script without its value, and by the config first", async () => {
        const r = percent();
        expect(r.stderr.trim()).toBe("secret ANTHROPIC_API_KEY contains %, which NSSM would expand");
        const { error } = await runRaw(stackWith("prod", {}, { "nova:sshPrivateKey": "k", "nova:appSecretEnv": '{"ANTHROPIC_API_KEY":"sk-%PATH%-x","OPENAI_API_KEY":"o"}' }));
        expect((error as NovaConfigError).problems.filter((p) => p.startsWith("nova:appSecretEnv."))).toEqual([
            "nova:appSecretEnv.ANTHROPIC_API_KEY: expected a value without % (NSSM expands %NAME% in the service environment and has no escape; value not shown)",
        ]);
        expect(JSON.stringify((error as NovaConfigError).problems)).not.toContain("sk-%PATH%-x");
    });
});

describePwsh("9. the non-secret service environment", () => {
    const cfg: NovaConfig = { ...prodConfig, serviceEnv: { WEB_CONCURRENCY: "2", FORWARDED_ALLOW_IPS: "127.0.0.1" } };
    const ordered = run(stepProgram(create(cfg), `${REGISTRY}\nfunction Set-NovaAdminOnlyAcl { }`, ITEMS, PRE));
    it("holds PYTHONUTF8=1, then nova:serviceEnv sorted, then the secrets", () => {
        const r = ordered();
        expect(r.stderr).toBe("");
        const env = JSON.parse(r.stdout.split("\n").find((l) => l.startsWith("ENV "))!.slice(4));
        expect(env).toEqual(["PYTHONUTF8=1", "FORWARDED_ALLOW_IPS=127.0.0.1", "WEB_CONCURRENCY=2", "ANTHROPIC_API_KEY=sk-ant-x", "OPENAI_API_KEY=sk-proj-y"]);
    });
});
