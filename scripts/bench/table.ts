/** Statistics and the text table of `npm run bench`. */
import type { ChildResult } from "./child";
import { stepBytesText } from "../shared/planning/stepBytes";

export interface CaseSummary {
    readonly case: string;
    readonly hosts: number;
    readonly runs: number;
    /** Wall time of the whole child process (node start to exit, less its report), milliseconds. */
    readonly wallMs: { readonly median: number; readonly min: number; readonly max: number };
    readonly loadMsMedian: number;
    readonly programMsMedian: number;
    /** Median wall time over the floor's median wall time. */
    readonly floorRatio: number;
    /** CPU time (user + system) of the child, median, milliseconds. */
    readonly cpuMsMedian: number;
    /** Median CPU time over the floor's. */
    readonly cpuFloorRatio: number;
    readonly maxRssMb: number;
    readonly resources: number;
    readonly invokes: number;
    readonly commands: number;
    readonly commandsPerHost: Record<string, number>;
    readonly commandScriptBytes: number;
    /** `create` plus `stdin` of each step of the first host. */
    readonly firstHostStepBytes: Record<string, number>;
    readonly rendererBytes: number;
    /** Every run gave the same inputs digest. */
    readonly deterministic: boolean;
    readonly inputsSha256: string;
}

export function median(values: readonly number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarize(label: string, walls: readonly number[], runs: readonly ChildResult[], floor: { wall: number; cpu: number }): CaseSummary {
    const last = runs[runs.length - 1];
    const wall = median(walls);
    const cpu = median(runs.map((r) => r.cpuMs));
    return {
        case: label,
        hosts: last.hosts,
        runs: runs.length,
        wallMs: { median: round(wall), min: round(Math.min(...walls)), max: round(Math.max(...walls)) },
        loadMsMedian: round(median(runs.map((r) => r.loadMs))),
        programMsMedian: round(median(runs.map((r) => r.programMs))),
        floorRatio: Math.round((wall / floor.wall) * 100) / 100,
        cpuMsMedian: round(cpu),
        cpuFloorRatio: Math.round((cpu / floor.cpu) * 100) / 100,
        maxRssMb: round(Math.max(...runs.map((r) => r.maxRssKb)) / 1024),
        resources: last.resources,
        invokes: last.invokes,
        commands: last.commands,
        commandsPerHost: last.commandsPerHost,
        commandScriptBytes: last.commandScriptBytes,
        firstHostStepBytes: last.firstHostStepBytes,
        rendererBytes: last.rendererBytes,
        deterministic: runs.every((r) => r.inputsSha256 === last.inputsSha256),
        inputsSha256: last.inputsSha256,
    };
}

function round(n: number): number {
    return Math.round(n);
}

/** A Markdown table (also readable as plain text). */
export function benchTable(rows: readonly CaseSummary[]): string {
    const head = ["case", "hosts", "wall median ms", "wall min–max ms", "× floor", "CPU ms", "CPU × floor", "load ms", "plan ms", "peak RSS MB", "resources", "invokes", "remote commands", "script bytes (commands / renderer)", "command bytes per host", "bytes per step, first host (create + stdin)", "same inputs every run"];
    const lines = rows.map((r) => [
        r.case,
        String(r.hosts),
        String(r.wallMs.median),
        `${r.wallMs.min}–${r.wallMs.max}`,
        r.floorRatio.toFixed(2),
        String(r.cpuMsMedian),
        r.cpuFloorRatio.toFixed(2),
        String(r.loadMsMedian),
        String(r.programMsMedian),
        String(r.maxRssMb),
        String(r.resources),
        String(r.invokes),
        String(r.commands),
        `${r.commandScriptBytes} / ${r.rendererBytes}`,
        r.hosts === 0 ? "—" : String(Math.round(r.commandScriptBytes / r.hosts)),
        stepBytesText(r.firstHostStepBytes),
        r.deterministic ? "yes" : "NO",
    ]);
    return [head, head.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
