/** Runs the audit jobs over each host's transport; one unreachable host does not stop the others. */
import type { StepName } from "../../../components/host/steps";
import type { HostConfig } from "../../../components/types";
import type { RemoteRunner } from "../remote/run";
import type { RemoteTarget } from "../remote/types";
import { type AuditItem, type AuditJob, maskSecrets, parseAuditOutput } from "./hostAudit";

export type HostStepResult<S extends string = StepName> =
    | { readonly host: string; readonly step: S; readonly status: "checked"; readonly items: readonly AuditItem[] }
    | { readonly host: string; readonly step: S; readonly status: "unavailable"; readonly reason: string };

/** What running one read-only script on a host needs (an audit job, or another query that prints the same JSON line). */
export type HostJob<S extends string = StepName> = Pick<AuditJob, "host" | "stdin" | "secretValues"> & { readonly step: S };

/** The last non-empty line of a script's output (its error message), for the report. */
export function lastLine(text: string): string {
    const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    return lines[lines.length - 1] ?? "no output";
}

/**
 * Audits host by host (hosts in parallel, steps in order). When a host cannot be reached or refuses
 * us, its remaining steps are reported with the same reason without further attempts.
 */
export async function runHostAudits<S extends string = StepName>(
    jobs: readonly HostJob<S>[],
    targetFor: (host: HostConfig) => RemoteTarget,
    run: RemoteRunner,
    timeoutMs: number,
): Promise<HostStepResult<S>[]> {
    const hosts = [...new Set(jobs.map((j) => j.host.name))];
    const perHost = await Promise.all(
        hosts.map(async (name) => {
            const results: HostStepResult<S>[] = [];
            let blocked: string | undefined;
            for (const job of jobs.filter((j) => j.host.name === name)) {
                const base = { host: name, step: job.step };
                if (blocked !== undefined) {
                    results.push({ ...base, status: "unavailable", reason: blocked });
                    continue;
                }
                let r;
                try {
                    r = await run(targetFor(job.host), job.stdin, timeoutMs);
                } catch (err) {
                    blocked = err instanceof Error ? err.message : String(err);
                    results.push({ ...base, status: "unavailable", reason: blocked });
                    continue;
                }
                if (r.exitCode !== 0) {
                    results.push({ ...base, status: "unavailable", reason: `audit failed (exit ${r.exitCode}): ${maskSecrets(lastLine(r.stderr || r.stdout), job.secretValues)}` });
                    continue;
                }
                try {
                    results.push({ ...base, status: "checked", items: parseAuditOutput(job.step, r.stdout) });
                } catch (err) {
                    results.push({ ...base, status: "unavailable", reason: (err as Error).message });
                }
            }
            return results;
        }),
    );
    return perHost.flat();
}

/** Steps with at least one item not ok. */
export function driftedSteps(results: readonly HostStepResult[]): { host: string; step: StepName }[] {
    return results.filter((r) => r.status === "checked" && r.items.some((i) => !i.ok)).map((r) => ({ host: r.host, step: r.step }));
}
