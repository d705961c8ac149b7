"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.placeholder = placeholder;
exports.parseStackFile = parseStackFile;
exports.readStackFile = readStackFile;
/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands it to a program: every value as a string
 * (lists and objects as JSON), encrypted (`secure:`) values listed as secrets. The offline plan
 * cannot decrypt: it replaces each encrypted value by a placeholder.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const yaml_1 = require("yaml");
/** Text put in place of an encrypted value the offline plan cannot read. */
function placeholder(key) {
    return `offline-placeholder-for-${key}`;
}
/** Replaces `{ secure: ... }` leaves by placeholders; returns whether any was found. */
function stripSecure(value, key) {
    if (Array.isArray(value)) {
        const items = value.map((v, i) => stripSecure(v, `${key}[${i}]`));
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value && typeof value === "object") {
        const obj = value;
        if (Object.keys(obj).length === 1 && typeof obj.secure === "string")
            return { value: placeholder(key), secret: true };
        const entries = Object.entries(obj).map(([k, v]) => [k, stripSecure(v, `${key}.${k}`)]);
        return { value: Object.fromEntries(entries.map(([k, v]) => [k, v.value])), secret: entries.some(([, v]) => v.secret) };
    }
    return { value, secret: false };
}
function parseStackFile(stack, text) {
    const doc = ((0, yaml_1.parse)(text) ?? {});
    const values = {};
    const secretKeys = [];
    for (const [key, raw] of Object.entries(doc.config ?? {})) {
        const { value, secret } = stripSecure(raw, key);
        values[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret)
            secretKeys.push(key);
    }
    return { stack, values, secretKeys };
}
function readStackFile(stack, root) {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack))
        throw new Error(`--stack: expected a stack name of letters, digits and . _ -, got ${JSON.stringify(stack)}`);
    const path = (0, node_path_1.join)(root, `Pulumi.${stack}.yaml`);
    let text;
    try {
        text = (0, node_fs_1.readFileSync)(path, "utf8");
    }
    catch {
        throw new Error(`no stack file ${path}: create it with \`pulumi stack init ${stack}\` and \`pulumi config set\``);
    }
    return parseStackFile(stack, text);
}
