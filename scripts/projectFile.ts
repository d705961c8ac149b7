/**
 * `npm run project-file`: rewrites the `config:` block of Pulumi.yaml from components/config/keys.ts,
 * the one table of configuration keys (a test checks the two agree).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { stringify } from "yaml";
import { CONFIG_KEYS, projectSchemaEntry } from "../components/config/keys";

export function renderConfigBlock(): string {
    const config: Record<string, unknown> = {};
    for (const k of CONFIG_KEYS) {
        const entry = projectSchemaEntry(k);
        if (entry) config[k.key] = entry;
    }
    return stringify({ config }, { lineWidth: 0 });
}

if (require.main === module) {
    const file = resolve(__dirname, "..", "Pulumi.yaml");
    const text = readFileSync(file, "utf8");
    const head = text.slice(0, text.indexOf("\nconfig:") + 1);
    writeFileSync(file, head + renderConfigBlock());
}
