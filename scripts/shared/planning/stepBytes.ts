/**
 * Bytes a host's remote commands carry (`create` plus `stdin`, scripts/shared/planning/commands.ts), per step, and
 * the budget of each step: what the committed stacks' steps may carry at most. `test/scripts/shared/planning/scriptBudget.test.ts`
 * fails when a step of prod or staging grows past its budget; `npm run bench` shows the bytes per step of
 * the first host of each case. Goal (not met yet, docs/PERFORMANCE.md): 25 KB per host.
 */
import type { StepName } from "../../../components/host/steps";
import { commandScriptBytes, isCommand } from "./commands";
import type { RecordedResource } from "./mockRuntime";

/** Goal for all the steps of one host together, bytes. */
export const HOST_BYTES_GOAL = 25 * 1024;

/**
 * Most bytes (create + stdin) one step of a committed stack may carry: the larger of the ssh (prod)
 * and WinRM (staging) host's, rounded up to the next 500 bytes plus 5 %. Raised once for the ACL reads as SIDs
 * and the start-failure message of the NSSM throttling fix; firewall raised by 1500 (7000 → 8500) for reading
 * Windows Firewall's merged address ranges; cloudflared by 1000 (16000 → 17000) for removing the config.yml
 * `service install` creates when it starts the service;
 * raised again when the delete scripts moved into the stdin document (every up carries them) with the
 * restores of destroy (folder DACL records, the guide tunnel, the .env originals);
 * service and cloudflared by 500 and 1000 for
 * the masking of secrets in a failing native program's output (Hide-NovaSecretText, +636 bytes); every
 * step carries the 690-byte bound line (components/host/stepBound.ts): preflight, certificate-request,
 * service, cloudflared, firewall and health, which it took past theirs, by 500 each.
 */
export const STEP_BYTE_BUDGETS: Readonly<Record<StepName, number>> = {
    preflight: 12600,
    tools: 14200,
    dotenv: 18400,
    "certificate-request": 10500,
    certificate: 14500,
    service: 28900,
    cloudflared: 26200,
    firewall: 10450,
    health: 6850,
};

/** Bytes of each step of `host` (its commands are named `<host>-<step>`), in registration order. */
export function hostStepBytes(resources: readonly RecordedResource[], host: string): Record<string, number> {
    const bytes: Record<string, number> = {};
    for (const r of resources) {
        if (isCommand(r) && r.name.startsWith(`${host}-`)) bytes[r.name.slice(host.length + 1)] = commandScriptBytes(r);
    }
    return bytes;
}

/** `preflight 8481 · tools 10248 · ...` */
export function stepBytesText(bytes: Readonly<Record<string, number>>): string {
    const entries = Object.entries(bytes);
    return entries.length === 0 ? "—" : entries.map(([step, n]) => `${step} ${n}`).join(" · ");
}

/** Steps of `bytes` above their budget, as `<step>: <bytes> > <budget>`; a step without a budget is one. */
export function overBudget(bytes: Readonly<Record<string, number>>, budgets: Readonly<Record<string, number>> = STEP_BYTE_BUDGETS): string[] {
    return Object.entries(bytes)
        .filter(([step, n]) => !(step in budgets) || n > budgets[step])
        .map(([step, n]) => `${step}: ${n} > ${budgets[step] ?? "no budget"}`);
}
