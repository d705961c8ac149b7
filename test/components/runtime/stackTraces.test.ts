/**
 * The SDK's promise bookkeeping takes no stack frames unless PULUMI_DEBUG_PROMISE_LEAKS asks for them
 * (components/runtime/stackTraces.ts), and nothing else changes: the limit is given back, errors keep
 * their frames, the promises resolve and reject as before.
 */
import { describe, expect, it } from "vitest";
import { type BookkeepingModule, frameFree, installBookkeepingTraces } from "../../../components/runtime/stackTraces";

const FRAME = /\n\s+at /;

describe("frameFree", () => {
    it("takes traces without frames inside, and gives the limit back after a return or a throw", () => {
        const before = Error.stackTraceLimit;
        expect(new Error("outside").stack).toMatch(FRAME);
        const traced = frameFree((tag: string) => `${tag}:${new Error("inside").stack}`);
        expect(traced("a")).toMatch(/^a:Error: inside\s*$/);
        expect(Error.stackTraceLimit).toBe(before);
        const throws = frameFree(() => {
            throw new Error("thrown");
        });
        expect(throws).toThrow("thrown");
        expect(Error.stackTraceLimit).toBe(before);
        expect(new Error("after").stack).toMatch(FRAME);
    });

    it("passes this and the arguments through", () => {
        const target = { n: 2, add: frameFree(function (this: { n: number }, a: number, b: number) { return this.n + a + b; }) };
        expect(target.add(3, 4)).toBe(9);
    });
});

describe("installBookkeepingTraces", () => {
    const fake = (): Partial<BookkeepingModule> & { calls: unknown[][] } => {
        const calls: unknown[][] = [];
        return { calls, debuggablePromise: (...args: never[]) => (calls.push([...args, new Error().stack]), args[0]) };
    };

    it("wraps the module's debuggablePromise once, which then takes no frames", () => {
        const m = fake();
        expect(installBookkeepingTraces(m, {})).toBe(true);
        expect(installBookkeepingTraces(m, {})).toBe(false);
        const p = Promise.resolve(1);
        expect((m.debuggablePromise as unknown as (p: unknown, c: string) => unknown)(p, "ctx")).toBe(p);
        expect(m.calls.map((c) => c.slice(0, 2))).toEqual([[p, "ctx"]]);
        expect(String(m.calls[0][2])).toMatch(/^Error/);
        expect(String(m.calls[0][2])).not.toMatch(FRAME);
    });

    it("changes nothing when PULUMI_DEBUG_PROMISE_LEAKS is set, or without the function", () => {
        const m = fake();
        const original = m.debuggablePromise;
        expect(installBookkeepingTraces(m, { PULUMI_DEBUG_PROMISE_LEAKS: "1" })).toBe(false);
        expect(m.debuggablePromise).toBe(original);
        expect(installBookkeepingTraces({}, {})).toBe(false);
    });

    it("on the SDK: its tracked promises carry a frame-free trace and settle as before", async () => {
        const sdk = require("@pulumi/pulumi/runtime/debuggable") as BookkeepingModule & Record<string, unknown>;
        const track = (p: Promise<unknown>, ctx: string) => (sdk.debuggablePromise as unknown as (p: Promise<unknown>, c: string) => Promise<unknown>)(p, ctx);
        // The program (index.ts) installs it when loaded: by then or here, the SDK's function is the frame-free one.
        installBookkeepingTraces(sdk, {});
        expect(sdk.debuggablePromise.novaFrameFree).toBe(true);
        const ok = Promise.resolve("v");
        await expect(track(ok, "after")).resolves.toBe("v");
        const trace = String((ok as unknown as { _debugStackTrace: unknown })._debugStackTrace);
        expect(trace).toMatch(/^Error/);
        expect(trace).not.toMatch(FRAME);
        await expect(track(Promise.reject(new Error("no")), "rejects")).rejects.toThrow("no");
        expect(Error.stackTraceLimit).toBeGreaterThan(0);
    });
});
