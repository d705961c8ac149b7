/** Command-line arguments of `npm run logs`. */
import { ArgsError, parseCommandArgs, STACK_OPTION, usageLine } from "../shared/cli/args";
import { parseTimeoutMs } from "../shared/audit/options";
import type { LogService } from "./hostQuery";

export interface LogsArgs {
    readonly stack?: string;
    /** Undefined: the stack's only host. */
    readonly host?: string;
    readonly service: LogService;
    readonly lines: number;
    /** 0: no limit. */
    readonly sinceSeconds: number;
    readonly follow: boolean;
    readonly timeoutMs: number;
}

export const DEFAULT_LINES = 100;
const MAX_LINES = 10_000;
export const DEFAULT_LOGS_TIMEOUT_MS = 30_000;
/** Pause between two polls of --follow: one query per host every this many milliseconds, at most. */
export const FOLLOW_INTERVAL_MS = 2_000;

export const LOGS_SPEC = {
    name: "logs",
    summary: "The app's NSSM log files (stdout and stderr, rotated ones included, oldest first) or the Cloudflared service's event log entries of one host, over its transport, the stack's secret values masked.",
    options: {
        stack: STACK_OPTION,
        host: { type: "string", value: "NAME", description: "the host (default: the stack's only host)" },
        service: { type: "string", value: "app|cloudflared", description: "whose log (default app)" },
        lines: { type: "string", value: "N", description: `last N lines per log, entries for cloudflared (default ${DEFAULT_LINES})` },
        since: { type: "string", value: "DURATION", description: "only logs written in the last DURATION (30s, 15m, 1h, 2d): app log files by their last write, cloudflared entries by their time" },
        follow: { type: "boolean", description: `keep polling for new lines (every ${FOLLOW_INTERVAL_MS / 1000} s) until Ctrl-C` },
        timeout: { type: "string", value: "MS", description: "time limit of one query on the host (default 30000)" },
    },
    details: "Exit code: 0 shown (with --follow: ended by Ctrl-C), 1 the host could not be asked or bad arguments.",
} as const;

export const USAGE = usageLine(LOGS_SPEC);

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/** `1h` → 3600. */
export function parseSince(value: string): number {
    const m = /^(\d{1,6})([smhd])$/.exec(value);
    if (!m || Number(m[1]) === 0) throw new ArgsError(`--since: expected a duration like 30s, 15m, 1h or 2d: ${value}`);
    return Number(m[1]) * UNITS[m[2]];
}

export function parseLogsArgs(argv: readonly string[]): LogsArgs {
    const v = parseCommandArgs(LOGS_SPEC, argv);
    const service = v.service ?? "app";
    if (service !== "app" && service !== "cloudflared") throw new ArgsError(`--service: expected app or cloudflared: ${service}`);
    const lines = v.lines === undefined ? DEFAULT_LINES : Number(v.lines);
    if (v.lines !== undefined && (!/^\d+$/.test(v.lines) || lines < 1 || lines > MAX_LINES)) throw new ArgsError(`--lines: expected a number of lines between 1 and ${MAX_LINES}: ${v.lines}`);
    return {
        ...(v.stack !== undefined ? { stack: v.stack } : {}),
        ...(v.host !== undefined ? { host: v.host } : {}),
        service,
        lines,
        sinceSeconds: v.since === undefined ? 0 : parseSince(v.since),
        follow: v.follow ?? false,
        timeoutMs: v.timeout === undefined ? DEFAULT_LOGS_TIMEOUT_MS : parseTimeoutMs(v.timeout),
    };
}
