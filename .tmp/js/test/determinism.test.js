"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const vitest_1 = require("vitest");
const canonical_1 = require("../scripts/lib/canonical");
const plan_1 = require("../scripts/lib/plan");
const stackFile_1 = require("../scripts/lib/stackFile");
const stackVariants_1 = require("../scripts/lib/stackVariants");
const harness_1 = require("./harness");
const STACKS = [
    ["prod", () => (0, stackFile_1.readStackFile)("prod", harness_1.ROOT)],
    ["staging", () => (0, stackFile_1.readStackFile)("staging", harness_1.ROOT)],
    ["prod with 10 hosts", () => (0, stackVariants_1.withHostCount)((0, stackFile_1.readStackFile)("prod", harness_1.ROOT), 10)],
];
(0, vitest_1.describe)("canonical inputs", () => {
    (0, vitest_1.it)("sorts object keys at every depth and keeps array order", () => {
        (0, vitest_1.expect)((0, canonical_1.canonicalJson)({ b: 1, a: { d: [{ f: 1, e: "x" }, 2], c: null, u: undefined } })).toBe('{"a":{"c":null,"d":[{"e":"x","f":1},2]},"b":1}');
    });
    (0, vitest_1.it)("differs when one input differs", async () => {
        const base = (0, stackFile_1.readStackFile)("prod", harness_1.ROOT);
        const a = await (0, plan_1.planOffline)(base, harness_1.program);
        const b = await (0, plan_1.planOffline)((0, stackVariants_1.withValues)(base, { "nova:appPort": "8001" }), harness_1.program);
        (0, vitest_1.expect)((0, canonical_1.canonicalInputs)(b.run.resources)).not.toBe((0, canonical_1.canonicalInputs)(a.run.resources));
    });
});
(0, vitest_1.describe)("two plans of the same stack", () => {
    vitest_1.it.each(STACKS)("%s: byte-identical inputs of every resource, and the same outputs", async (_, stack) => {
        const first = await (0, plan_1.planOffline)(stack(), harness_1.program);
        const second = await (0, plan_1.planOffline)(stack(), harness_1.program);
        const text = (0, canonical_1.canonicalInputs)(first.run.resources);
        (0, vitest_1.expect)(text.split("\n")).toHaveLength(first.run.resources.length);
        (0, vitest_1.expect)((0, canonical_1.canonicalInputs)(second.run.resources)).toBe(text);
        (0, vitest_1.expect)((0, canonical_1.canonicalJson)(second.run.outputs)).toBe((0, canonical_1.canonicalJson)(first.run.outputs));
    });
    (0, vitest_1.it)("gives one WindowsHostService per synthetic host, named host-01 ... host-10", async () => {
        const p = await (0, plan_1.planOffline)((0, stackVariants_1.withHostCount)((0, stackFile_1.readStackFile)("prod", harness_1.ROOT), 10), harness_1.program);
        (0, vitest_1.expect)(p.run.resources.filter((r) => r.type === "nova:host:WindowsHostService").map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `host-${String(i + 1).padStart(2, "0")}`));
    });
});
