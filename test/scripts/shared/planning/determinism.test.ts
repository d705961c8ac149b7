import { describe, expect, it } from "vitest";
import { canonicalInputs, canonicalJson } from "../../../../scripts/shared/planning/canonical";
import { planOffline } from "../../../../scripts/shared/planning/plan";
import { readStackFile, StackConfig } from "../../../../components/config/stackFile";
import { withHostCount, withValues } from "../../../../scripts/shared/planning/stackVariants";
import { program, ROOT } from "../../../support/harness";

const STACKS: [string, () => StackConfig][] = [
    ["prod", () => readStackFile("prod", ROOT)],
    ["staging", () => readStackFile("staging", ROOT)],
    ["prod with 10 hosts", () => withHostCount(readStackFile("prod", ROOT), 10)],
];

describe("canonical inputs", () => {
    it("sorts object keys at every depth and keeps array order", () => {
        expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: "x" }, 2], c: null, u: undefined } })).toBe('{"a":{"c":null,"d":[{"e":"x","f":1},2]},"b":1}');
    });

    it("differs when one input differs", async () => {
        const base = readStackFile("prod", ROOT);
        const a = await planOffline(base, program);
        const b = await planOffline(withValues(base, { "nova:appPort": "8001" }), program);
        expect(canonicalInputs(b.run.resources)).not.toBe(canonicalInputs(a.run.resources));
    });
});

describe("two plans of the same stack", () => {
    it.each(STACKS)("%s: byte-identical inputs of every resource, and the same outputs", async (_, stack) => {
        const first = await planOffline(stack(), program);
        const second = await planOffline(stack(), program);
        const text = canonicalInputs(first.run.resources);
        expect(text.split("\n")).toHaveLength(first.run.resources.length);
        expect(canonicalInputs(second.run.resources)).toBe(text);
        expect(canonicalJson(second.run.outputs)).toBe(canonicalJson(first.run.outputs));
    });

    it("gives one WindowsHostService per synthetic host, named host-01 ... host-10", async () => {
        const p = await planOffline(withHostCount(readStackFile("prod", ROOT), 10), program);
        expect(p.run.resources.filter((r) => r.type === "nova:host:WindowsHostService").map((r) => r.name)).toEqual(
            Array.from({ length: 10 }, (_, i) => `host-${String(i + 1).padStart(2, "0")}`),
        );
    });
});
