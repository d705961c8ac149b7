/**
 * Runs the fixed bootstrap (`bootstrapCommand()`) on a Windows host over WinRM and feeds it the stdin
 * document, exactly as the SSH runner does: a cmd shell, one command, stdin sent as a pipe and closed
 * (Send with End="true"), output received until the command is Done, then the shell is deleted.
 * Everything is bounded by one deadline.
 */
import { bootstrapCommand } from "../../../components/host/bootstrap";
import { RemoteUnavailableError, type RemoteResult, type WinrmTarget } from "./types";
import { closeEndpoint, openEndpoint, post, type WsmanEndpoint } from "./winrmHttp";
import {
    ACTIONS, COMMAND_OPTIONS, CREATE_SHELL_OPTIONS, RECEIVE_OPTIONS, STDIN_CHUNK, commandBody, createShellBody, elementText,
    envelope, isReceiveTimeout, parseFault, parseReceive, parseShellId, receiveBody, sendBody, signalTerminateBody,
} from "./wsman";

/** Longest a Receive may be held by the server before it answers "no output yet". */
const RECEIVE_HOLD_SEC = 20;
/** Slack added to the HTTP timeout of a held Receive. */
const HOLD_SLACK_MS = 5000;
/** Bound of each clean-up request (terminate, delete shell), which may run after the deadline. */
export const CLEANUP_MS = 2000;
/** Pause before asking again when a server answers an empty Receive at once. */
const EMPTY_RECEIVE_PAUSE_MS = 100;

/** Rejects a target that cannot be used, naming the field (the password is never echoed). */
export function checkWinrmTarget(target: WinrmTarget): void {
    if (target.host.trim() === "" || /[\s/]/.test(target.host)) throw new Error(`host must be a host name or address, got ${JSON.stringify(target.host)}`);
    if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) throw new Error(`port must be an integer from 1 to 65535, got ${target.port}`);
    if (target.user === "" || target.user.includes(":")) throw new Error("user must be non-empty and contain no ':' (Basic authentication)");
    if (target.password === "") throw new Error("password must be non-empty");
    if (target.allowHttp && target.caPem !== undefined) throw new Error("a CA applies to HTTPS only: it cannot be combined with plain HTTP");
}

class Session {
    private readonly endpoint: WsmanEndpoint;

    constructor(target: WinrmTarget, private readonly deadline: number) {
        this.endpoint = openEndpoint(target);
    }

    get label(): string {
        return this.endpoint.label;
    }

    close(): void {
        closeEndpoint(this.endpoint);
    }

    private remaining(): number {
        return this.deadline - Date.now();
    }

    /** Sends one message; returns the reply body, or throws WsmanFault on a SOAP fault. */
    async call(action: string, body: string, opts: { shellId?: string; options?: Readonly<Record<string, string>>; holdSec?: number; timeoutMs?: number } = {}): Promise<string> {
        const holdSec = opts.holdSec ?? Math.max(1, Math.min(60, Math.floor(this.remaining() / 1000)));
        const xml = envelope({ to: this.endpoint.url, action, shellId: opts.shellId, options: opts.options, operationTimeoutSec: holdSec, body });
        const reply = await post(this.endpoint, xml, opts.timeoutMs ?? this.remaining());
        if (reply.status === 200) return reply.body;
        const fault = parseFault(reply.body);
        if (fault === undefined) throw new RemoteUnavailableError(`WinRM at ${this.endpoint.label} answered HTTP ${reply.status} without a SOAP fault`, "protocol");
        throw new WsmanFault(fault.reason, isReceiveTimeout(fault), fault.subcode === "AccessDenied");
    }

    async createShell(): Promise<string> {
        const reply = await this.call(ACTIONS.create, createShellBody(), { options: CREATE_SHELL_OPTIONS });
        const id = parseShellId(reply);
        if (id === undefined) throw new RemoteUnavailableError(`WinRM at ${this.endpoint.label} created no shell id`, "protocol");
        return id;
    }

    async startCommand(shellId: string, commandLine: string): Promise<string> {
        const reply = await this.call(ACTIONS.command, commandBody(commandLine), { shellId, options: COMMAND_OPTIONS });
        const id = elementText(reply, "CommandId");
        if (id === undefined || id === "") throw new RemoteUnavailableError(`WinRM at ${this.endpoint.label} returned no command id`, "protocol");
        return id;
    }

