"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.appSecretName = appSecretName;
exports.nssmParameters = nssmParameters;
exports.appParameters = appParameters;
exports.serviceChecks = serviceChecks;
exports.renderService = renderService;
/**
 * The backend's Windows service, run by NSSM. Installed if missing; then each parameter is read back
 * (`nssm get`) and set (`nssm set`) only when it differs. AppParameters and AppEnvironmentExtra are read
 * and written in the service's registry Parameters key directly (where NSSM keeps them): PowerShell 5.1
 * mangles embedded double quotes in native arguments, and the secret environment must not appear on a
 * process command line. The secret values come from `$NovaSecrets` (`env:<NAME>`) at run time, never
 * from the script text. The service restarts only when something changed, and starts when stopped.
 * Delete stops the service and runs `nssm remove <svc> confirm`.
 */
const powershell_1 = require("../../powershell");
const paths_1 = require("../paths");
const script_1 = require("../script");
const acl_1 = require("./acl");
/** Key of an app secret in the secrets document. */
function appSecretName(key) {
    return `env:${key}`;
}
/** NSSM parameters set with `nssm set`, in order: [parameter, value, sub-parameter?]. */
function nssmParameters(cfg) {
    const svc = cfg.service;
    return [
        ["Application", svc.pythonExe],
        ["AppDirectory", svc.appDirectory],
        ["AppStdout", (0, paths_1.stdoutLogPath)(svc)],
        ["AppStderr", (0, paths_1.stderrLogPath)(svc)],
        ["AppRotateFiles", "1"],
        ["AppRotateOnline", "1"],
        ["AppRotateBytes", "10485760"],
        ["Start", "SERVICE_AUTO_START"],
        ["AppExit", "Restart", "Default"],
        ["AppRestartDelay", "5000"],
        ["AppStopMethodConsole", "15000"],
    ];
}
/** AppParameters: the entry point, double-quoted when it contains whitespace. */
function appParameters(cfg) {
    const entry = cfg.service.entryPoint;
    if (entry.includes('"'))
        throw new Error("service.entryPoint may not contain a double quote");
    return /\s/.test(entry) ? `"${entry}"` : entry;
}
const SETUP = String.raw `function Test-NovaService { return ($null -ne (Get-Service -Name $NovaService -ErrorAction SilentlyContinue)) }
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
function Get-NovaParameter([string]$Name) {
  $item = Get-ItemProperty -LiteralPath $NovaParametersKey -Name $Name -ErrorAction SilentlyContinue
  if ($null -eq $item) { return '' }
  return ((@($item.$Name) | ForEach-Object { [string]$_ }) -join "` + "`n" + String.raw `")
}`;
const ENV_FIX = String.raw `if ($desired -eq '') { Remove-ItemProperty -LiteralPath $NovaParametersKey -Name 'AppEnvironmentExtra' -ErrorAction SilentlyContinue }
else { Set-ItemProperty -LiteralPath $NovaParametersKey -Name 'AppEnvironmentExtra' -Type MultiString -Value ([string[]]$desired.Split([char]10)) }`;
function secretEnvExpression(cfg) {
    for (const key of cfg.appSecretEnvKeys) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
            throw new Error(`invalid secret environment name: ${key}`);
    }
    const names = [...cfg.appSecretEnvKeys].sort();
    return [
        "& {",
        `  $lines = foreach ($key in ${(0, powershell_1.psArray)(names)}) {`,
        `    $value = Get-NovaSecret (${(0, powershell_1.psQuote)(appSecretName(""))} + $key)`,
        "    if ($value.Contains([string][char]10) -or $value.Contains([string][char]13)) { throw ('secret ' + $key + ' contains a line break') }",
        "    $key + '=' + $value",
        "  }",
        "  return (@($lines) -join [string][char]10)",
        "}",
    ].join("\n");
}
function serviceChecks(cfg) {
    const install = {
        item: "installed",
        desired: "'installed'",
        actual: "& { if (Test-NovaService) { 'installed' } else { 'missing' } }",
        fix: `Invoke-NovaNative $NovaNssm @('install', $NovaService, ${(0, powershell_1.psQuote)(cfg.service.pythonExe)}) | Out-Null`,
    };
    const params = nssmParameters(cfg).map(([name, value, sub]) => ({
        item: sub ? `${name} ${sub}` : name,
        desired: (0, powershell_1.psQuote)(value),
        actual: `(Get-NovaNssm ${(0, powershell_1.psQuote)(name)} ${(0, powershell_1.psQuote)(sub ?? "")})`,
        fix: `Set-NovaNssm ${(0, powershell_1.psQuote)(name)} ${(0, powershell_1.psArray)(sub ? [sub, value] : [value])}`,
    }));
    const registry = [
        {
            item: "AppParameters",
            desired: (0, powershell_1.psQuote)(appParameters(cfg)),
            actual: "(Get-NovaParameter 'AppParameters')",
            fix: "Set-ItemProperty -LiteralPath $NovaParametersKey -Name 'AppParameters' -Type ExpandString -Value $desired",
        },
        {
            item: "AppEnvironmentExtra",
            desired: secretEnvExpression(cfg),
            actual: "(Get-NovaParameter 'AppEnvironmentExtra')",
            fix: ENV_FIX,
            secret: true,
        },
        // NSSM keeps AppEnvironmentExtra (the secrets) in this key, readable by local users by default.
        (0, acl_1.aclCheck)("parameters-acl", "$NovaParametersKey", "registry"),
    ];
    const running = {
        item: "running",
        desired: "'Running'",
        actual: "& { $s = Get-Service -Name $NovaService -ErrorAction SilentlyContinue; if ($null -eq $s) { 'missing' } else { [string]$s.Status } }",
        auditOnly: true,
    };
    const logs = (0, powershell_1.psQuote)(cfg.service.logDirectory);
    const logDirectory = {
        item: "log-directory",
        desired: "'present'",
        actual: `& { if (Test-Path -LiteralPath ${logs} -PathType Container) { 'present' } else { 'missing' } }`,
        fix: `New-Item -ItemType Directory -Force -Path ${logs} | Out-Null`,
    };
    return [logDirectory, install, ...params, ...registry, running];
}
const FINISH = String.raw `$service = Get-Service -Name $NovaService
if (($NovaChanged.Count -gt 0) -and ($service.Status -eq 'Running')) { Restart-Service -Name $NovaService -Force; Add-NovaChange 'restarted' }
elseif ($service.Status -ne 'Running') { Start-Service -Name $NovaService; Add-NovaChange 'started' }`;
const DELETE = String.raw `if ($null -ne (Get-Service -Name $NovaService -ErrorAction SilentlyContinue)) {
  Stop-Service -Name $NovaService -Force -ErrorAction SilentlyContinue
  if (Test-Path -LiteralPath $NovaNssm -PathType Leaf) { Invoke-NovaNative $NovaNssm @('remove', $NovaService, 'confirm') | Out-Null }
  else { Invoke-NovaNative 'sc.exe' @('delete', $NovaService) | Out-Null }
  Add-NovaChange 'removed'
}`;
function renderService(cfg, _host) {
    const vars = [
        `$NovaNssm = ${paths_1.PS_NSSM_EXE}`,
        `$NovaService = ${(0, powershell_1.psQuote)(cfg.service.name)}`,
        `$NovaParametersKey = ${(0, powershell_1.psQuote)((0, paths_1.nssmParametersKey)(cfg.service))}`,
    ].join("\n");
    return (0, script_1.renderStep)("service", { setup: `${vars}\n${SETUP}\n${acl_1.ACL_FUNCTIONS}`, checks: serviceChecks(cfg), finish: FINISH }, `${vars}\n${DELETE}`);
}
