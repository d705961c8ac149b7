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
 * and WinRM (staging) host's, rounded up to the next 500 bytes plus 5 %. What made them grow, in order:
 * the ACL reads as SIDs and the start-failure message of the NSSM throttling fix; reading Windows
 * Firewall's merged address ranges (firewall); removing the config.yml `service install` creates
 * (cloudflared); the delete scripts in the stdin document with the restores of destroy (folder DACL
 * records, the guide tunnel, the .env originals); the masking of secrets in a failing native program's
 * output (Hide-NovaSecretText, service and cloudflared); the bound line of every step
 * (components/host/stepBound.ts, about 690 bytes).
 */
export const STEP_BYTE_BUDGETS: Readonly<Record<StepName, number>> = {
    preflight: 13650,
    tools: 14700,
    dotenv: 18900,
    "certificate-request": 11025,
    certificate: 15225,
    service: 30450,
    cloudflared: 26775,
    firewall: 11025,
    health: 7875,
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
