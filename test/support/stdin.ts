/** The document a command's `stdin` input carries: revealed (when it is a secret) and unpacked (`unpackStdin`). */
import { stdinDocument, unpackStdin } from "../../components/host/bootstrap";
import { revealWire } from "../../scripts/shared/planning/redact";

/** The unpacked stdin document of a command input (wire form, secret or not); throws when it is not packed. */
export function stdinText(value: unknown): string {
    const plain = revealWire<unknown>(value);
    if (typeof plain !== "string") throw new Error(`stdin is not a string: ${JSON.stringify(plain)}`);
    return unpackStdin(plain);
}

/** `value` with every string that is a packed stdin replaced by its document (so a text scan reads the scripts and secrets it carries). */
export function withStdinUnpacked(value: unknown): unknown {
    if (typeof value === "string") return stdinDocument(value);
    if (Array.isArray(value)) return value.map(withStdinUnpacked);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withStdinUnpacked(v)]));
    return value;
}
