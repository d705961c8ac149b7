/**
 * The generated sections of docs/PERFORMANCE.md: remote commands per host on a first `up`, and the
 * configuration key → re-run table of each committed stack.
 */
import { stepNames } from "../../components/host/steps";
import { commandsPerHost } from "../shared/planning/commands";
import type { Plan } from "../shared/planning/plan";
import { RerunRow, rerunTable } from "./rerun";
import { readStackFile, StackConfig } from "../../components/config/stackFile";

/** The committed stacks the document describes. */
export const DOC_STACKS = ["prod", "staging"] as const;

export type Planner = (s: StackConfig) => Promise<Plan>;

function cell(names: readonly string[]): string {
    return names.length === 0 ? "—" : names.map((n) => `\`${n}\``).join(", ");
}

function code(text: string): string {
    return `\`${text.replace(/`/g, "'")}\``;
}

/** One Markdown table of the rows of a stack. */
export function rerunMarkdown(stack: string, rows: readonly RerunRow[]): string {
    const head = ["key", "changed to", "step scripts changed", "steps re-run", "other resources updated", "added", "removed"];
    const lines = rows.map((r) => {
        const key = `\`${r.key}\`${r.also.length > 0 ? ` (with ${r.also.map((a) => `\`${a}\``).join(", ")})` : ""}`;
        if (r.notApplicable !== undefined) return [key, `n/a: ${r.notApplicable}`, "", "", "", "", ""];
        const rerun = [...r.commandsRerun, ...r.commandsReplaced.map((n) => `${n} (REPLACED)`)];
        return [key, code(r.value), cell(r.stepScriptsChanged), cell(rerun), cell(r.resourcesUpdated), cell(r.added), cell(r.removed)];
    });
    return [`### ${stack}`, "", ...[head, head.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`)].join("\n");
}

/** Per host of each stack: its steps and the remote commands a first `up` runs. */
export function commandsMarkdown(plans: readonly Plan[]): string {
    const head = ["stack", "host", "transport", "host steps", "remote commands registered (each runs once on a first `up`)"];
    const lines = plans.flatMap((p) => {
        const perHost = commandsPerHost(p.run.resources, p.config.hosts.map((h) => h.name));
        return p.config.hosts.map((h) => [p.config.stack, h.name, h.transport, `${stepNames(p.config).length}: ${stepNames(p.config).join(", ")}`, String(perHost[h.name])]);
    });
    return [head, head.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** Both generated sections, from the committed stack files under `root`. */
export async function perfDocSections(root: string, plan: Planner): Promise<{ commands: string; rerun: string; rows: Record<string, RerunRow[]> }> {
    const plans: Plan[] = [];
    const rows: Record<string, RerunRow[]> = {};
    for (const stack of DOC_STACKS) {
        const config = readStackFile(stack, root);
        plans.push(await plan(config));
        rows[stack] = await rerunTable(config, plan, undefined, root);
    }
    return {
        commands: commandsMarkdown(plans),
        rerun: DOC_STACKS.map((s) => rerunMarkdown(s, rows[s])).join("\n\n"),
        rows,
    };
}
