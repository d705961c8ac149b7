/**
 * The edge half of drift detection: Pulumi's own check, `pulumi refresh --preview-only
 * --expect-no-changes`, through the Automation API (`Stack.previewRefresh`, which runs exactly that
 * command and streams the engine events). The state is not touched. Drift is read from the engine
 * events: a refresh step whose resource is gone, a refresh step with a diff, or a step of another kind
 * than same/read/refresh. The diff is the engine's (`diffs`/`detailedDiff`) when it gives one; an engine
 * that gives none is read by comparing, before and after the read, only the properties the program sets
 * (the keys of the state's inputs): outputs the provider computes (a tunnel's `status`, `connsActiveAt`,
 * `connections`, a setting's `modifiedOn`) change whenever connectors reconnect or Cloudflare touches the
 * object, and are not drift from the program.
 */
import type { EngineEvent, RefreshOptions, StepEventMetadata, StepEventStateMetadata } from "@pulumi/pulumi/automation";

export interface EdgeDrift {
    readonly urn: string;
    readonly type: string;
    /** update (properties changed outside Pulumi), delete (gone), or the engine's op. */
    readonly change: string;
    /** Top-level properties that differ, sorted. */
    readonly properties: readonly string[];
}

export type EdgeResult =
    | { readonly status: "checked"; readonly drift: readonly EdgeDrift[] }
    | { readonly status: "unavailable"; readonly reason: string };

/** Options of the preview refresh: fail on any change, never print secrets. */
export function refreshOptions(onEvent: (e: EngineEvent) => void): RefreshOptions {
    return { expectNoChanges: true, showSecrets: false, onEvent };
}

/** The equivalent CLI arguments (for the docs and for running it by hand). */
export function refreshCliArgs(stack: string): string[] {
    return ["refresh", "--preview-only", "--expect-no-changes", "--stack", stack];
}

const NO_CHANGE = new Set(["same", "read", "refresh", "discard", "read-discard"]);

function sameJson(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
    }
    return v;
}

/** Top-level property names of a detailed diff path list (`rules[0].action` → `rules`). */
function topLevel(paths: readonly string[]): string[] {
    return [...new Set(paths.map((p) => p.split(/[.[]/)[0]).filter((p) => p.length > 0))].sort();
}

/** Properties the program sets (inputs before or after the read) whose read-back value changed. */
function changedInputs(old?: StepEventStateMetadata, now?: StepEventStateMetadata): string[] {
    const keys = new Set([...Object.keys(old?.inputs ?? {}), ...Object.keys(now?.inputs ?? {})]);
    return [...keys].filter((k) => !sameJson(old?.outputs?.[k], now?.outputs?.[k])).sort();
}

/** The drift one step event shows, or undefined. */
export function driftOfStep(m: StepEventMetadata): EdgeDrift | undefined {
    if (m.type === "pulumi:pulumi:Stack" || m.type.startsWith("pulumi:providers:")) return undefined;
    const listed = topLevel([...(m.diffs ?? []), ...Object.keys(m.detailedDiff ?? {})]);
    if (m.op === "refresh") {
        if (m.old !== undefined && m.new === undefined) return { urn: m.urn, type: m.type, change: "delete", properties: [] };
        const props = listed.length > 0 ? listed : changedInputs(m.old, m.new);
        return props.length > 0 ? { urn: m.urn, type: m.type, change: "update", properties: props } : undefined;
    }
    if (NO_CHANGE.has(m.op)) return undefined;
    return { urn: m.urn, type: m.type, change: m.op, properties: listed };
}

/** The drifted resources of a preview refresh, one entry per URN (an outputs event wins over a pre event). */
export function driftFromEvents(events: readonly EngineEvent[]): EdgeDrift[] {
    const byUrn = new Map<string, EdgeDrift>();
    for (const e of events) {
        const m = e.resOutputsEvent?.metadata ?? e.resourcePreEvent?.metadata;
        // A refresh step's pre event comes before the read: only its outputs event tells.
        if (m === undefined || (e.resOutputsEvent === undefined && m.op === "refresh")) continue;
        const d = driftOfStep(m);
        if (d !== undefined && (e.resOutputsEvent !== undefined || !byUrn.has(d.urn))) byUrn.set(d.urn, d);
        else if (d === undefined && e.resOutputsEvent !== undefined) byUrn.delete(m.urn);
    }
    return [...byUrn.values()].sort((a, b) => a.urn.localeCompare(b.urn));
}

/**
 * The outcome of a preview refresh from its events and its error. With `--expect-no-changes` the CLI
 * fails when it finds drift: an error with drift in the events is drift; an error without is a failure
 * to check (credentials, backend, ...).
 */
export function edgeOutcome(events: readonly EngineEvent[], error?: string): EdgeResult {
    const drift = driftFromEvents(events);
    if (drift.length > 0) return { status: "checked", drift };
    if (error !== undefined) return { status: "unavailable", reason: `pulumi refresh failed: ${firstLines(error)}` };
    return { status: "checked", drift: [] };
}

function firstLines(text: string): string {
    const lines = text.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
    const errors = lines.filter((l) => /^error:/i.test(l));
    return (errors.length > 0 ? errors : lines).slice(0, 3).join(" / ") || "no output";
}
