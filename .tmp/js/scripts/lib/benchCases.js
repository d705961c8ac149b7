"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FLOOR = void 0;
exports.parseBenchCase = parseBenchCase;
exports.benchCaseStack = benchCaseStack;
/** The stacks the benchmark plans: committed stack files, or one with its hosts replaced by N copies. */
const stackFile_1 = require("./stackFile");
const stackVariants_1 = require("./stackVariants");
exports.FLOOR = "floor";
function parseBenchCase(text) {
    const m = /^([A-Za-z0-9_.-]+)(?::(\d+))?$/.exec(text);
    if (!m)
        throw new Error(`expected a case like prod, staging or prod:50, got ${JSON.stringify(text)}`);
    return m[2] === undefined ? { label: text, stack: m[1] } : { label: text, stack: m[1], hosts: Number(m[2]) };
}
function benchCaseStack(c, root) {
    const base = (0, stackFile_1.readStackFile)(c.stack, root);
    return c.hosts === undefined ? base : (0, stackVariants_1.withHostCount)(base, c.hosts);
}
