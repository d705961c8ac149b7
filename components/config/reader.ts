/**
 * Reads raw `nova:` values one key at a time, collecting every problem in one list: each names
 * the key, the value given (cut to 80 characters) and what is accepted, in our words.
 */
import { z } from "zod";
import { CONFIG_KEYS, ConfigKey, fullKey } from "./keys";
import { FieldWords, schemaProblems, show } from "./words";

/** Reads the raw string of `nova:<key>`, undefined when unset. */
export type RawConfig = (key: string) => string | undefined;

export class Reader {
    readonly problems: string[] = [];
    readonly raw: RawConfig;
    /** An empty string reads as unset: Pulumi.yaml declares optional keys with default "". */
    constructor(raw: RawConfig) {
        this.raw = (key) => (raw(key) === "" ? undefined : raw(key));
    }

    fail(key: string, accepted: string, given?: unknown): void {
        this.problems.push(`${fullKey(key)}: expected ${accepted}${given === undefined ? "" : `, got ${show(given)}`}`);
    }

    /**
     * Keys set to "" whose declared default is not "": the user wrote the empty value (Pulumi passes the
     * declared default for a key left out), which would otherwise read as the default, silently.
     */
    emptyValueProblems(raw: RawConfig): string[] {
        return CONFIG_KEYS.filter((k) => !k.secret && raw(k.key) === "" && k.default !== undefined && typeof k.default !== "object" && String(k.default) !== "").map(
            (k) => `${fullKey(k.key)}: expected a value (leave the key out for its default ${show(k.default)}), got ""`,
        );
    }

    private spec(key: string): ConfigKey {
        const spec = CONFIG_KEYS.find((k) => k.key === key);
        if (!spec) throw new Error(`unknown configuration key ${key}`);
        return spec;
    }

    /** A string, checked; the declared default when unset. */
    str(key: string, check?: (s: string) => string | undefined, fallback?: string): string | undefined {
        const raw = this.raw(key) ?? (this.spec(key).default as string | undefined) ?? fallback;
        if (raw === undefined) return undefined;
        const why = check?.(raw);
        if (why) {
            this.fail(key, why, raw);
            return undefined;
        }
        return raw;
    }

    required(key: string, check?: (s: string) => string | undefined, when = ""): string | undefined {
        const value = this.str(key, check);
        if (value === undefined && this.raw(key) === undefined) this.problems.push(`${fullKey(key)}: required${when}; set it with \`pulumi config set ${fullKey(key)} <value>\``);
        return value;
    }

    oneOf<T extends string>(key: string, values: readonly T[]): T {
        const value = this.str(key);
        if (value !== undefined && (values as readonly string[]).includes(value)) return value as T;
        if (value !== undefined) this.fail(key, `one of ${values.join(", ")}`, value);
        return this.spec(key).default as T;
    }

    /**
     * True when the stack sets the key to something other than its default. (The Pulumi CLI passes
     * Pulumi.yaml's declared default for a key the stack leaves out, so a default value cannot tell.)
     */
    isSet(key: string): boolean {
        const raw = this.raw(key);
        const dflt = this.spec(key).default;
        if (raw === undefined) return false;
        if (dflt === undefined) return true;
        return typeof dflt === "object" ? raw.replace(/\s/g, "") !== JSON.stringify(dflt) : raw !== String(dflt);
    }

    bool(key: string): boolean {
        const raw = this.raw(key);
        if (raw === undefined) return this.spec(key).default as boolean;
        if (raw === "true" || raw === "false") return raw === "true";
        this.fail(key, "true or false", raw);
        return this.spec(key).default as boolean;
    }

    int(key: string, min: number, max: number): number {
        const raw = this.raw(key);
        const fallback = this.spec(key).default as number;
        if (raw === undefined) return fallback;
        // As written: " 8000" or "08000" would be read as 8000 silently.
        if (!/^(0|[1-9]\d*)$/.test(raw) || Number(raw) < min || Number(raw) > max) {
            this.fail(key, `an integer ${min}-${max}${/^\s*\d+\s*$/.test(raw) && raw !== String(Number(raw)) ? " written without spaces or leading zeros" : ""}`, raw);
            return fallback;
        }
        return Number(raw);
    }

    /**
     * A JSON value (Pulumi passes lists and objects as JSON text), shape-checked with zod; problems
     * are worded from `accepted` (the whole value) and `fields` (each field of its objects).
     */
    json<T>(key: string, schema: z.ZodType<T>, accepted: string, fields?: FieldWords): T | undefined {
        const raw = this.raw(key);
        if (raw === undefined) return undefined;
        let value: unknown;
        try {
            value = JSON.parse(raw);
        } catch {
            this.fail(key, accepted, raw);
            return undefined;
        }
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        this.problems.push(...schemaProblems(fullKey(key), value, result.error.issues, accepted, fields));
        return undefined;
    }

    list(key: string, check?: (s: string) => string | undefined, accepted = "a list of strings"): readonly string[] {
        const items = this.json(key, z.array(z.string()), accepted) ?? (this.spec(key).default as readonly string[] | undefined) ?? [];
        items.forEach((item, i) => {
            const why = check?.(item);
            if (why) this.problems.push(`${fullKey(key)}[${i}]: expected ${why}, got ${show(item)}`);
        });
        return items;
    }
}
