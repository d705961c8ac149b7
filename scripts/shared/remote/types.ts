/**
 * What the remote runners (SSH with ssh2, WinRM) share: where to connect, and what came back.
 * Both carry the same stdin document (`buildStdin` of components/host/bootstrap.ts) to the same
 * fixed bootstrap, so a script runs identically whichever transport carries it.
 */
import type { WinrmAuth } from "./winrmAuth";

export interface SshTarget {
    readonly transport: "ssh";
    readonly host: string;
    readonly port: number;
    readonly user: string;
    /** OpenSSH public host key line (`ssh-ed25519 AAAA...`): the connection is refused unless it matches. */
    readonly hostKey: string;
    readonly privateKey: string;
}

export interface WinrmTarget {
    readonly transport: "winrm";
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly password: string;
    /** Negotiate (NTLMv2, the default) or Basic (an explicit opt-in), see winrmAuth.ts. */
    readonly auth: WinrmAuth;
    /** Plain HTTP instead of HTTPS: an explicit opt-in. */
    readonly allowHttp: boolean;
    /** PEM of the CA that signed the listener's certificate; else the system's trust store. */
    readonly caPem?: string;
}

export type RemoteTarget = SshTarget | WinrmTarget;

export interface RemoteResult {
    readonly exitCode: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** The host could not be reached or refused us (as opposed to a script that ran and failed). */
export class RemoteUnavailableError extends Error {
    constructor(message: string, public readonly reason: "unreachable" | "auth" | "hostkey" | "tls" | "timeout" | "protocol") {
        super(message);
        this.name = "RemoteUnavailableError";
    }
}