    async sendStdin(shellId: string, commandId: string, stdin: Buffer): Promise<void> {
        let offset = 0;
        do {
            const chunk = stdin.subarray(offset, offset + STDIN_CHUNK);
            offset += chunk.length;
            await this.call(ACTIONS.send, sendBody(commandId, chunk, offset >= stdin.length), { shellId });
        } while (offset < stdin.length);
    }

    async receiveAll(shellId: string, commandId: string): Promise<RemoteResult> {
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        for (;;) {
            const remaining = this.remaining();
            if (remaining <= 0) throw new RemoteUnavailableError(`the command did not finish on ${this.endpoint.label} in time`, "timeout");
            const holdSec = Math.max(1, Math.min(RECEIVE_HOLD_SEC, Math.floor(remaining / 1000) - 1));
            const started = Date.now();
            let reply: string;
            try {
                reply = await this.call(ACTIONS.receive, receiveBody(commandId), { shellId, options: RECEIVE_OPTIONS, holdSec, timeoutMs: Math.min(remaining, holdSec * 1000 + HOLD_SLACK_MS) });
            } catch (err) {
                if (err instanceof WsmanFault && err.receiveTimeout) continue;
                if (err instanceof RemoteUnavailableError && err.reason === "timeout") {
                    throw new RemoteUnavailableError(`the command did not finish on ${this.endpoint.label} in time`, "timeout");
                }
                throw err;
            }
            const part = parseReceive(reply, commandId);
            stdout.push(...part.stdout);
            stderr.push(...part.stderr);
            if (part.done) {
                if (part.exitCode === undefined) throw new RemoteUnavailableError(`WinRM at ${this.endpoint.label} reported the command done without an exit code`, "protocol");
                return { exitCode: part.exitCode, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") };
            }
            if (part.stdout.length + part.stderr.length === 0 && Date.now() - started < EMPTY_RECEIVE_PAUSE_MS) {
                await new Promise((r) => setTimeout(r, Math.min(EMPTY_RECEIVE_PAUSE_MS, Math.max(0, this.remaining()))));
            }
        }
    }

    /** Best effort, each request bounded by CLEANUP_MS: stop the command, delete the shell. */
    async cleanUp(shellId: string, commandId: string | undefined): Promise<void> {
        if (commandId !== undefined) {
            await this.call(ACTIONS.signal, signalTerminateBody(commandId), { shellId, holdSec: 1, timeoutMs: CLEANUP_MS }).catch(() => undefined);
        }
        await this.call(ACTIONS.delete, "", { shellId, holdSec: 1, timeoutMs: CLEANUP_MS }).catch(() => undefined);
    }
}

/** A SOAP fault from the WinRM service. */
class WsmanFault extends Error {
    constructor(message: string, readonly receiveTimeout: boolean, readonly accessDenied: boolean) {
        super(message);
    }
}

/**
 * Runs `bootstrapCommand()` on the target with `stdin` as its standard input; resolves with the
 * exit code and the output. Throws RemoteUnavailableError when the host cannot be reached, refuses the
 * credentials or the certificate, or does not finish within `timeoutMs` (clean-up may add up to
 * 2 × CLEANUP_MS). A script that runs and fails resolves with its non-zero exit code.
 */
export async function runWinrm(target: WinrmTarget, stdin: string, timeoutMs: number): Promise<RemoteResult> {
    checkWinrmTarget(target);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`timeout must be a positive number of milliseconds, got ${timeoutMs}`);
    const session = new Session(target, Date.now() + timeoutMs);
    let shellId: string | undefined;
    let commandId: string | undefined;
    try {
        shellId = await session.createShell();
        commandId = await session.startCommand(shellId, bootstrapCommand());
        await session.sendStdin(shellId, commandId, Buffer.from(stdin, "utf8"));
        return await session.receiveAll(shellId, commandId);
    } catch (err) {
        if (err instanceof WsmanFault) {
            throw new RemoteUnavailableError(`WinRM at ${session.label} refused the request: ${err.message}`, err.accessDenied ? "auth" : "protocol");
        }
        throw err;
    } finally {
        if (shellId !== undefined) await session.cleanUp(shellId, commandId);
        session.close();
    }
}
