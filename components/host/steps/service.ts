/**
 * The backend's Windows service, run by NSSM. Installed if missing; then each parameter is read back
 * (`nssm get`) and set (`nssm set`) only when it differs. The configured paths (Application,
 * AppDirectory, AppStdout, AppStderr), AppParameters and AppEnvironmentExtra are read and written in the
 * service's registry Parameters key directly (where NSSM keeps them): `nssm get` output does not decode
 * non-ASCII text faithfully in PowerShell, PowerShell 5.1 mangles embedded double quotes and a trailing
 * backslash in native arguments, and the secret environment must not appear on a process command line. The secret values come from `$NovaSecrets` (`env:<NAME>`) at run time, never
 * from the script text. The service restarts only when something changed, and starts when stopped.
 * Delete stops the service, runs `nssm remove <svc> confirm` and puts back the folder DACLs the grants
 * changed (restore.ts).
 */
import { psArray, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { PS_NSSM_EXE, nssmParametersKey, serviceKey, stderrLogPath, stdoutLogPath } from "../paths";
import { type Check, type StepScripts, renderStep } from "../script";
import { ACL_FUNCTIONS, aclCheck } from "./acl";
import { tlsPaths } from "./certificate";
import type { CloudflareRanges } from "./firewall";
import { guideLeftoverChecks, machineEnvCheck } from "./guide";
import { SERVICE_CONTROL_FUNCTIONS } from "./serviceControl";
import { serviceAccountName, serviceReaderSids } from "../serviceAccount";
import { FOLDER_FUNCTIONS, grantChecks } from "./grants";
import { RESTORE_FUNCTIONS } from "./restore";

/** Key of an app secret in the secrets document. */
export function appSecretName(key: string): string {
    return `env:${key}`;
}

/**
 * NSSM parameters whose values are configured paths, in order: [parameter, value]. They are read and
 * written as REG_EXPAND_SZ values of the Parameters key (where NSSM keeps them) rather than through
 * `nssm get`/`nssm set`: `nssm get` prints through its console text mode, which PowerShell decodes with
 * the OEM code page, so a non-ASCII path (`C:\Users\Frédéric`) never reads back equal and every run
 * would set it again and restart the service; and PowerShell 5.1 passes a native argument that has a
 * space and ends in `\` as `"C:\My App\"`, which the callee reads as an escaped quote.
 */
export function nssmPathParameters(cfg: NovaConfig): readonly (readonly [string, string])[] {
    const svc = cfg.service;
    return [
        ["Application", svc.pythonExe],
        ["AppDirectory", svc.appDirectory],
        ["AppStdout", stdoutLogPath(svc)],
        ["AppStderr", stderrLogPath(svc)],
    ];
}

/** NSSM parameters set with `nssm set` (constant ASCII values), in order: [parameter, value, sub-parameter?]. */
export function nssmParameters(_cfg: NovaConfig): readonly (readonly [string, string, string?])[] {
    return [
        ["AppRotateFiles", "1"],
        ["AppRotateOnline", "1"],
        ["AppRotateBytes", "10485760"],
        ["Start", "SERVICE_AUTO_START"],
        ["AppExit", "Restart", "Default"],
        ["AppRestartDelay", "5000"],
        ["AppStopMethodConsole", "15000"],
    ];
}

/** The entry point argument, double-quoted when it contains whitespace (as before direct mode). */
function entryArgument(entry: string): string {
    if (entry.includes('"')) throw new Error("service.entryPoint may not contain a double quote");
    return /\s/.test(entry) ? `"${entry}"` : entry;
}

/**
 * One command-line argument as the Microsoft C runtime (and so python.exe) splits them: quoted when it
 * holds whitespace or a quote, quotes escaped, backslashes doubled only before a quote.
 */
export function windowsArgument(value: string): string {
    if (value.length > 0 && !/[\s"]/.test(value)) return value;
    return `"${value.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, "$1$1")}"`;
}

/**
 * AppParameters. tunnel mode: the entry point (cloudflared connects from 127.0.0.1; the app's own
 * uvicorn defaults trust X-Forwarded-For from there). direct mode: uvicorn serving `appModule` over TLS
 * with the Origin CA certificate, taking the client address from the proxy headers of Cloudflare's
 * ranges only (CIDRs need uvicorn 0.30 or later) and, with AOP, requiring Cloudflare's client
 * certificate (`--ssl-cert-reqs 2` is ssl.CERT_REQUIRED).
 */
export function appParameters(cfg: NovaConfig, cloudflare: CloudflareRanges = { ipv4: [], ipv6: [] }): string {
    if (cfg.ingressMode === "tunnel") return entryArgument(cfg.service.entryPoint);
    const proxies = [...cloudflare.ipv4, ...cloudflare.ipv6];
    if (proxies.length === 0) throw new Error("direct mode: the service needs Cloudflare's ranges (the proxies uvicorn trusts)");
    const tls = tlsPaths(cfg.service);
    const path = windowsArgument;
    return [
        "-m uvicorn",
        cfg.service.appModule,
        `--host 0.0.0.0 --port ${cfg.appPort}`,
        `--proxy-headers --forwarded-allow-ips ${proxies.join(",")}`,
        `--ssl-certfile ${path(tls.certificate)} --ssl-keyfile ${path(tls.key)}`,
        ...(cfg.originTls.aop ? [`--ssl-cert-reqs 2 --ssl-ca-certs ${path(tls.originPullCa)}`] : []),
    ].join(" ");
}

const SETUP = String.raw`function Test-NovaService { return ($null -ne (Get-Service -Name $NovaService -ErrorAction SilentlyContinue)) }
function Get-NovaNssm([string]$Name, [string]$Sub) {
  if (-not (Test-NovaService)) { return '(service missing)' }
  if (-not (Test-Path -LiteralPath $NovaNssm -PathType Leaf)) { return '(nssm missing)' }
  $arguments = @('get', $NovaService, $Name)
  if ($Sub) { $arguments += $Sub }
  return (Invoke-NovaNative $NovaNssm $arguments)
}
function Set-NovaNssm([string]$Name, [string[]]$Values) {
  Invoke-NovaNative $NovaNssm (@('set', $NovaService, $Name) + $Values) | Out-Null
}
function Get-NovaServiceKey([string]$Name) {
  if (-not (Test-NovaService)) { return '(service missing)' }
  $value = (Get-Item -LiteralPath $NovaServiceKey).GetValue($Name, '', [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
  return ([string]$value).Trim()
}
function Get-NovaImagePath { return ([Environment]::ExpandEnvironmentVariables((Get-NovaServiceKey 'ImagePath')).Trim('"')) }
function Set-NovaServiceConfig([hashtable]$Arguments) {
  $service = Get-CimInstance -ClassName Win32_Service -Filter ("Name = '" + $NovaService + "'")
  $result = Invoke-CimMethod -InputObject $service -MethodName Change -Arguments $Arguments
  if ([int]$result.ReturnValue -ne 0) { throw ('changing {0} of service {1} failed with Win32_Service.Change code {2}' -f (@($Arguments.Keys) -join ','), $NovaService, $result.ReturnValue) }
}
function Get-NovaParameter([string]$Name) {
  $key = Get-Item -LiteralPath $NovaParametersKey -ErrorAction SilentlyContinue
  if ($null -eq $key) { return '' }
  $value = $key.GetValue($Name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
  if ($null -eq $value) { return '' }
  return ((@($value) | ForEach-Object { [string]$_ }) -join "` + "`n" + String.raw`")
}`;

const ENV_FIX = String.raw`if ($desired -eq '') { Remove-ItemProperty -LiteralPath $NovaParametersKey -Name 'AppEnvironmentExtra' -ErrorAction SilentlyContinue }
else { Set-ItemProperty -LiteralPath $NovaParametersKey -Name 'AppEnvironmentExtra' -Type MultiString -Value ([string[]]$desired.Split([char]10)) }`;

/**
 * The non-secret part of the service's environment, in order: PYTHONUTF8=1 (Python under NSSM otherwise
 * writes its redirected output in the ANSI code page and fails on the first character outside it), then
 * `nova:serviceEnv` sorted by name.
 */
export function serviceEnvironment(cfg: NovaConfig): string[] {
    const extra = Object.entries(cfg.serviceEnv).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return ["PYTHONUTF8=1", ...extra.map(([k, v]) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || /[\r\n]/.test(v)) throw new Error(`invalid service environment entry: ${k}`);
        return `${k}=${v}`;
    })];
}

/**
 * AppEnvironmentExtra: the non-secret lines, then the secrets (sorted by name) read from `$NovaSecrets`.
 * NSSM expands `%VAR%` in these values, and there is no escape: a secret holding `%` is refused (config
 * validation refuses it first; the script re-checks without printing the value).
 */
function secretEnvExpression(cfg: NovaConfig): string {
    for (const key of cfg.appSecretEnvKeys) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`invalid secret environment name: ${key}`);
    }
    const names = [...cfg.appSecretEnvKeys].sort();
    return [
        "& {",
        `  $lines = @(${psArray(serviceEnvironment(cfg))})`,
        `  $lines += foreach ($key in ${psArray(names)}) {`,
        `    $value = Get-NovaSecret (${psQuote(appSecretName(""))} + $key)`,
        "    if ($value.Contains([string][char]10) -or $value.Contains([string][char]13)) { throw ('secret ' + $key + ' contains a line break') }",
        "    if ($value.Contains('%')) { throw ('secret ' + $key + ' contains %, which NSSM would expand') }",
        "    $key + '=' + $value",
        "  }",
        "  return (@($lines) -join [string][char]10)",
        "}",
    ].join("\n");
}

