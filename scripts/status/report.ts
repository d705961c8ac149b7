/** The status report: its exit code, one table for a terminal (coloured there), or one JSON document. */
import pc from "picocolors";
import type { Colors } from "picocolors/types";
import { cell, table } from "../shared/cli/table";
import type { CheckResult } from "../shared/edge/types";
import type { HostStatus, ServiceStatus } from "./hostStatus";
import type { TunnelStatus } from "./tunnel";

export const EXIT_HEALTHY = 0;
export const EXIT_CANNOT_ASK = 1;
export const EXIT_DEGRADED = 2;

export interface StatusReport {
    readonly stack: string;
    readonly hosts: readonly HostStatus[];
    /** Why no host could be asked (the credentials could not be read). */
    readonly hostsUnavailable?: string;
    /** Tunnel mode only. */
    readonly tunnel?: TunnelStatus;
    /** verify's health check through the edge. */
    readonly edge: CheckResult;
}

/** Every problem of the report, named. */
export function problems(r: StatusReport): string[] {
    return [
        ...r.hosts.flatMap((h) => h.problems.map((p) => `${h.host}: ${p}`)),
        ...(r.tunnel?.problems ?? []),
        ...(r.edge.verdict === "fail" && r.edge.unresolved !== true ? [`edge: ${r.edge.id} got ${r.edge.got}`] : []),
    ];
}

/** What could not be asked. */
export function unasked(r: StatusReport): string[] {
    return [
        ...(r.hostsUnavailable !== undefined ? [`hosts: ${r.hostsUnavailable}`] : []),
        ...r.hosts.flatMap((h) => h.errors.map((e) => `${h.host}: ${e}`)),
        ...(r.tunnel?.error !== undefined ? [`tunnel ${r.tunnel.name}: ${r.tunnel.error}`] : []),
        ...(r.edge.unresolved === true ? [`edge: ${r.edge.got}`] : []),
    ];
}

export function exitCodeFor(r: StatusReport): number {
    if (unasked(r).length > 0) return EXIT_CANNOT_ASK;
    return problems(r).length > 0 ? EXIT_DEGRADED : EXIT_HEALTHY;
}

/** `2d 3h`, `4h 12m`, `5m 3s`. */
export function duration(seconds: number): string {
    const units: [number, string][] = [[86_400, "d"], [3_600, "h"], [60, "m"], [1, "s"]];
    const i = units.findIndex(([n]) => seconds >= n);
    if (i < 0) return "0s";
    const [n, u] = units[i];
    const rest = units[i + 1];
    const first = `${Math.floor(seconds / n)}${u}`;
    return rest ? `${first} ${Math.floor((seconds % n) / rest[0])}${rest[1]}` : first;
}

function serviceText(s: ServiceStatus): string {
    if (s.state === "missing") return "not installed";
    return `${s.state}, start ${s.startMode}, ${s.account}${s.uptimeSeconds !== undefined ? `, up ${duration(s.uptimeSeconds)}` : ""}`;
}

type Row = [string, string, string, boolean | "unknown"];

function hostRows(h: HostStatus): Row[] {
    if (h.unreachable !== undefined) return [[h.host, "host", `not reached: ${h.unreachable}`, "unknown"]];
    const rows: Row[] = h.services.map((s) => [h.host, s.name, serviceText(s), s.state === "Running" && !h.problems.some((p) => p.startsWith(`service ${s.name} `))]);
    if (h.health) rows.push([h.host, "health (on the host)", h.health.answer, h.health.ok]);
    if (h.certificate) rows.push([h.host, "origin certificate", h.certificate.daysLeft === undefined ? h.certificate.expiresOn : `expires ${h.certificate.expiresOn} (${h.certificate.daysLeft} days)`, h.certificate.ok]);
    if (h.firewall) rows.push([h.host, "firewall", h.firewall.text, h.firewall.ok]);
    for (const e of h.errors) rows.push([h.host, "query", e, "unknown"]);
    return rows;
}

function tunnelRows(t: TunnelStatus): Row[] {
    if (t.error !== undefined) return [["tunnel", t.name, `not asked: ${t.error}`, "unknown"]];
    if (t.id === undefined) return [["tunnel", t.name, "does not exist", false]];
    const conns = t.connections.map((c) => `${c.colo} (cloudflared ${c.clientVersion})`).join(", ");
    return [["tunnel", t.name, `${t.status ?? "status unknown"}, ${t.connections.length} connections${conns ? `: ${conns}` : ""}`, t.problems.length === 0]];
}

/** The table, the stderr lines of unhealthy hosts, and the result line. */
export function formatText(r: StatusReport, c: Colors = pc.createColors(false)): string {
    const word = (v: Row[3]): string => (v === "unknown" ? "UNKNOWN" : v ? "ok" : "PROBLEM");
    const paint = (v: Row[3]): ((t: string) => string) => (v === "unknown" ? c.yellow : v ? c.green : c.red);
    const rows: Row[] = [
        ...(r.hostsUnavailable !== undefined ? [["hosts", "credentials", r.hostsUnavailable, "unknown"] as Row] : []),
        ...r.hosts.flatMap(hostRows),
        ...(r.tunnel ? tunnelRows(r.tunnel) : []),
        ["edge", r.edge.id, `${r.edge.expected}: ${r.edge.got}`, r.edge.unresolved === true ? "unknown" : r.edge.verdict !== "fail"],
    ];
    // Coloured after padding: escape codes would count as width.
    const plain = table([["where", "what", "state", "verdict"], ...rows.map(([a, b, s, v]) => [a, b, cell(s), word(v)])]);
    const lines = plain.map((line, i) => (i < 2 ? line : line.slice(0, line.length - word(rows[i - 2][3]).length) + paint(rows[i - 2][3])(word(rows[i - 2][3]))));
    const out = [`Status of stack ${r.stack}`, "", ...lines];
    for (const h of r.hosts.filter((x) => x.stderrTail !== undefined)) {
        out.push("", `${h.host}: last lines of the app's stderr log:`, ...h.stderrTail!.map((l) => `  ${l}`));
    }
    const code = exitCodeFor(r);
    if (code === EXIT_HEALTHY) out.push("", c.green("Result: healthy (exit 0)"));
    else if (code === EXIT_DEGRADED) out.push("", ...problems(r).map((p) => `  ${c.red(p)}`), c.red(`Result: degraded (exit 2)`));
    else out.push("", ...unasked(r).map((p) => `  ${c.yellow(p)}`), ...problems(r).map((p) => `  ${c.red(p)}`), c.yellow("Result: some parts could not be asked (exit 1)"));
    return `${out.join("\n")}\n`;
}

export function formatJson(r: StatusReport): string {
    return `${JSON.stringify({ ...r, problems: problems(r), unasked: unasked(r), exitCode: exitCodeFor(r) }, null, 2)}\n`;
}

/** A copy of `value` with every secret value in every string replaced by `[secret]`. */
export function maskDeep<T>(value: T, mask: (text: string) => string): T {
    if (typeof value === "string") return mask(value) as T;
    if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask)) as T;
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, mask)])) as T;
    return value;
}
