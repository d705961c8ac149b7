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
 * and WinRM (staging) host's, rounded up to the next 500 bytes plus 5 %. The bytes are the shipped
 * ones: stdin is packed (components/host/bootstrap.ts `packStdin`, raw deflate and base64, the runner
 * inside), the ssh command line is the loader of about 260 characters. Before the packing a prod host
 * carried 114,808 bytes (preflight 12688, tools 13799, dotenv 17733, service 28540, cloudflared
 * 25401, firewall 9576, health 7071), after it 42,622, and 41,386 with the shorter runner (preflight
 * 4634, tools 5442, dotenv 6734, service 8906, cloudflared 8814, firewall 3738, health 3118).
 */
export const STEP_BYTE_BUDGETS: Readonly<Record<StepName, number>> = {
    preflight: 5250,
    tools: 5775,
    dotenv: 7350,
    "certificate-request": 5250,
    certificate: 8400,
    service: 9450,
    cloudflared: 9450,
    firewall: 5250,
    health: 4200,
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
