/**
 * Plans of a variant of a stack need a project that agrees with it: a direct-mode stack that does not
 * own its zone needs an owner that routes the variant (its hostname and port), a stack that takes the
 * zone over needs the previous owner to give it up. These write the project's stack files to a
 * scratch directory with the owner's keys following the variant, for `NOVA_ZONE_STACKS_DIR`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { collectNovaConfig, projectStacks, ZONE_STACKS_DIR_ENV } from "../../../components/config";
import { zoneHostnameEntry } from "../../../components/edge/zoneHostnames";
import type { NovaConfig } from "../../../components/types";
import { parseStackFile, type StackConfig } from "../../../components/config/stackFile";

function configOf(s: StackConfig): NovaConfig {
    return collectNovaConfig((key) => s.values[`nova:${key}`], s.stack).config;
}

/** A scratch copy of the project's stack files (`root`), each file's values passed through `edit`. */
function scratchProject(root: string, edit: (stack: string, values: Record<string, string>) => Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "nova-zone-"));
    for (const f of readdirSync(root).filter((n) => /^Pulumi\..+\.yaml$/.test(n))) {
        const stack = f.slice("Pulumi.".length, -".yaml".length);
        const file = parseStackFile(stack, readFileSync(join(root, f), "utf8"));
        writeFileSync(join(dir, f), stringify({ config: edit(stack, { ...file.values }) }));
    }
    return dir;
}

/** A directory of the project's stack files whose zone owner covers `variant`; undefined when none is needed. */
export function ownerCovering(root: string, base: StackConfig, variant: StackConfig): string | undefined {
    const before = configOf(base);
    const after = configOf(variant);
    if (after.ingressMode !== "direct" || after.edge.manageZone) return undefined;
    const owner = projectStacks(root, base.stack).find((o) => o.edge.manageZone && o.zoneName.toLowerCase() === before.zoneName.toLowerCase());
    if (!owner) return undefined;
    return scratchProject(root, (stack, values) => {
        if (stack !== owner.stack) return values;
        const entries = owner.edge.otherHostnames
            .filter((h) => h.toLowerCase() !== before.hostname.toLowerCase())
            .map((h) => zoneHostnameEntry(h.replace(before.zoneName, after.zoneName), owner.edge.otherDirectPorts[h]));
        values["nova:zoneName"] = after.zoneName;
        values["nova:hostname"] = owner.hostname.replace(before.zoneName, after.zoneName);
        values["nova:zoneHostnames"] = JSON.stringify([...entries, zoneHostnameEntry(after.hostname, after.appPort)]);
        if (after.originTls.aop) values["nova:aop"] = "true";
        return values;
    });
}

/**
 * A directory of the project's stack files in which `variant` is the only owner of its zone: the other
 * stacks owning that zone set `nova:manageZone` false (one owner per zone); undefined when `variant`
 * does not own its zone or no other stack does.
 */
export function soleOwner(root: string, variant: StackConfig): string | undefined {
    const self = configOf(variant);
    const zone = self.zoneName.toLowerCase();
    const owners = projectStacks(root, variant.stack).filter((o) => o.edge.manageZone && o.zoneName.toLowerCase() === zone).map((o) => o.stack);
    if (!self.edge.manageZone || owners.length === 0) return undefined;
    return scratchProject(root, (stack, values) => (owners.includes(stack) ? { ...values, "nova:manageZone": "false" } : values));
}

/** The project a variant of `base` is planned against: an owner that covers it, or one where it alone owns its zone. */
export function projectFor(root: string, base: StackConfig, variant: StackConfig): string | undefined {
    return ownerCovering(root, base, variant) ?? soleOwner(root, variant);
}

/** Runs `fn` with `NOVA_ZONE_STACKS_DIR` set to `dir`, then sets it back as it was. */
export async function inZoneStacksDir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    const before = process.env[ZONE_STACKS_DIR_ENV];
    process.env[ZONE_STACKS_DIR_ENV] = dir;
    try {
        return await fn();
    } finally {
        if (before === undefined) delete process.env[ZONE_STACKS_DIR_ENV];
        else process.env[ZONE_STACKS_DIR_ENV] = before;
    }
}

/** Runs `fn` with `NOVA_ZONE_STACKS_DIR` set to `dir` (left as it was when `dir` is undefined), then removes `dir`. */
export async function withZoneStacksDir<T>(dir: string | undefined, fn: () => Promise<T>): Promise<T> {
    if (dir === undefined) return fn();
    try {
        return await inZoneStacksDir(dir, fn);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
