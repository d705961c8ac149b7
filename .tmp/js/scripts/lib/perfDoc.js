"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DOC_STACKS = void 0;
exports.rerunMarkdown = rerunMarkdown;
exports.commandsMarkdown = commandsMarkdown;
exports.perfDocSections = perfDocSections;
/**
 * The generated sections of docs/PERFORMANCE.md: remote commands per host on a first `up`, and the
 * configuration key → re-run table of each committed stack.
 */
const steps_1 = require("../../components/host/steps");
const commands_1 = require("./commands");
const rerun_1 = require("./rerun");
const stackFile_1 = require("./stackFile");
/** The committed stacks the document describes. */
exports.DOC_STACKS = ["prod", "staging"];
function cell(names) {
    return names.length === 0 ? "—" : names.map((n) => `\`${n}\``).join(", ");
}
function code(text) {
    return `\`${text.replace(/`/g, "'")}\``;
}
/** One Markdown table of the rows of a stack. */
function rerunMarkdown(stack, rows) {
    const head = ["key", "changed to", "step scripts changed", "steps re-run", "other resources updated", "added", "removed"];
    const lines = rows.map((r) => {
        const key = `\`${r.key}\`${r.also.length > 0 ? ` (with ${r.also.map((a) => `\`${a}\``).join(", ")})` : ""}`;
        if (r.notApplicable !== undefined)
            return [key, `n/a: ${r.notApplicable}`, "", "", "", "", ""];
        const rerun = [...r.commandsRerun, ...r.commandsUpdatedWithoutTrigger.map((n) => `${n} (update)`)];
        return [key, code(r.value), cell(r.stepScriptsChanged), cell(rerun), cell(r.resourcesUpdated), cell(r.added), cell(r.removed)];
    });
    return [`### ${stack}`, "", ...[head, head.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`)].join("\n");
}
/** Per host of each stack: its steps and the remote commands a first `up` runs. */
function commandsMarkdown(plans) {
    const head = ["stack", "host", "transport", "host steps", "remote commands registered (each runs once on a first `up`)"];
    const lines = plans.flatMap((p) => {
        const perHost = (0, commands_1.commandsPerHost)(p.run.resources, p.config.hosts.map((h) => h.name));
        return p.config.hosts.map((h) => [p.config.stack, h.name, h.transport, `${(0, steps_1.stepNames)(p.config).length}: ${(0, steps_1.stepNames)(p.config).join(", ")}`, String(perHost[h.name])]);
    });
    return [head, head.map(() => "---"), ...lines].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}
/** Both generated sections, from the committed stack files under `root`. */
async function perfDocSections(root, plan) {
    const plans = [];
    const rows = {};
    for (const stack of exports.DOC_STACKS) {
        const config = (0, stackFile_1.readStackFile)(stack, root);
        plans.push(await plan(config));
        rows[stack] = await (0, rerun_1.rerunTable)(config, plan);
    }
    return {
        commands: commandsMarkdown(plans),
        rerun: exports.DOC_STACKS.map((s) => rerunMarkdown(s, rows[s])).join("\n\n"),
        rows,
    };
}
