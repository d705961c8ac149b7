/**
 * Repair of drifted host steps: the step's create script (the renderer output `pulumi up` ran) is run
 * again over the host's transport, with the secrets the audit used; create scripts test each item and
 * set only what differs. The step's command resource is not replaced: a replacement runs the new
 * resource's create and then the old resource's delete (create-before-delete), which would undo the
 * step right after re-applying it (remove the service, the tools, the firewall rule).
 */
import { stepResourceName } from "../../components/host/commands";
import type { StepName } from "../../components/host/steps";
import type { HostConfig, Transport } from "../../components/types";

/** The Pulumi project name (`name:` of Pulumi.yaml). */
export const PROJECT = "nova";

/** Type of a step's command resource: ssh steps run through the provider's ssh, winrm steps through the local WinRM runner. */
const STEP_COMMAND_TYPE: Readonly<Record<Transport, string>> = { ssh: "command:remote:Command", winrm: "command:local:Command" };

/** URN of the command resource of one host step (a child of the host's WindowsHostService), to identify it. */
export function hostStepUrn(stack: string, host: Pick<HostConfig, "name" | "transport">, step: StepName, project = PROJECT): string {
    return `urn:pulumi:${stack}::${project}::nova:host:WindowsHostService$${STEP_COMMAND_TYPE[host.transport]}::${stepResourceName(host.name, step)}`;
}

/** One drifted step to re-apply. */
export interface RepairTarget {
    readonly host: string;
    readonly step: StepName;
    readonly transport: Transport;
    /** The step's command resource, for identification only. */
    readonly urn: string;
}

/** Restricts a repair to one host and/or one step. */
export interface RepairFilter {
    readonly host?: string;
    readonly step?: StepName;
}

/** The drifted steps a filter keeps, in the order given (host by host, steps in run order). */
export function selectRepairs(
    stack: string,
    drifted: readonly { host: string; step: StepName }[],
    hosts: readonly Pick<HostConfig, "name" | "transport">[],
    filter: RepairFilter,
): RepairTarget[] {
    return drifted
        .filter((d) => (filter.host === undefined || d.host === filter.host) && (filter.step === undefined || d.step === filter.step))
        .map((d) => {
            const host = hosts.find((h) => h.name === d.host);
            if (host === undefined) throw new Error(`drifted step of an unknown host: ${d.host}`);
            return { host: d.host, step: d.step, transport: host.transport, urn: hostStepUrn(stack, host, d.step) };
        });
}

/** Quotes an argument for a POSIX shell when needed. */
export function shellQuote(arg: string): string {
    return /^[A-Za-z0-9_./:=@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command that runs the repair: `npm run drift -- --stack <stack> --repair --yes [--host H] [--step S]`. */
export function repairCommandLine(stack: string, filter: RepairFilter = {}): string {
    const args = ["--stack", stack, "--repair", "--yes", ...(filter.host !== undefined ? ["--host", filter.host] : []), ...(filter.step !== undefined ? ["--step", filter.step] : [])];
    return ["npm", "run", "drift", "--", ...args].map(shellQuote).join(" ");
}

/**
 * The items a create script changed: the last line that is a JSON object `{"step":..., "changed":[...]}`
 * for `step`. Throws when there is none (the script did not run to its end).
 */
export function parseCreateOutput(step: string, stdout: string): string[] {
    const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith("{"));
    for (const line of lines.reverse()) {
        let doc: { step?: unknown; changed?: unknown };
        try {
            doc = JSON.parse(line) as { step?: unknown; changed?: unknown };
        } catch {
            continue;
        }
        if (doc.step !== step) continue;
        // ConvertTo-Json renders a one-element array as the element itself in some PowerShell versions.
        const changed = Array.isArray(doc.changed) ? doc.changed : typeof doc.changed === "string" ? [doc.changed] : null;
        if (changed === null || !changed.every((c) => typeof c === "string")) throw new Error(`create ${step}: "changed" is not a list of item names`);
        return changed as string[];
    }
    throw new Error(`create ${step}: no result line in the output`);
}