export function serviceChecks(cfg: NovaConfig, cloudflare?: CloudflareRanges): Check[] {
    const install: Check = {
        item: "installed",
        desired: "'installed'",
        actual: "& { if (Test-NovaService) { 'installed' } else { 'missing' } }",
        fix: `Invoke-NovaNative $NovaNssm @('install', $NovaService, ${psQuote(cfg.service.pythonExe)}) | Out-Null`,
    };
    const params: Check[] = nssmParameters(cfg).map(([name, value, sub]) => ({
        item: sub ? `${name} ${sub}` : name,
        desired: psQuote(value),
        actual: `(Get-NovaNssm ${psQuote(name)} ${psQuote(sub ?? "")})`,
        fix: `Set-NovaNssm ${psQuote(name)} ${psArray(sub ? [sub, value] : [value])}`,
    }));
    const expandString = (name: string, value: string): Check => ({
        item: name,
        desired: psQuote(value),
        actual: `(Get-NovaParameter ${psQuote(name)})`,
        fix: `Set-ItemProperty -LiteralPath $NovaParametersKey -Name ${psQuote(name)} -Type ExpandString -Value $desired`,
    });
    const registry: Check[] = [
        expandString("AppParameters", appParameters(cfg, cloudflare)),
        // NSSM keeps AppEnvironmentExtra (the secrets) in this key, readable by local users by default:
        // narrowed before the secrets are written, so a failure in between leaves no readable secret.
        // nssm.exe runs as the service's account and reads this key: a virtual account is given read.
        aclCheck("parameters-acl", "$NovaParametersKey", "registry", serviceReaderSids(cfg.service)),
        {
            item: "AppEnvironmentExtra",
            desired: secretEnvExpression(cfg),
            actual: "(Get-NovaParameter 'AppEnvironmentExtra')",
            fix: ENV_FIX,
            secret: true,
        },
    ];
    const running: Check = {
        item: "running",
        desired: "'Running'",
        actual: "& { $s = Get-Service -Name $NovaService -ErrorAction SilentlyContinue; if ($null -eq $s) { 'missing' } else { [string]$s.Status } }",
        auditOnly: true,
    };
    // The guide's service runs C:\nssm\win64\nssm.exe (stable 2.24, which leaves services paused on
    // Server 2019); NSSM's parameters alone would keep it. Win32_Service.Change is what the SCM reads
    // (an ImagePath edited in the registry is seen only after a reboot) and needs no native quoting.
    const imagePath: Check = {
        item: "guide:image-path",
        desired: "$NovaNssm",
        actual: "(Get-NovaImagePath)",
        ok: "([string]$actual -ieq [string]$desired)",
        fix: "Set-NovaServiceConfig @{ PathName = ('\"' + $desired + '\"') }",
    };
    const account: Check = {
        item: "account",
        desired: psQuote(serviceAccountName(cfg.service)),
        actual: "(Get-NovaServiceKey 'ObjectName')",
        ok: "([string]$actual -ieq [string]$desired)",
        // No StartPassword: NULL, which a virtual account needs (ChangeServiceConfigW: lpPassword must be NULL).
        fix: "Set-NovaServiceConfig @{ StartName = $desired }",
    };
    const logs = psQuote(cfg.service.logDirectory);
    const logDirectory: Check = {
        item: "log-directory",
        desired: "'present'",
        actual: `& { if (Test-Path -LiteralPath ${logs} -PathType Container) { 'present' } else { 'missing' } }`,
        fix: `New-Item -ItemType Directory -Force -Path ${logs} | Out-Null`,
    };
    const paths = nssmPathParameters(cfg).map(([name, value]) => expandString(name, value));
    return [logDirectory, install, imagePath, account, ...grantChecks(cfg), ...paths, ...params, ...registry, ...machineEnvCheck(cfg), running, ...guideLeftoverChecks(cfg)];
}

