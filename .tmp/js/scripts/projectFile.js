"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TABLE_END = exports.TABLE_START = void 0;
exports.renderConfigBlock = renderConfigBlock;
exports.renderConfigTable = renderConfigTable;
/**
 * `npm run project-file`: rewrites the `config:` block of Pulumi.yaml and the README's configuration
 * reference from components/config/keys.ts, the one table of configuration keys (tests check they agree).
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const yaml_1 = require("yaml");
const keys_1 = require("../components/config/keys");
function renderConfigBlock() {
    const config = {};
    for (const k of keys_1.CONFIG_KEYS) {
        const entry = (0, keys_1.projectSchemaEntry)(k);
        if (entry)
            config[k.key] = entry;
    }
    return (0, yaml_1.stringify)({ config }, { lineWidth: 0 });
}
exports.TABLE_START = "<!-- config-table:start -->";
exports.TABLE_END = "<!-- config-table:end -->";
/** The README's reference table of every key. */
function renderConfigTable() {
    const rows = keys_1.CONFIG_KEYS.map((k) => {
        const dflt = k.default === undefined ? (k.required ? "required" : "—") : Array.isArray(k.default) ? "`[]`" : `\`${String(k.default)}\``;
        return `| \`nova:${k.key}\` | ${k.secret ? `${k.type}, secret` : k.type} | ${dflt} | ${k.description.replace(/\|/g, "\\|")} |`;
    });
    return ["| key | type | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}
if (require.main === module) {
    const root = (0, node_path_1.resolve)(__dirname, "..");
    const project = (0, node_path_1.resolve)(root, "Pulumi.yaml");
    const text = (0, node_fs_1.readFileSync)(project, "utf8");
    (0, node_fs_1.writeFileSync)(project, text.slice(0, text.indexOf("\nconfig:") + 1) + renderConfigBlock());
    const readme = (0, node_path_1.resolve)(root, "README.md");
    const doc = (0, node_fs_1.readFileSync)(readme, "utf8");
    (0, node_fs_1.writeFileSync)(readme, doc.slice(0, doc.indexOf(exports.TABLE_START) + exports.TABLE_START.length) + "\n" + renderConfigTable() + "\n" + doc.slice(doc.indexOf(exports.TABLE_END)));
}
