/**
 * Runs a stdin document (`hostStdin` of components/host/bootstrap.ts, packed) on a Windows host over
 * WinRM, for `local.Command`:
 *   ts-node --transpile-only scripts/winrmRun.ts < packed document
 *   ts-node --transpile-only scripts/winrmRun.ts --delete < packed document
 *   ts-node --transpile-only scripts/winrmRun.ts --script-b64 <base64 of a plain document>
 * The document comes on stdin, packed (or plain, as states written before the packing hold it); the host
 * is always sent it packed. `--delete` (delete commands: pulumi-command gives a delete the stdin of
 * the last create, which carries the step's delete script) sends the host only the delete script of it,
 * without the secrets. `--script-b64` (the delete commands of older states) runs the document it gives
 * and ignores stdin entirely.
 * Connection: NOVA_WINRM_HOST, NOVA_WINRM_PORT, NOVA_WINRM_USER, NOVA_WINRM_PASSWORD,
 * NOVA_WINRM_ALLOW_HTTP ("true" | "false", default false), NOVA_WINRM_AUTH ("negotiate" | "basic",
 * default negotiate), NOVA_WINRM_CA_FILE (PEM, optional),
 * NOVA_WINRM_TIMEOUT_MS (optional, default 30 minutes), NOVA_WINRM_STEP and NOVA_WINRM_HOST_NAME (optional:
 * the step and host a timeout's error names, with the bound as nova:stepTimeoutSeconds).
 * Writes the remote stdout and stderr through and exits with the remote exit code; exits 1 with one
 * line on stderr when the settings are wrong or the host cannot be reached, refuses the credentials or
 * the certificate, or does not finish in time.
 */
import * as fs from "fs";
import { buildStdin, packStdin, splitStdin, stdinDocument } from "../components/host/bootstrap";
import { stepTimeoutMessage } from "../components/host/stepBound";
import { DELETE_OPTION, SCRIPT_B64_OPTION } from "../components/host/winrmRunner";
import { RemoteUnavailableError, type WinrmTarget } from "./shared/remote/types";
import { runWinrm } from "./shared/remote/winrm";
import { processIo, runCli } from "./shared/cli/cli";

export const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
/** Exit code when the command could not run at all. */
export const EXIT_CANNOT_RUN = 1;

export interface WinrmRunIo {
    /** The whole of standard input. */
    readonly readStdin: () => Promise<string>;
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
    /** Reads the CA file (tests may replace it). */
    readonly readFile?: (path: string) => string;
}

export interface WinrmRunSettings {
    readonly target: WinrmTarget;
    readonly timeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
    const v = env[name];
    if (v === undefined || v.trim() === "") throw new Error(`${name} is not set`);
    return v;
}

function integer(env: Env, name: string, min: number, max: number, fallback?: number): number {
    const raw = env[name];
    if ((raw === undefined || raw === "") && fallback !== undefined) return fallback;
    const text = required(env, name);
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return Number(text);
}

