/** Where things live on a host: pure functions of the configuration, shared by the steps. */
import type { ServiceConfig } from "../types";

/** Our install root, as a PowerShell expression (constant text). */
export const PS_INSTALL_ROOT = "(Join-Path $env:ProgramFiles 'nova-infra')";
export const PS_NSSM_DIR = "(Join-Path $env:ProgramFiles 'nova-infra\\nssm')";
export const PS_NSSM_EXE = "(Join-Path $env:ProgramFiles 'nova-infra\\nssm\\nssm.exe')";
export const PS_CLOUDFLARED_DIR = "(Join-Path $env:ProgramFiles 'nova-infra\\cloudflared')";
export const PS_CLOUDFLARED_EXE = "(Join-Path $env:ProgramFiles 'nova-infra\\cloudflared\\cloudflared.exe')";

/** Name of the service `cloudflared service install` creates. */
export const CLOUDFLARED_SERVICE = "Cloudflared";

function isAbsoluteWindowsPath(path: string): boolean {
    return /^[A-Za-z]:\\/.test(path) || path.startsWith("\\\\");
}

function join(dir: string, name: string): string {
    return dir.endsWith("\\") ? `${dir}${name}` : `${dir}\\${name}`;
}

/** The entry point as an absolute path (relative ones are under appDirectory). */
export function entryPointPath(service: ServiceConfig): string {
    return isAbsoluteWindowsPath(service.entryPoint) ? service.entryPoint : join(service.appDirectory, service.entryPoint);
}

export function dotenvPath(service: ServiceConfig): string {
    return join(service.appDirectory, ".env");
}

export function stdoutLogPath(service: ServiceConfig): string {
    return join(service.logDirectory, "service.log");
}

export function stderrLogPath(service: ServiceConfig): string {
    return join(service.logDirectory, "service-error.log");
}

/** Registry key of the service (ImagePath, ObjectName). */
export function serviceKey(service: ServiceConfig): string {
    return `HKLM:\\SYSTEM\\CurrentControlSet\\Services\\${service.name}`;
}

/** Registry key of the service's NSSM parameters. */
export function nssmParametersKey(service: ServiceConfig): string {
    return `HKLM:\\SYSTEM\\CurrentControlSet\\Services\\${service.name}\\Parameters`;
}
