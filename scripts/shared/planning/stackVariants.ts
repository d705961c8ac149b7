/** Stack configurations derived from a committed stack file: one key changed, or N hosts. */
import type { StackConfig } from "../../../components/config/stackFile";

/** `base` with keys (full, `nova:...`) set or removed (undefined); `secrets` are set as secrets. */
export function withValues(base: StackConfig, overrides: Readonly<Record<string, string | undefined>>, secrets: Readonly<Record<string, string>> = {}): StackConfig {
    const values = { ...base.values };
    for (const [k, v] of Object.entries({ ...overrides, ...secrets })) {
        if (v === undefined) delete values[k];
        else values[k] = v;
    }
    return { stack: base.stack, values, secretKeys: [...new Set([...base.secretKeys, ...Object.keys(secrets)])] };
}

/**
 * `base` with `nova:hosts` replaced by `count` copies of its first host, named `host-01`, `host-02`, ...
 * at addresses 10.0.<i / 250>.<i % 250 + 1>.
 */
export function withHostCount(base: StackConfig, count: number): StackConfig {
    if (!Number.isInteger(count) || count < 1 || count > 9999) throw new Error(`host count must be 1..9999, got ${count}`);
    const raw = base.values["nova:hosts"];
    if (raw === undefined) throw new Error(`stack ${base.stack} has no nova:hosts to copy`);
    const [first] = JSON.parse(raw) as Record<string, unknown>[];
    const width = Math.max(2, String(count).length);
    const hosts = Array.from({ length: count }, (_, i) => ({
        ...first,
        name: `host-${String(i + 1).padStart(width, "0")}`,
        address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    }));
    return withValues(base, { "nova:hosts": JSON.stringify(hosts) });
}
