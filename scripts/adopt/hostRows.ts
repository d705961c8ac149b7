/**
 * The host half of adopt: each step's audit over the host's transport, exactly as drift runs it
 * (scripts/shared/audit/hostAudit.ts, hosts.ts), and one row per item that is not ok. Items named `guide:…`
 * are what the guide's installation left (the old NSSM as ImagePath, Machine-scope secrets, the open
 * firewall rule, …): the host steps migrate them at the next `pulumi up`.
 */
import type { CloudflareRanges } from "../../components/host/steps/firewall";
import type { NovaConfig } from "../../components/types";
import { stackAudits } from "../shared/audit/hostAudit";
import { type HostStepResult, runHostAudits } from "../shared/audit/hosts";
import type { RemoteRunner } from "../shared/remote/run";
import type { AdoptRow } from "./rows";

/** Prefix of the audit items that are the guide's leftovers. */
export const GUIDE_ITEM_PREFIX = "guide:";

export interface HostAuditInput {
    readonly cfg: NovaConfig;
    /** Decrypted values (`nova:sshPrivateKey`, `nova:appSecretEnv`, …). */
    readonly values: Readonly<Record<string, string>>;
    readonly tunnelToken?: string;
    readonly ranges: CloudflareRanges;
    readonly runRemote: RemoteRunner;
    readonly readFile: (path: string) => string;
    readonly timeoutMs: number;
}

/** Runs every audit of every host; one unreachable host does not stop the others. */
export function auditHosts(input: HostAuditInput): Promise<HostStepResult[]> {
    const raw = (key: string): string | undefined => input.values[`nova:${key}`];
    const { jobs, targetFor } = stackAudits(input.cfg, raw, input.ranges, input.tunnelToken, input.readFile);
    return runHostAudits(jobs, targetFor, input.runRemote, input.timeoutMs);
}

/** One row per item not ok; the audits that could not run, as reasons. */
export function hostRows(results: readonly HostStepResult[]): { rows: AdoptRow[]; notChecked: string[] } {
    const rows: AdoptRow[] = [];
    const notChecked: string[] = [];
    for (const r of results) {
        if (r.status === "unavailable") {
            notChecked.push(`${r.host} ${r.step}: ${r.reason}`);
            continue;
        }
        for (const i of r.items.filter((x) => !x.ok)) {
            const guide = i.item.startsWith(GUIDE_ITEM_PREFIX);
            const found = `wanted ${i.desired || "(nothing)"}, found ${i.actual || "(nothing)"}`;
            rows.push({
                kind: "host-item",
                object: `${r.host} ${r.step} ${i.item}`,
                id: `${r.host}/${r.step}/${i.item}`,
                action: "replace",
                why: guide ? `guide leftover: the ${r.step} step migrates it at the next pulumi up (${found})` : `differs from the program: the ${r.step} step sets it at the next pulumi up (${found})`,
                ...(guide ? { guideLeftover: true } : {}),
            });
        }
    }
    return { rows, notChecked };
}
