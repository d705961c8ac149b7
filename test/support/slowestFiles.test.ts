import { describe, expect, it } from "vitest";
import { slowestLines } from "./slowestFiles";

describe("the slowest-files report", () => {
    it("lists the slowest files first, at most the number shown, in seconds", () => {
        const files = Array.from({ length: 12 }, (_, i) => ({ name: `test/f${i}.test.ts`, ms: i * 1000 + 50 }));
        const lines = slowestLines(files);
        expect(lines).toHaveLength(11);
        expect(lines[0]).toBe("Slowest 10 test files:");
        expect(lines[1]).toBe("  11.1 s  test/f11.test.ts");
        expect(lines[10]).toBe("   2.0 s  test/f2.test.ts");
        expect(slowestLines([{ name: "a", ms: 5 }], 10)).toEqual(["Slowest 1 test files:", "  0.0 s  a"]);
    });
});
