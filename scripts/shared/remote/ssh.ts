/**
 * Runs the fixed bootstrap command on a host over SSH (the `ssh2` library) and sends the script document
 * on stdin. The host key is checked against the configured `hostKey` line: only that key type is
 * negotiated and its blob must match byte for byte, else the connection is refused before any
 * authentication. Bounded by one overall time limit.
 */
import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from "ssh2";
import { bootstrapCommand } from "../../../components/host/bootstrap";
import { type RemoteResult, RemoteUnavailableError, type SshTarget } from "./types";

/** Key type and blob of an OpenSSH public key line (`ssh-ed25519 AAAA... comment`). */
export function parseHostKeyLine(line: string): { type: string; blob: Buffer } {
    const [type, data] = line.trim().split(/\s+/);
    if (!type || !data || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw new Error("hostKey: expected an OpenSSH public key line `<type> <base64>`");
    const blob = Buffer.from(data, "base64");
    // The blob starts with its own type name: a line whose two halves disagree is refused.
    const nameLength = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
    if (nameLength < 0 || blob.subarray(4, 4 + nameLength).toString("latin1") !== type) {
        throw new Error(`hostKey: the key data does not hold a ${type} key`);
    }
    return { type, blob };
}

/** The host key algorithms to offer for a configured key type. */
export function hostKeyAlgorithms(type: string): string[] {
    return type === "ssh-rsa" ? ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"] : [type];
}

function classify(err: Error & { code?: string; level?: string }, hostKeyRefused: boolean, target: SshTarget): RemoteUnavailableError {
    const where = `${target.user}@${target.host}:${target.port}`;
    if (hostKeyRefused) return new RemoteUnavailableError(`${where}: host key mismatch: the server's key is not the configured hostKey`, "hostkey");
    if (err.level === "client-authentication") return new RemoteUnavailableError(`${where}: authentication refused for ${target.user}`, "auth");
    if (err.level === "client-timeout") return new RemoteUnavailableError(`${where}: no SSH handshake within the time limit`, "timeout");
    if (err.code !== undefined || err.level === "client-socket") return new RemoteUnavailableError(`${where}: unreachable (${err.code ?? err.message})`, "unreachable");
    return new RemoteUnavailableError(`${where}: SSH protocol error: ${err.message}`, "protocol");
}

/** Runs `bootstrapCommand()` with `stdin`; resolves with its exit code and output. */
export function runSsh(target: SshTarget, stdin: string, timeoutMs: number): Promise<RemoteResult> {
    const expected = parseHostKeyLine(target.hostKey);
    return new Promise<RemoteResult>((resolve, reject) => {
        const conn = new Client();
        let hostKeyRefused = false;
        let settled = false;
        const finish = (outcome: () => void): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            conn.end();
            outcome();
        };
        const timer = setTimeout(
            () => finish(() => reject(new RemoteUnavailableError(`${target.host}:${target.port}: no result within ${timeoutMs} ms`, "timeout"))),
            timeoutMs,
        );
        const config: ConnectConfig = {
            host: target.host,
            port: target.port,
            username: target.user,
            privateKey: target.privateKey,
            readyTimeout: timeoutMs,
            algorithms: { serverHostKey: hostKeyAlgorithms(expected.type) as ServerHostKeyAlgorithm[] },
            hostVerifier: (key: Buffer) => {
                const ok = Buffer.isBuffer(key) && key.equals(expected.blob);
                hostKeyRefused = !ok;
                return ok;
            },
        };
        conn.on("error", (err) => finish(() => reject(classify(err, hostKeyRefused, target))));
        conn.on("ready", () => {
            conn.exec(bootstrapCommand(), (err, stream) => {
                if (err) {
                    finish(() => reject(new RemoteUnavailableError(`${target.host}: exec refused: ${err.message}`, "protocol")));
                    return;
                }
                const out: Buffer[] = [];
                const errOut: Buffer[] = [];
                let exitCode: number | null = null;
                stream.on("data", (d: Buffer) => out.push(d));
                stream.stderr.on("data", (d: Buffer) => errOut.push(d));
                stream.on("exit", (code: number | null) => {
                    exitCode = code;
                });
                stream.on("close", () =>
                    finish(() =>
                        resolve({
                            exitCode: exitCode ?? -1,
                            stdout: Buffer.concat(out).toString("utf8"),
                            stderr: Buffer.concat(errOut).toString("utf8"),
                        }),
                    ),
                );
                stream.end(stdin);
            });
        });
        try {
            conn.connect(config);
        } catch (err) {
            finish(() => reject(classify(err as Error, hostKeyRefused, target)));
        }
    });
}
