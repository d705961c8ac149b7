"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UNKNOWN = exports.SECRET = void 0;
exports.redact = redact;
exports.holdsSecret = holdsSecret;
/**
 * Turns the engine's wire form of inputs and outputs into plain JSON for people: secrets become
 * "[secret]", values unknown until apply become "[unknown]".
 */
exports.SECRET = "[secret]";
exports.UNKNOWN = "[unknown]";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** A redacted copy of a wire-form value. */
function redact(value) {
    if (value === UNKNOWN_VALUE)
        return exports.UNKNOWN;
    if (Array.isArray(value))
        return value.map(redact);
    if (value && typeof value === "object") {
        const obj = value;
        switch (obj[SIG]) {
            case SECRET_SIG:
                return exports.SECRET;
            case RESOURCE_SIG:
                return { resource: obj.urn };
            case ASSET_SIG:
            case ARCHIVE_SIG:
                return { asset: obj.path ?? obj.uri ?? (obj.text === undefined ? exports.UNKNOWN : "[text]") };
            default:
                return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, redact(obj[k])]));
        }
    }
    return value;
}
/** True when the wire-form value is, or holds, a secret. */
function holdsSecret(value) {
    if (Array.isArray(value))
        return value.some(holdsSecret);
    if (value && typeof value === "object") {
        const obj = value;
        return obj[SIG] === SECRET_SIG || Object.values(obj).some(holdsSecret);
    }
    return false;
}
