/**
 * Reading the remote commands a run registered (`command:remote:Command` over ssh,
 * `command:local:Command` for WinRM hosts) and their wire-form inputs.
 */
import type { RecordedResource } from "./mockRuntime";

export const COMMAND_TYPES: readonly string[] = ["command:remote:Command", "command:local:Command"];

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isCommand(r: Pick<RecordedResource, "type">): boolean {
    return COMMAND_TYPES.includes(r.type);
}

/** The plain value inside a wire-form secret (other values unchanged). */
export function unwrapSecret(value: unknown): unknown {
    if (value && typeof value === "object" && (value as Record<string, unknown>)[SIG] === SECRET_SIG) {
        return (value as Record<string, unknown>).value;
    }
    return value;
}

function textLength(value: unknown): number {
    const plain = unwrapSecret(value);
    return typeof plain === "string" ? Buffer.byteLength(plain, "utf8") : 0;
}

/** Bytes of script text a command sends to its host: its command line (`create`) plus its `stdin`. */
export function commandScriptBytes(r: RecordedResource): number {
    return textLength(r.inputs.create) + textLength(r.inputs.stdin);
}

/** Remote commands per host, by the host's component name (the parent's URN ends in `::<host>`). */
export function commandsPerHost(resources: readonly RecordedResource[], hostNames: readonly string[]): Record<string, number> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const count: Record<string, number> = Object.fromEntries(hostNames.map((h) => [h, 0]));
    for (const r of resources) {
        if (!isCommand(r)) continue;
        let parent = r.parent ? byUrn.get(r.parent) : undefined;
        while (parent && parent.type !== "nova:host:WindowsHostService") parent = parent.parent ? byUrn.get(parent.parent) : undefined;
        const host = parent?.name ?? hostNames.find((h) => r.name.startsWith(`${h}-`));
        if (host !== undefined && host in count) count[host]++;
    }
    return count;
}
