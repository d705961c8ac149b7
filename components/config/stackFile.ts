/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: every value as a string
 * (lists and objects as JSON), encrypted (`secure:`) values listed as secrets. The offline plan
 * cannot decrypt: it replaces each encrypted value by a placeholder.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface StackConfig {
    readonly stack: string;
    /** Full key to raw string value. */
    readonly values: Record<string, string>;
    /** Full keys holding encrypted values (whole or in part). */
    readonly secretKeys: string[];
}

/** Text put in place of an encrypted value the offline plan cannot read. */
export function placeholder(key: string): string {
    return `offline-placeholder-for-${key}`;
}

/** Replaces `{ secure: ... }` leaves by placeholders; returns whether any was found. */
function stripSecure(value: unknown, key: string): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map((v, i) => stripSecure(v, `${key}[${i}]`));
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (Object.keys(obj).length === 1 && typeof obj.secure === "string") return { value: placeholder(key), secret: true };
        const entries = Object.entries(obj).map(([k, v]) => [k, stripSecure(v, `${key}.${k}`)] as const);
        return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), secret: entries.some(([, v]) => v.secret) };
    }
    return { value, secret: false };
}

export function parseStackFile(stack: string, text: string): StackConfig {
    const doc = (parse(text) ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, raw] of Object.entries(doc.config ?? {})) {
        const { value, secret } = stripSecure(raw, key);
        values[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret) secretKeys.push(key);
    }
    return { stack, values, secretKeys };
}

export function readStackFile(stack: string, root: string): StackConfig {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new Error(`--stack: expected a stack name of letters, digits and . _ -, got ${JSON.stringify(stack)}`);
    const path = join(root, `Pulumi.${stack}.yaml`);
    let text: string;
    try {
        text = readFileSync(path, "utf8");
    } catch {
        throw new Error(`no stack file ${path}: create it with \`pulumi stack init ${stack}\` and \`pulumi config set\``);
    }
    return parseStackFile(stack, text);
}