// A change restarts the service (Paused and pending states included); an unchanged stopped or paused
// service is started again.
const FINISH = String.raw`$NovaRestart = Restart-NovaService $NovaService ($NovaChanged.Count -gt 0) -StartStopped
if (@('restarted', 'started') -contains $NovaRestart) { Add-NovaChange $NovaRestart }`;

const DELETE = String.raw`if ($null -ne (Get-Service -Name $NovaService -ErrorAction SilentlyContinue)) {
  Stop-Service -Name $NovaService -Force -ErrorAction SilentlyContinue
  if (Test-Path -LiteralPath $NovaNssm -PathType Leaf) { Invoke-NovaNative $NovaNssm @('remove', $NovaService, 'confirm') | Out-Null }
  else { Invoke-NovaNative 'sc.exe' @('delete', $NovaService) | Out-Null }
  Add-NovaChange 'removed'
}
Restore-NovaFolderAcls 'service'`;

export function renderService(cfg: NovaConfig, _host: HostConfig, cloudflare?: CloudflareRanges): StepScripts {
    const vars = [
        `$NovaNssm = ${PS_NSSM_EXE}`,
        `$NovaService = ${psQuote(cfg.service.name)}`,
        `$NovaParametersKey = ${psQuote(nssmParametersKey(cfg.service))}`,
        `$NovaServiceKey = ${psQuote(serviceKey(cfg.service))}`,
    ].join("\n");
    const setup = [vars, SETUP, ACL_FUNCTIONS, SERVICE_CONTROL_FUNCTIONS, FOLDER_FUNCTIONS].join("\n");
    return renderStep("service", { setup: `${setup}\n${RESTORE_FUNCTIONS}`, checks: serviceChecks(cfg, cloudflare), finish: FINISH }, `${vars}\n${RESTORE_FUNCTIONS}\n${DELETE}`);
}
