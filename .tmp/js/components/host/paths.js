"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CLOUDFLARED_SERVICE = exports.PS_CLOUDFLARED_EXE = exports.PS_CLOUDFLARED_DIR = exports.PS_NSSM_EXE = exports.PS_NSSM_DIR = exports.PS_INSTALL_ROOT = void 0;
exports.entryPointPath = entryPointPath;
exports.dotenvPath = dotenvPath;
exports.stdoutLogPath = stdoutLogPath;
exports.stderrLogPath = stderrLogPath;
exports.nssmParametersKey = nssmParametersKey;
/** Our install root, as a PowerShell expression (constant text). */
exports.PS_INSTALL_ROOT = "(Join-Path $env:ProgramFiles 'nova-infra')";
exports.PS_NSSM_DIR = "(Join-Path $env:ProgramFiles 'nova-infra\\nssm')";
exports.PS_NSSM_EXE = "(Join-Path $env:ProgramFiles 'nova-infra\\nssm\\nssm.exe')";
exports.PS_CLOUDFLARED_DIR = "(Join-Path $env:ProgramFiles 'nova-infra\\cloudflared')";
exports.PS_CLOUDFLARED_EXE = "(Join-Path $env:ProgramFiles 'nova-infra\\cloudflared\\cloudflared.exe')";
/** Name of the service `cloudflared service install` creates. */
exports.CLOUDFLARED_SERVICE = "Cloudflared";
function isAbsoluteWindowsPath(path) {
    return /^[A-Za-z]:\\/.test(path) || path.startsWith("\\\\");
}
function join(dir, name) {
    return dir.endsWith("\\") ? `${dir}${name}` : `${dir}\\${name}`;
}
/** The entry point as an absolute path (relative ones are under appDirectory). */
function entryPointPath(service) {
    return isAbsoluteWindowsPath(service.entryPoint) ? service.entryPoint : join(service.appDirectory, service.entryPoint);
}
function dotenvPath(service) {
    return join(service.appDirectory, ".env");
}
function stdoutLogPath(service) {
    return join(service.logDirectory, "service.log");
}
function stderrLogPath(service) {
    return join(service.logDirectory, "service-error.log");
}
/** Registry key of the service's NSSM parameters. */
function nssmParametersKey(service) {
    return `HKLM:\\SYSTEM\\CurrentControlSet\\Services\\${service.name}\\Parameters`;
}
