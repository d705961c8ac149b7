/**
 * `npm run project-file`: rewrites the `config:` block of Pulumi.yaml and the README's configuration
 * reference from components/config/keys.ts, the one table of configuration keys (tests check they agree).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { stringify } from "yaml";
import { CONFIG_KEYS, projectSchemaEntry } from "../../components/config/keys";
import { ArgsError, helpText, parseCommandArgs, usageLine, wantsHelp } from "../shared/cli/args";
import { processIo, runCli } from "../shared/cli/cli";

export function renderConfigBlock(): string {
    const config: Record<string, unknown> = {};
    for (const k of CONFIG_KEYS) {
        const entry = projectSchemaEntry(k);
        if (entry) config[k.key] = entry;
    }
    // YAML 1.1, as the Pulumi CLI reads Pulumi.yaml (go-yaml v2): `off`, `on`, `yes`, `no` unquoted would be booleans.
    return stringify({ config }, { lineWidth: 0, version: "1.1" });
}

export const TABLE_START = "<!-- config-table:start -->";
export const TABLE_END = "<!-- config-table:end -->";

/** The README's reference table of every key. */
export function renderConfigTable(): string {
    const rows = CONFIG_KEYS.map((k) => {
        const dflt = k.default === undefined ? (k.required ? "required" : "—") : `\`${typeof k.default === "object" ? JSON.stringify(k.default) : String(k.default)}\``;
        return `| \`nova:${k.key}\` | ${k.secret ? `${k.type}, secret` : k.type} | ${dflt} | ${k.description.replace(/\|/g, "\\|")} |`;
    });
    return ["| key | type | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

export const PROJECT_FILE_SPEC = {
    name: "project-file",
    summary: "Rewrites the config block of Pulumi.yaml and the README's configuration table from components/config/keys.ts.",
    options: {},
} as const;

/** Runs the command; resolves with the exit code. Help and bad arguments write nothing. */
export async function main(argv: readonly string[], root = resolve(__dirname, "../.."), io = processIo): Promise<number> {
    if (wantsHelp(argv)) {
        io.stdout(helpText(PROJECT_FILE_SPEC));
        return 0;
    }
    try {
        parseCommandArgs(PROJECT_FILE_SPEC, argv);
    } catch (err) {
        if (!(err instanceof ArgsError)) throw err;
        io.stderr(`project-file: ${err.message}\n${usageLine(PROJECT_FILE_SPEC)}\n`);
        return 1;
    }
    const project = resolve(root, "Pulumi.yaml");
    const text = readFileSync(project, "utf8");
    writeFileSync(project, text.slice(0, text.indexOf("\nconfig:") + 1) + renderConfigBlock());
    const readme = resolve(root, "README.md");
    const doc = readFileSync(readme, "utf8");
    writeFileSync(readme, doc.slice(0, doc.indexOf(TABLE_START) + TABLE_START.length) + "\n" + renderConfigTable() + "\n" + doc.slice(doc.indexOf(TABLE_END)));
    io.stdout(`updated ${project} and ${readme}\n`);
    return 0;
}

if (require.main === module) {
    runCli("project-file", () => main(process.argv.slice(2)));
}
