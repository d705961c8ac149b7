/**
 * 7. The service's folders, executed under pwsh with an ACL stand-in (Get-Acl answers the rules a
 * Windows Server 2019 folder has): preflight refuses an app folder made at the root of C: (it inherits
 * Authenticated Users: Modify), and the service step grants the virtual account what it needs.
 */
import { expect, it } from "vitest";
import { serviceSid } from "../../../../components/host/serviceAccount";
import { renderHostStep } from "../../../../components/host/steps";
import type { NovaConfig } from "../../../../components/types";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, prodConfig, sshHost } from "../../../support/fixtures/configs";
import { describePwsh, stepJson, stepProgram, withTrap } from "../../../support/pwsh";
import { pwshQueue } from "../../../support/pwshBatch";

/** The programs are made while the tests are collected and run in one pwsh before them (test/support/pwshBatch.ts). */
const runPwsh = pwshQueue();

const inputs = { cloudflare: { ipv4: CLOUDFLARE_IPV4, ipv6: CLOUDFLARE_IPV6 } };
const SID = serviceSid("NOVA-Backend");

/** Rules by folder: SID=rights (FileSystemRights names); folders not listed have SYSTEM and Administrators only. */
function aclStandIn(rules: Record<string, string[]>): string {
    const table = Object.entries(rules)
        .map(([path, list]) => `'${path.toLowerCase()}' = @(${list.map((r) => `'${r}'`).join(", ")})`)
        .join("; ");
    return String.raw`$global:Calls = New-Object System.Collections.Generic.List[string]
$global:Acls = @{ ${table} }
function Test-Path { return $true }
function Get-Content { return @('home = C:\Users\PPZ\AppData\Local\Programs\Python\Python311', 'version = 3.11.7') }
function Join-Path([string]$Path, [string]$ChildPath) { return ($Path + '\' + $ChildPath) }
function Get-Acl([string]$LiteralPath) {
  $list = @('S-1-5-18=FullControl', 'S-1-5-32-544=FullControl')
  if ($global:Acls.ContainsKey($LiteralPath.ToLowerInvariant())) { $list += $global:Acls[$LiteralPath.ToLowerInvariant()] }
  $access = foreach ($entry in $list) {
    $p = $entry.Split('=')
    $id = [pscustomobject]@{ Value = $p[0] }
    $id | Add-Member ScriptMethod Translate { param($type) return $this }
    [pscustomobject]@{ IdentityReference = $id; FileSystemRights = [System.Security.AccessControl.FileSystemRights]$p[1]; AccessControlType = 'Allow' }
  }
  $acl = [pscustomobject]@{ Access = @($access) }
  $acl | Add-Member ScriptMethod GetAccessRules { param($explicit, $inherited, $type) return $this.Access }
  return $acl
}
function Grant-NovaAccess([string]$Path, [string]$Sid, [string]$Rights) { $global:Calls.Add('grant ' + $Path + ' ' + $Sid + ' ' + $Rights) }
function Remove-NovaFolderWriters([string]$Path) { $global:Calls.Add('narrow ' + $Path) }
function Get-NetTCPConnection { return $null }
function Get-ItemProperty { return [pscustomobject]@{ CurrentBuildNumber = '17763' } }`;
}
const SHOW = "Write-Output ('CALLS ' + (ConvertTo-Json -Compress -InputObject @($global:Calls)))";
const calls = (stdout: string): string[] => JSON.parse(stdout.split("\n").find((l) => l.startsWith("CALLS "))!.slice(6));

/** The guide's other layout: the app at the root of C:. */
const atRoot: NovaConfig = {
    ...prodConfig,
    service: { ...prodConfig.service, appDirectory: "C:\\NOVA-SERVER", pythonExe: "C:\\NOVA-SERVER\\.venv\\Scripts\\python.exe", logDirectory: "C:\\NOVA-SERVER\\logs" },
};
const ROOT_RULES = ["S-1-5-11=Modify, Synchronize", "S-1-5-32-545=ReadAndExecute, Synchronize", "S-1-5-32-545=AppendData"];

