"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.program = exports.ROOT = void 0;
exports.stackWith = stackWith;
exports.plan = plan;
exports.runRaw = runRaw;
exports.ofType = ofType;
exports.one = one;
/**
 * Runs the real program (index.ts) under the mock runtime for the tests, from a committed stack
 * file with overrides, and helps read what it registered.
 */
const node_path_1 = require("node:path");
const mockRuntime_1 = require("../scripts/lib/mockRuntime");
const plan_1 = require("../scripts/lib/plan");
const stackFile_1 = require("../scripts/lib/stackFile");
exports.ROOT = (0, node_path_1.resolve)(__dirname, "..");
const index_1 = __importDefault(require("../index"));
/** The program exactly as `pulumi preview` runs it. */
exports.program = index_1.default;
/** A committed stack file with keys set (string) or removed (undefined); `secrets` are set as secrets. */
function stackWith(stack, overrides = {}, secrets = {}) {
    const base = (0, stackFile_1.readStackFile)(stack, exports.ROOT);
    const values = { ...base.values };
    for (const [k, v] of Object.entries({ ...overrides, ...secrets })) {
        if (v === undefined)
            delete values[k];
        else
            values[k] = v;
    }
    return { stack, values, secretKeys: [...new Set([...base.secretKeys, ...Object.keys(secrets)])] };
}
/** The offline plan of a stack (secrets the file lacks stand in as placeholders). */
function plan(stack, overrides = {}, secrets = {}) {
    return (0, plan_1.planOffline)(stackWith(stack, overrides, secrets), exports.program);
}
/** Runs the program directly with exactly this configuration (no stand-ins); returns what got registered and the failure. */
async function runRaw(config) {
    const resources = [];
    try {
        await (0, mockRuntime_1.runUnderMocks)(exports.program, { project: "nova", stack: config.stack, config: config.values, secretKeys: config.secretKeys }, resources);
        return { resources };
    }
    catch (error) {
        return { resources, error: error };
    }
}
/** Resources of a type (full token), in registration order. */
function ofType(p, type) {
    return p.run.resources.filter((r) => r.type === type);
}
/** The one resource with this type and name. */
function one(p, type, name) {
    const found = p.run.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1)
        throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${p.run.resources.map((r) => `${r.type}::${r.name}`).join(", ")}`);
    return found[0];
}
