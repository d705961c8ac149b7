"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.median = median;
exports.summarize = summarize;
exports.benchTable = benchTable;
function median(values) {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
function summarize(label, walls, runs, floor) {
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
        commands: last.commands,
        commandsPerHost: last.commandsPerHost,
        commandScriptBytes: last.commandScriptBytes,
        rendererBytes: last.rendererBytes,
        deterministic: runs.every((r) => r.inputsSha256 === last.inputsSha256),
        inputsSha256: last.inputsSha256,
    };
}
function round(n) {
    return Math.round(n);
}
/** A Markdown table (also readable as plain text). */
function benchTable(rows) {
    const head = ["case", "hosts", "wall median ms", "wall min–max ms", "× floor", "CPU ms", "CPU × floor", "load ms", "plan ms", "peak RSS MB", "resources", "remote commands", "script bytes (commands / renderer)", "same inputs every run"];
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
        String(r.commands),
        `${r.commandScriptBytes} / ${r.rendererBytes}`,
        r.deterministic ? "yes" : "NO",
    ]);
    return [head, head.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