describePwsh("7. least privilege", () => {
    const preflight = (() => {
        const standIns = aclStandIn({ "C:\\NOVA-SERVER": ROOT_RULES, "C:\\NOVA-SERVER\\.venv": ROOT_RULES, "C:\\NOVA-SERVER\\logs": ["S-1-5-32-545=ReadAndExecute, Synchronize"] });
        const create = renderHostStep("preflight", atRoot, sshHost, inputs).create;
        const items = ["writable:app-directory", "writable:venv", "writable:log-directory"];
        return {
            refused: runPwsh(withTrap(stepProgram(create, standIns, items))),
            fixed: runPwsh(withTrap(stepProgram(renderHostStep("preflight", { ...atRoot, service: { ...atRoot.service, fixFolderAcls: true } }, sshHost, inputs).create, `${standIns}\n`, items)).replace(/\nWrite-NovaJson[^\n]*\n/, (m) => `${m}${SHOW}\n`)),
        };
    })();
    it("preflight refuses app, venv and log folders that non-administrators can write, naming them and the groups", () => {
        const r = preflight.refused();
        expect(r.stderr.trim()).toBe(
            "preflight failed: writable:app-directory: expected , found S-1-5-11,S-1-5-32-545; writable:venv: expected , found S-1-5-11,S-1-5-32-545",
        );
        const fixed = preflight.fixed();
        expect(fixed.stderr).toBe("");
        expect(calls(fixed.stdout)).toEqual(["narrow C:\\NOVA-SERVER", "narrow C:\\NOVA-SERVER\\.venv"]);
        expect(stepJson(fixed.stdout.split("\nCALLS")[0]).changed).toEqual(["writable:app-directory", "writable:venv"]);
    });

    const create = renderHostStep("service", prodConfig, sshHost, inputs).create;
    const items = ["grant:app-directory", "grant:venv", "grant:python-home", "grant:log-directory"];
    const program = (acls: Record<string, string[]>) =>
        `${stepProgram(create, `${aclStandIn(acls)}\nfunction Get-Service { return $null }\nfunction Restart-NovaService { return 'missing' }`, items, "$env:ProgramFiles = 'C:\\Program Files'\nfunction Join-Path([string]$Path, [string]$ChildPath) { return ($Path + '\\' + $ChildPath) }")}\n${SHOW}`;
    const granted = {
        "C:\\Users\\PPZ\\NOVA-SERVER": [`${SID}=ReadAndExecute, Synchronize`],
        "C:\\Users\\PPZ\\NOVA-SERVER\\.venv": [`${SID}=ReadAndExecute, Synchronize`],
        "C:\\Users\\PPZ\\AppData\\Local\\Programs\\Python\\Python311": [`${SID}=ReadAndExecute, Synchronize`],
        "C:\\Users\\PPZ\\NOVA-SERVER\\logs": [`${SID}=Modify, Synchronize`],
    };
    const first = runPwsh(withTrap(program({})));
    const second = runPwsh(withTrap(program(granted)));
    it("the service step grants NT SERVICE\\NOVA-Backend read on the app, venv and base interpreter, and modify on the logs, once", () => {
        const r = first();
        expect(r.stderr).toBe("");
        expect(calls(r.stdout)).toEqual([
            `grant C:\\Users\\PPZ\\NOVA-SERVER ${SID} ReadAndExecute`,
            `grant C:\\Users\\PPZ\\NOVA-SERVER\\.venv ${SID} ReadAndExecute`,
            `grant C:\\Users\\PPZ\\AppData\\Local\\Programs\\Python\\Python311 ${SID} ReadAndExecute`,
            `grant C:\\Users\\PPZ\\NOVA-SERVER\\logs ${SID} Modify`,
        ]);
        // run again on the ACLs the first run granted: nothing to grant
        const again = second();
        expect(again.stderr).toBe("");
        expect(calls(again.stdout)).toEqual([]);
    });
});
