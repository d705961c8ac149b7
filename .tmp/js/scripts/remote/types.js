"use strict";
/**
 * What the remote runners (SSH with ssh2, WinRM) share: where to connect, and what came back.
 * Both carry the same stdin document (`buildStdin` of components/host/bootstrap.ts) to the same
 * fixed bootstrap, so a script runs identically whichever transport carries it.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.RemoteUnavailableError = void 0;
/** The host could not be reached or refused us (as opposed to a script that ran and failed). */
class RemoteUnavailableError extends Error {
    reason;
    constructor(message, reason) {
        super(message);
        this.reason = reason;
        this.name = "RemoteUnavailableError";
    }
}
exports.RemoteUnavailableError = RemoteUnavailableError;
