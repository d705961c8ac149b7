/**
 * Reading the remote commands a run registered (`command:remote:Command` over ssh,
 * `command:local:Command` for WinRM hosts) and their wire-form inputs.
 */
import type { RecordedResource } from "./mockRuntime";
import { revealWire } from "./redact";

export const COMMAND_TYPES: readonly string[] = ["command:remote:Command", "command:local:Command"];

export function isCommand(r: Pick<RecordedResource, "type">): boolean {
    return COMMAND_TYPES.includes(r.type);
}

function textLength(value: unknown): number {
    const plain = revealWire<unknown>(value);
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
