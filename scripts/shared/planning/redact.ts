/**
 * Turns the engine's wire form of inputs and outputs into plain JSON for people: secrets become
 * "[secret]", values unknown until apply become "[unknown]".
 */
import * as pulumi from "@pulumi/pulumi";

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

const SIG = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
const ASSET_SIG = pulumi.runtime.specialAssetSig;
const ARCHIVE_SIG = pulumi.runtime.specialArchiveSig;
const UNKNOWN_VALUE = pulumi.runtime.unknownValue;

/** True when a wire-form value is a secret (`{ <sig>: <secret sig>, value }`). */
export function isSecretWire(value: unknown): value is { value: unknown } {
    return !!value && typeof value === "object" && (value as Record<string, unknown>)[SIG] === SECRET_SIG;
}

/** The plain value of a wire-form value, secret or not (tests read what the engine would get). */
export function revealWire<T>(value: unknown): T {
    return (isSecretWire(value) ? value.value : value) as T;
}

/** A redacted copy of a wire-form value. */
export function redact(value: unknown): unknown {
    if (value === UNKNOWN_VALUE) return UNKNOWN;
    if (Array.isArray(value)) return value.map(redact);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        switch (obj[SIG]) {
            case SECRET_SIG:
                return SECRET;
            case RESOURCE_SIG:
                return { resource: obj.urn };
            case ASSET_SIG:
            case ARCHIVE_SIG:
                return { asset: obj.path ?? obj.uri ?? (obj.text === undefined ? UNKNOWN : "[text]") };
            default:
                return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, redact(obj[k])]));
        }
    }
    return value;
}
