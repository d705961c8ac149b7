/**
 * Canonical text of what a run registered: JSON with object keys sorted at every level, so two runs
 * that registered the same resources with the same inputs give byte-identical text.
 */
import { createHash } from "node:crypto";
import type { RecordedResource } from "./mockRuntime";

/** JSON of `value` with object keys sorted at every depth (undefined members dropped, as JSON does). */
export function canonicalJson(value: unknown): string {
    if (value === undefined) return "null";
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    const obj = value as Record<string, unknown>;
    const members = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
    return `{${members.join(",")}}`;
}

/** One line per resource, `<urn> <sorted-key JSON of its wire inputs>`, in URN order. */
export function canonicalInputs(resources: readonly RecordedResource[]): string {
    return resources
        .map((r) => `${r.urn} ${canonicalJson(r.inputs)}`)
        .sort()
        .join("\n");
}

export function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}