/** Reads and checks the connection settings; errors name the variable (never echo the password). */
export function settingsFromEnv(env: Env, readFile: (path: string) => string): WinrmRunSettings {
    const host = required(env, "NOVA_WINRM_HOST").trim();
    if (/[\s/]/.test(host)) throw new Error(`NOVA_WINRM_HOST must be a host name or address, got ${JSON.stringify(host)}`);
    const port = integer(env, "NOVA_WINRM_PORT", 1, 65535);
    const user = required(env, "NOVA_WINRM_USER");
    if (user.includes(":")) throw new Error("NOVA_WINRM_USER must not contain ':' (Basic authentication)");
    const password = env.NOVA_WINRM_PASSWORD;
    if (password === undefined || password === "") throw new Error("NOVA_WINRM_PASSWORD is not set");
    const allowRaw = env.NOVA_WINRM_ALLOW_HTTP ?? "false";
    if (allowRaw !== "true" && allowRaw !== "false") throw new Error(`NOVA_WINRM_ALLOW_HTTP must be "true" or "false", got ${JSON.stringify(allowRaw)}`);
    const allowHttp = allowRaw === "true";
    const caFile = env.NOVA_WINRM_CA_FILE;
    let caPem: string | undefined;
    if (caFile !== undefined && caFile !== "") {
        if (allowHttp) throw new Error("NOVA_WINRM_CA_FILE applies to HTTPS only: unset it or set NOVA_WINRM_ALLOW_HTTP=false");
        try {
            caPem = readFile(caFile);
        } catch (err) {
            throw new Error(`NOVA_WINRM_CA_FILE: cannot read ${caFile} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
        }
        if (!caPem.includes("-----BEGIN CERTIFICATE-----")) throw new Error(`NOVA_WINRM_CA_FILE: ${caFile} holds no PEM certificate`);
    }
    const auth = env.NOVA_WINRM_AUTH === undefined || env.NOVA_WINRM_AUTH === "" ? "negotiate" : env.NOVA_WINRM_AUTH;
    if (auth !== "negotiate" && auth !== "basic") throw new Error(`NOVA_WINRM_AUTH must be "negotiate" or "basic", got ${JSON.stringify(auth)}`);
    const timeoutMs = integer(env, "NOVA_WINRM_TIMEOUT_MS", 1, 24 * 60 * 60 * 1000, DEFAULT_TIMEOUT_MS);
    return {
        target: { transport: "winrm", host, port, user, password, auth, allowHttp, ...(caPem !== undefined ? { caPem } : {}) },
        timeoutMs,
    };
}


/** The document given with `--script-b64`, undefined without arguments; throws on anything else. */
export function documentFromArgs(argv: readonly string[]): string | undefined {
    if (argv.length === 0 || (argv.length === 1 && argv[0] === DELETE_OPTION)) return undefined;
    if (argv.length !== 2 || argv[0] !== SCRIPT_B64_OPTION) {
        throw new Error(`takes no arguments but ${DELETE_OPTION} or ${SCRIPT_B64_OPTION} <base64> (settings come from NOVA_WINRM_* variables), got ${JSON.stringify(argv.join(" "))}`);
    }
    const b64 = argv[1];
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) throw new Error(`${SCRIPT_B64_OPTION} is not valid base64`);
    const bytes = Buffer.from(b64, "base64");
    const text = bytes.toString("utf8");
    if (!Buffer.from(text, "utf8").equals(bytes)) throw new Error(`${SCRIPT_B64_OPTION} does not decode to UTF-8 text`);
    if (text === "") throw new Error(`${SCRIPT_B64_OPTION} decodes to an empty script`);
    return text;
}

/** What `--delete` sends the host (packed): the delete script of the stdin document, without its secrets. */
export function deleteDocument(stdin: string): string {
    const script = splitStdin(stdin).delete;
    if (script === undefined) throw new Error(`${DELETE_OPTION}: the stdin document has no delete script`);
    return buildStdin(script);
}

/** A process exit status for a Windows exit code (0..255 as is, anything else 1). */
export function localExitCode(remote: number): number {
    return Number.isInteger(remote) && remote >= 0 && remote <= 255 ? remote : 1;
}

/** Runs the command; resolves with the process exit code. */
export async function main(argv: readonly string[], env: Env, io: WinrmRunIo): Promise<number> {
    let settings: WinrmRunSettings;
    let document: string;
    try {
        const fromArgs = documentFromArgs(argv);
        settings = settingsFromEnv(env, io.readFile ?? ((p) => fs.readFileSync(p, "utf8")));
        document = fromArgs ?? (await io.readStdin());
        if (document === "") throw new Error(`no script: standard input is empty and ${SCRIPT_B64_OPTION} is not given`);
        document = stdinDocument(document);
        if (argv[0] === DELETE_OPTION) document = deleteDocument(document);
    } catch (err) {
        io.stderr(`winrmRun: ${(err as Error).message}\n`);
        return EXIT_CANNOT_RUN;
    }
    let result;
    try {
        result = await runWinrm(settings.target, packStdin(document), settings.timeoutMs);
    } catch (err) {
        const reason = err instanceof RemoteUnavailableError ? ` [${err.reason}]` : "";
        const step = env.NOVA_WINRM_STEP, host = env.NOVA_WINRM_HOST_NAME;
        if (err instanceof RemoteUnavailableError && err.reason === "timeout" && step && host) {
            io.stderr(`winrmRun: ${stepTimeoutMessage({ step, host, seconds: settings.timeoutMs / 1000 })} (${err.message})\n`);
            return EXIT_CANNOT_RUN;
        }
        io.stderr(`winrmRun: ${(err as Error).message}${reason}\n`);
        return EXIT_CANNOT_RUN;
    }
    io.stdout(result.stdout);
    io.stderr(result.stderr);
    const code = localExitCode(result.exitCode);
    if (code !== result.exitCode) io.stderr(`winrmRun: the remote command exited with ${result.exitCode}\n`);
    return code;
}

function readAll(stream: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<string> {
    if (stream.isTTY === true) return Promise.resolve("");
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer | string) => chunks.push(typeof c === "string" ? Buffer.from(c, "utf8") : c));
        stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        stream.on("error", reject);
    });
}

if (require.main === module) {
    runCli("winrmRun", () => main(process.argv.slice(2), process.env, { readStdin: () => readAll(process.stdin), ...processIo }), EXIT_CANNOT_RUN);
}
