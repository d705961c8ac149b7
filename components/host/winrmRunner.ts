/**
 * How a `command.local.Command` reaches a WinRM host: it runs the WinRM runner CLI (scripts/winrmRun.ts)
 * through ts-node, by absolute paths computed from the project root, so `pulumi up` works from any
 * directory. The runner reads the stdin document on stdin and its connection from NOVA_WINRM_*
 * environment variables (the password among them: a local process environment, which is fine; it is
 * the remote environment that Windows sshd refuses), passes the remote stdout/stderr through and exits
 * with the remote exit code (1 when the host cannot be reached).
 *
 * Delete: the provider runs a delete with the stdin stored by the last create/update, which carries the
 * step's delete script (commands.ts, stepStdin). The delete command line is the runner with `--delete`:
 * it sends the host only that delete script, without the secrets. (`--script-b64 <base64 document>`,
 * which carried the delete script on the command line before, is still run for older states.)
 */
import { resolve } from "node:path";
import type { HostConfig } from "../types";
import type { StepScripts } from "./script";
import type { StepCommandLines } from "./commands";

/** The project root (where package.json and node_modules are). */
export const PROJECT_ROOT = resolve(__dirname, "..", "..");

/** The runner's option that replaces stdin by a base64 stdin document. */
export const SCRIPT_B64_OPTION = "--script-b64";
/** The runner's option that runs the delete script of the stdin document. */
export const DELETE_OPTION = "--delete";

/** Characters that sh or cmd.exe would interpret even inside double quotes. */
const UNSAFE_IN_QUOTES = /["$`\\%!\r\n]/;

function quoted(path: string): string {
    // A Windows project path has backslashes: sh leaves "\" alone before letters, cmd.exe never escapes.
    const checked = process.platform === "win32" ? path.replace(/\\/g, "/") : path;
    if (UNSAFE_IN_QUOTES.test(checked)) throw new Error(`path ${JSON.stringify(path)} has a character the command shell would interpret`);
    return `"${path}"`;
}

/** The command line that starts the runner: `node <ts-node bin> --transpile-only <winrmRun.ts>`, absolute paths. */
export function winrmRunnerCommand(root: string = PROJECT_ROOT): string {
    const tsNode = resolve(root, "node_modules", "ts-node", "dist", "bin.js");
    const runner = resolve(root, "scripts", "winrmRun.ts");
    return `node ${quoted(tsNode)} --transpile-only ${quoted(runner)}`;
}

/** Create, update (the runner with the stdin document) and delete (the runner with `--delete`). */
export function winrmCommandLines(scripts: StepScripts, root: string = PROJECT_ROOT): StepCommandLines {
    const run = winrmRunnerCommand(root);
    return scripts.delete === undefined ? { create: run, update: run } : { create: run, update: run, delete: `${run} ${DELETE_OPTION}` };
}

/**
 * The runner's connection settings, without the password (the caller adds the secret NOVA_WINRM_PASSWORD).
 * `timeoutSeconds` bounds the whole remote run; with `step`, the runner's error then names the step,
 * the host and the bound as the host's own watchdog does (NOVA_WINRM_STEP, NOVA_WINRM_HOST_NAME; stepBound.ts),
 * else it says "did not finish ... in time".
 */
export function winrmEnvironment(host: HostConfig, root: string = PROJECT_ROOT, timeoutSeconds?: number, step?: string): Record<string, string> {
    if (host.transport !== "winrm") throw new Error(`host ${host.name} is not a winrm host`);
    return {
        ...(timeoutSeconds !== undefined ? { NOVA_WINRM_TIMEOUT_MS: String(timeoutSeconds * 1000) } : {}),
        ...(step !== undefined ? { NOVA_WINRM_STEP: step, NOVA_WINRM_HOST_NAME: host.name } : {}),
        NOVA_WINRM_HOST: host.address,
        NOVA_WINRM_PORT: String(host.port),
        NOVA_WINRM_USER: host.user,
        NOVA_WINRM_ALLOW_HTTP: host.winrmAllowHttp ? "true" : "false",
        NOVA_WINRM_AUTH: host.winrmAuth ?? "negotiate",
        ...(host.winrmCaFile !== undefined ? { NOVA_WINRM_CA_FILE: resolve(root, host.winrmCaFile) } : {}),
    };
}
