"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIN_WINDOWS_BUILD = void 0;
exports.preflightChecks = preflightChecks;
exports.renderPreflight = renderPreflight;
/**
 * Preflight: the host can run the backend. Windows build >= 17763 (Server 2019), the python executable,
 * the app directory and the entry point exist, and the port is free or held by our own service.
 * Changes nothing; the create script fails with one message naming every unmet requirement.
 */
const powershell_1 = require("../../powershell");
const paths_1 = require("../paths");
const script_1 = require("../script");
exports.MIN_WINDOWS_BUILD = 17763;
function pathCheck(item, path, kind) {
    const quoted = (0, powershell_1.psQuote)(path);
    return {
        item,
        desired: quoted,
        actual: `& { if (Test-Path -LiteralPath ${quoted} -PathType ${kind}) { ${quoted} } else { 'missing' } }`,
    };
}
/** Who listens on the port: `free`, `service:<name>` (the process or its parent is a service), or `process:<name>`. */
function portOwner(port) {
    return [
        "& {",
        `  $listener = Get-NetTCPConnection -State Listen -LocalPort ${(0, powershell_1.psInt)(port)} -ErrorAction SilentlyContinue | Select-Object -First 1`,
        "  if ($null -eq $listener) { return 'free' }",
        "  $ownerId = [int]$listener.OwningProcess",
        "  $process = Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId = ' + $ownerId)",
        "  $ids = @($ownerId)",
        "  if ($null -ne $process) { $ids += [int]$process.ParentProcessId }",
        "  foreach ($id in $ids) {",
        "    $service = Get-CimInstance -ClassName Win32_Service -Filter ('ProcessId = ' + $id) | Select-Object -First 1",
        "    if ($null -ne $service) { return ('service:' + $service.Name) }",
        "  }",
        "  if ($null -ne $process) { return ('process:' + $process.Name) }",
        "  return ('process:' + $ownerId)",
        "}",
    ].join("\n");
}
function preflightChecks(cfg) {
    const svc = cfg.service;
    return [
        {
            item: "windows-build",
            desired: (0, powershell_1.psQuote)(`>= ${exports.MIN_WINDOWS_BUILD}`),
            actual: "[string](Get-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion').CurrentBuildNumber",
            ok: `([int]$actual -ge ${(0, powershell_1.psInt)(exports.MIN_WINDOWS_BUILD)})`,
        },
        pathCheck("python-exe", svc.pythonExe, "Leaf"),
        pathCheck("app-directory", svc.appDirectory, "Container"),
        pathCheck("entry-point", (0, paths_1.entryPointPath)(svc), "Leaf"),
        {
            item: "port",
            desired: (0, powershell_1.psQuote)(`free or service:${svc.name}`),
            actual: portOwner(cfg.appPort),
            ok: `(@('free', ${(0, powershell_1.psQuote)(`service:${svc.name}`)}) -contains $actual)`,
        },
    ];
}
function renderPreflight(cfg, _host) {
    return (0, script_1.renderStep)("preflight", { checks: preflightChecks(cfg) });
}
