/** WinRM runner: not available in this build; every call is refused as a protocol the tool cannot speak. */
import { type RemoteResult, RemoteUnavailableError, type WinrmTarget } from "./types";

export function runWinrm(target: WinrmTarget, _stdin: string, _timeoutMs: number): Promise<RemoteResult> {
    return Promise.reject(new RemoteUnavailableError(`${target.host}:${target.port}: WinRM runner not available`, "protocol"));
}
