"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.canonicalJson = canonicalJson;
exports.canonicalInputs = canonicalInputs;
exports.sha256 = sha256;
/**
 * Canonical text of what a run registered: JSON with object keys sorted at every level, so two runs
 * that registered the same resources with the same inputs give byte-identical text.
 */
const node_crypto_1 = require("node:crypto");
/** JSON of `value` with object keys sorted at every depth (undefined members dropped, as JSON does). */
function canonicalJson(value) {
    if (value === undefined)
        return "null";
    if (value === null || typeof value !== "object")
        return JSON.stringify(value);
    if (Array.isArray(value))
        return `[${value.map(canonicalJson).join(",")}]`;
    const obj = value;
    const members = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
    return `{${members.join(",")}}`;
}
/** One line per resource, `<urn> <sorted-key JSON of its wire inputs>`, in URN order. */
function canonicalInputs(resources) {
    return resources
        .map((r) => `${r.urn} ${canonicalJson(r.inputs)}`)
        .sort()
        .join("\n");
}
function sha256(text) {
    return (0, node_crypto_1.createHash)("sha256").update(text).digest("hex");
}
