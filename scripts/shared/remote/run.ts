/** One entry point for both transports: the same stdin document, whichever carries it. */
import { runSsh } from "./ssh";
import type { RemoteResult, RemoteTarget } from "./types";
import { runWinrm } from "./winrm";

export type RemoteRunner = (target: RemoteTarget, stdin: string, timeoutMs: number) => Promise<RemoteResult>;

export function runRemote(target: RemoteTarget, stdin: string, timeoutMs: number): Promise<RemoteResult> {
    switch (target.transport) {
        case "ssh":
            return runSsh(target, stdin, timeoutMs);
        case "winrm":
            return runWinrm(target, stdin, timeoutMs);
    }
}
