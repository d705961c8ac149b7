/**
 * Runs a repair: host by host, the create script of each drifted step (steps in run order) over the
 * transport and with the secrets its audit used; a host stops at its first failure. Then the audits
 * of the re-applied steps run again, so the result says whether the host now matches.
 */
import type { HostConfig } from "../../components/types";
import type { RemoteRunner } from "../shared/remote/run";
import type { RemoteTarget } from "../shared/remote/types";
import { type AuditJob, maskSecrets } from "../shared/audit/hostAudit";
import { type HostStepResult, lastLine, runHostAudits } from "../shared/audit/hosts";
import { parseCreateOutput, type RepairTarget } from "./repair";

export type RepairOutcome = RepairTarget &
    (
        | { readonly status: "repaired"; readonly changed: readonly string[]; readonly reaudit: HostStepResult }
        | { readonly status: "failed"; readonly reason: string }
        | { readonly status: "not run"; readonly reason: string }
    );

/** Re-applied, and its audit now finds every item as desired. */
export function repairedClean(o: RepairOutcome): boolean {
    return o.status === "repaired" && o.reaudit.status === "checked" && o.reaudit.items.every((i) => i.ok);
}

const key = (host: string, step: string): string => `${host}\u0000${step}`;

/** Runs the create script of one step; resolves with the items it changed, rejects with the reason (secrets masked). */
async function applyStep(job: AuditJob, target: RemoteTarget, run: RemoteRunner, timeoutMs: number): Promise<string[]> {
    try {
        const r = await run(target, job.createStdin, timeoutMs);
        if (r.exitCode !== 0) throw new Error(`create script failed (exit ${r.exitCode}): ${lastLine(r.stderr || r.stdout)}`);
        return parseCreateOutput(job.step, r.stdout);
    } catch (err) {
        throw new Error(maskSecrets(err instanceof Error ? err.message : String(err), job.secretValues));
    }
}

export async function runRepairs(
    targets: readonly RepairTarget[],
    jobs: readonly AuditJob[],
    targetFor: (host: HostConfig) => RemoteTarget,
    run: RemoteRunner,
    timeoutMs: number,
    progress: (line: string) => void,
): Promise<RepairOutcome[]> {
    const outcomes = new Map<string, RepairOutcome>();
    for (const host of [...new Set(targets.map((t) => t.host))]) {
        let stopped: string | undefined;
        const applied: { target: RepairTarget; job: AuditJob; changed: string[] }[] = [];
        for (const target of targets.filter((t) => t.host === host)) {
            if (stopped !== undefined) {
                outcomes.set(key(host, target.step), { ...target, status: "not run", reason: `stopped after ${stopped} failed` });
                continue;
            }
            const job = jobs.find((j) => j.host.name === host && j.step === target.step);
            if (job === undefined) throw new Error(`no script for ${host} ${target.step}`);
            progress(`re-applying ${host} ${target.step} (its create script over ${target.transport})`);
            try {
                applied.push({ target, job, changed: await applyStep(job, targetFor(job.host), run, timeoutMs) });
            } catch (err) {
                outcomes.set(key(host, target.step), { ...target, status: "failed", reason: (err as Error).message });
                stopped = `${host} ${target.step}`;
            }
        }
        if (applied.length === 0) continue;
        progress(`auditing ${host} again: ${applied.map((a) => a.target.step).join(", ")}`);
        const audits = await runHostAudits(applied.map((a) => a.job), targetFor, run, timeoutMs);
        for (const a of applied) {
            const reaudit = audits.find((r) => r.step === a.target.step);
            if (reaudit === undefined) throw new Error(`no audit result for ${host} ${a.target.step}`);
            outcomes.set(key(host, a.target.step), { ...a.target, status: "repaired", changed: a.changed, reaudit });
        }
    }
    return targets.map((t) => outcomes.get(key(t.host, t.step))!);
}
