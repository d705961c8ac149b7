/**
 * Repair of drifted host steps: the step commands are `remote.Command`s, children of the host's
 * WindowsHostService named `<host>-<step>`; replacing one re-runs its create script, which sets only
 * what differs.
 */
import type { StepName } from "../../components/host/steps";

/** The Pulumi project name (`name:` of Pulumi.yaml). */
export const PROJECT = "nova";

const HOST_COMMAND_TYPE = "nova:host:WindowsHostService$command:remote:Command";

/** URN of the command resource of one host step. */
export function hostStepUrn(stack: string, host: string, step: StepName, project = PROJECT): string {
    return `urn:pulumi:${stack}::${project}::${HOST_COMMAND_TYPE}::${host}-${step}`;
}

/** `pulumi up` arguments replacing the given resources (sorted, without duplicates). */
export function repairArgs(stack: string, urns: readonly string[], yes: boolean): string[] {
    const targets = [...new Set(urns)].sort();
    return ["up", "--stack", stack, ...targets.flatMap((u) => ["--replace", u]), ...(yes ? ["--yes"] : [])];
}

/** Quotes an argument for a POSIX shell when needed (URNs hold `$`). */
export function shellQuote(arg: string): string {
    return /^[A-Za-z0-9_./:=@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function repairCommandLine(stack: string, urns: readonly string[], yes: boolean): string {
    return ["pulumi", ...repairArgs(stack, urns, yes)].map(shellQuote).join(" ");
}
