/**
 * What the manual deployment guide left on a host that the service step takes over (audit items named
 * `guide:<what>`, so drift and the adoption report show them):
 * - `guide:machine-env`: Machine-scope copies of the secret keys (readable by every local user, inherited
 *   by every service) are removed. The service gets its secrets from NSSM's AppEnvironmentExtra; other
 *   services keep the old value until services.exe reloads its environment (a reboot), which the step
 *   reports as `reboot-pending:machine-env`.
 * - `guide:scheduled-task` (task "NOVA-Backend" of option B), `guide:start-script` (start-service.ps1 of
 *   option C) and `guide:path-entries` (C:\nssm\win64 and C:\Program Files\cloudflared on the Machine
 *   PATH): reported; removed only when `nova:removeGuideLeftovers` is true.
 */
import { psArray, psQuote } from "../../powershell";
import type { NovaConfig } from "../../types";
import type { Check } from "../script";

/** The guide's scheduled task (option B). */
export const GUIDE_TASK = "NOVA-Backend";
/** The guide's startup script (option C), in the app directory. */
export const GUIDE_START_SCRIPT = "start-service.ps1";
/** Directories the guide adds to the Machine PATH. */
export const GUIDE_PATH_ENTRIES = ["C:\\nssm\\win64", "C:\\Program Files\\cloudflared"] as const;

const ENV_KEY = "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment";

/** Machine-scope copies of the secret keys: removed (none when there are no secret keys). */
export function machineEnvCheck(cfg: NovaConfig): Check[] {
    if (cfg.appSecretEnvKeys.length === 0) return [];
    const names = psArray([...cfg.appSecretEnvKeys].sort());
    return [
        {
            item: "guide:machine-env",
            desired: "''",
            actual: `((@(${names}) | Where-Object { $null -ne [Environment]::GetEnvironmentVariable($_, 'Machine') }) -join ',')`,
            fix: [
                "foreach ($name in ([string]$actual).Split(',')) { [Environment]::SetEnvironmentVariable($name, $null, 'Machine') }",
                "Add-NovaChange 'reboot-pending:machine-env'",
            ].join("\n"),
        },
    ];
}

function leftover(cfg: NovaConfig, item: string, actual: string, fix: string): Check {
    return cfg.removeGuideLeftovers ? { item, desired: "''", actual, fix } : { item, desired: "''", actual, auditOnly: true };
}

/** The guide's other ways of starting the app, and its PATH entries. */
export function guideLeftoverChecks(cfg: NovaConfig): Check[] {
    const script = psQuote(`${cfg.service.appDirectory.replace(/\\$/, "")}\\${GUIDE_START_SCRIPT}`);
    const task = psQuote(GUIDE_TASK);
    const entries = psArray([...GUIDE_PATH_ENTRIES]);
    const pathEntries = String.raw`& {
  $raw = [string](Get-Item -LiteralPath '${ENV_KEY}').GetValue('Path', '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
  return ((@($raw.Split(';') | Where-Object { ${entries} -contains $_.Trim().TrimEnd('\') })) -join ';')
}`;
    const pathFix = String.raw`$raw = [string](Get-Item -LiteralPath '${ENV_KEY}').GetValue('Path', '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
$kept = @($raw.Split(';') | Where-Object { ${entries} -notcontains $_.Trim().TrimEnd('\') })
Set-ItemProperty -LiteralPath '${ENV_KEY}' -Name 'Path' -Type ExpandString -Value ($kept -join ';')`;
    return [
        leftover(
            cfg,
            "guide:scheduled-task",
            `& { if ($null -ne (Get-ScheduledTask -TaskName ${task} -ErrorAction SilentlyContinue)) { ${task} } else { '' } }`,
            `Stop-ScheduledTask -TaskName ${task} -ErrorAction SilentlyContinue\nUnregister-ScheduledTask -TaskName ${task} -Confirm:$false`,
        ),
        leftover(cfg, "guide:start-script", `& { if (Test-Path -LiteralPath ${script} -PathType Leaf) { ${script} } else { '' } }`, `Remove-Item -LiteralPath ${script} -Force`),
        leftover(cfg, "guide:path-entries", pathEntries, pathFix),
    ];
}
