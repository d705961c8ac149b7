/**
 * Preflight: the host can run the backend. Windows build >= 17763 (Server 2019), the python executable,
 * the app directory and the entry point exist, and the port is free or held by our own service.
 * Changes nothing; the create script fails with one message naming every unmet requirement.
 */
import { psInt, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { entryPointPath } from "../paths";
import { type Check, type StepScripts, renderStep } from "../script";

export const MIN_WINDOWS_BUILD = 17763;

function pathCheck(item: string, path: string, kind: "Leaf" | "Container"): Check {
    const quoted = psQuote(path);
    return {
        item,
        desired: quoted,
        actual: `& { if (Test-Path -LiteralPath ${quoted} -PathType ${kind}) { ${quoted} } else { 'missing' } }`,
    };
}

/** Who listens on the port: `free`, `service:<name>` (the process or its parent is a service), or `process:<name>`. */
function portOwner(port: number): string {
    return [
        "& {",
        `  $listener = Get-NetTCPConnection -State Listen -LocalPort ${psInt(port)} -ErrorAction SilentlyContinue | Select-Object -First 1`,
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

export function preflightChecks(cfg: NovaConfig): Check[] {
    const svc = cfg.service;
    return [
        {
            item: "windows-build",
            desired: psQuote(`>= ${MIN_WINDOWS_BUILD}`),
            actual: "[string](Get-ItemProperty -LiteralPath 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion').CurrentBuildNumber",
            ok: `([int]$actual -ge ${psInt(MIN_WINDOWS_BUILD)})`,
        },
        pathCheck("python-exe", svc.pythonExe, "Leaf"),
        pathCheck("app-directory", svc.appDirectory, "Container"),
        pathCheck("entry-point", entryPointPath(svc), "Leaf"),
        {
            item: "port",
            desired: psQuote(`free or service:${svc.name}`),
            actual: portOwner(cfg.appPort),
            ok: `(@('free', ${psQuote(`service:${svc.name}`)}) -contains $actual)`,
        },
    ];
}

export function renderPreflight(cfg: NovaConfig, _host: HostConfig): StepScripts {
    return renderStep("preflight", { checks: preflightChecks(cfg) });
}
