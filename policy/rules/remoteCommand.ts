/**
 * Remote commands. Each `command:remote:Command` pins the host's SSH key (`connection.hostKey`;
 * without it @pulumi/command does not check the host key at all), and a command that receives secrets
 * does not stream its stderr to the Pulumi log.
 *
 * Which stream is secret-bearing follows the step scripts' contract (components/host/script.ts and
 * STEP_LOGGING in components/host/commands.ts): stdout is one JSON line of changed item names, never
 * values; stderr carries PowerShell exception text, which can quote the value of the statement that
 * failed. So such a command logs "stdout" or "none"; "stderr", "stdoutAndStderr" and the default (both)
 * are violations.
 *
 * How secret-ness is seen: @pulumi/policy hands validations plain JSON with secrets already unwrapped
 * (its deserializer only keeps a `Secret` wrapper for remediations), so `stdin` being a secret is not
 * visible here. What is visible is our stdin format (components/host/bootstrap.ts `buildStdin`, packed
 * by `packStdin`, which `stdinDocument` reverses): a
 * script that receives secrets carries them after the line `SECRETS_SEPARATOR`. A command whose stdin
 * holds that line must set `logging` to "stdout" or "none".
 * A secret stdin without that line (not produced by this program) is not recognised.
 */
import { SECRETS_SEPARATOR, stdinDocument } from "../../components/host/bootstrap";
import { isCommand, type Props, REMOTE_COMMAND, stringProp } from "./types";

/** `logging` values that keep stderr (exception text) out of the engine's logs. */
export const SECRET_SAFE_LOGGING: readonly string[] = ["stdout", "none"];

/** An OpenSSH public key line: key type, then base64. */
const HOST_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,2}( .*)?$/;

/** Violations of "every remote command pins the host key". */
export function hostKeyViolations(type: string, props: Props): string[] {
    if (type !== REMOTE_COMMAND) return [];
    const connection = props.connection;
    const hostKey = connection && typeof connection === "object" ? (connection as Props).hostKey : undefined;
    if (typeof hostKey !== "string" || hostKey.trim() === "") {
        return ["remote command without connection.hostKey: the host key would not be checked"];
    }
    return HOST_KEY.test(hostKey.trim()) ? [] : ["connection.hostKey is not an OpenSSH public key line (type and base64)"];
}

/** True when the stdin document carries secrets (holds the separator line). */
export function stdinCarriesSecrets(stdin: string | undefined): boolean {
    return stdin !== undefined && stdinDocument(stdin).replace(/\r\n/g, "\n").split("\n").includes(SECRETS_SEPARATOR);
}

/** Violations of "a command that receives secrets does not log its stderr". */
export function secretLoggingViolations(type: string, props: Props): string[] {
    if (!isCommand(type) || !stdinCarriesSecrets(stringProp(props, "stdin"))) return [];
    const logging = stringProp(props, "logging") ?? "stdoutAndStderr";
    return SECRET_SAFE_LOGGING.includes(logging)
        ? []
        : [`command receives secrets on stdin but logging is "${logging}": set logging to "stdout" or "none"`];
}
