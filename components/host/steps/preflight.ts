/**
 * Preflight: the host can run the backend. Windows build >= 17763 (Server 2019), the python executable,
 * the app directory and the entry point exist, the port is free or held by our own service, and the app,
 * venv and log directories are not writable by non-administrators (see grants.ts). Changes nothing
 * (but those folders' ACLs with `nova:fixFolderAcls`); the create script fails with one message naming
 * every unmet requirement.
 */
import { psInt, psQuote } from "../../powershell";
import type { HostConfig, NovaConfig } from "../../types";
import { entryPointPath } from "../paths";
import { type Check, type StepScripts, renderStep } from "../script";
import { ACL_FUNCTIONS } from "./acl";
import { FOLDER_FUNCTIONS, writableChecks } from "./grants";
import { RESTORE_FUNCTIONS } from "./restore";

export const MIN_WINDOWS_BUILD = 17763;

function pathCheck(item: string, path: string, kind: "Leaf" | "Container"): Check {
    const quoted = psQuote(path);
    return {
        item,
        desired: quoted,
        actual: `& { if (Test-Path -LiteralPath ${quoted} -PathType ${kind}) { ${quoted} } else { 'missing' } }`,
    };
}

/** How many ancestors of the listening process are looked at for a service. */
export const PORT_OWNER_DEPTH = 4;

/**
 * Who listens on the port: `free`, `service:<name>` (the process or one of its first ancestors is a
 * service), or `process:<name>`. Ancestors matter: under NSSM the service process is nssm.exe, which
 * starts the venv's python.exe, which on Windows (Python >= 3.7.2) is a launcher that starts the base
 * interpreter as its own child, and that child is the one listening. An ancestor is followed only if it
 * started before its child (a parent id may have been reused by an unrelated later process).
 */
function portOwner(port: number): string {
    return [
        "& {",
        `  $listener = Get-NetTCPConnection -State Listen -LocalPort ${psInt(port)} -ErrorAction SilentlyContinue | Select-Object -First 1`,
        "  if ($null -eq $listener) { return 'free' }",
        "  $ownerId = [int]$listener.OwningProcess",
        "  $owner = Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId = ' + $ownerId)",
        "  $process = $owner",
        "  $id = $ownerId",
        `  for ($depth = 0; $depth -le ${psInt(PORT_OWNER_DEPTH)}; $depth++) {`,
        "    $service = Get-CimInstance -ClassName Win32_Service -Filter ('ProcessId = ' + $id) | Select-Object -First 1",
        "    if ($null -ne $service) { return ('service:' + $service.Name) }",
        "    if ($null -eq $process -or [int]$process.ParentProcessId -le 4) { break }",
        "    $parent = Get-CimInstance -ClassName Win32_Process -Filter ('ProcessId = ' + [int]$process.ParentProcessId)",
        "    if ($null -eq $parent -or $parent.CreationDate -gt $process.CreationDate) { break }",
        "    $process = $parent",
        "    $id = [int]$parent.ProcessId",
        "  }",
        "  if ($null -ne $owner) { return ('process:' + $owner.Name) }",
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

/** Delete: the folders `nova:fixFolderAcls` narrowed get their recorded DACL back (restore.ts). */
export function renderPreflight(cfg: NovaConfig, _host: HostConfig): StepScripts {
    const setup = [FOLDER_FUNCTIONS, ACL_FUNCTIONS, RESTORE_FUNCTIONS].join("\n");
    return renderStep("preflight", { setup, checks: [...preflightChecks(cfg), ...writableChecks(cfg)] }, `${RESTORE_FUNCTIONS}\nRestore-NovaFolderAcls 'preflight'`);
}
