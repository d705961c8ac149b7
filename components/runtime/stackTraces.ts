/**
 * Frame-free stack traces for the Pulumi SDK's promise bookkeeping. `@pulumi/pulumi` takes
 * `new Error().stack` for every promise it tracks (runtime/debuggable.js, `debuggablePromise`: about 49
 * per registered resource, 20,688 for 50 hosts) and prints those traces only in its promise-leak report
 * when `PULUMI_DEBUG_PROMISE_LEAKS` is set (`leakedPromises`: without it the report is a fixed text).
 * Capturing ten frames each, and keeping them alive with the promise, was the largest cost of a plan
 * for many hosts after the SDK's own garbage (docs/PERFORMANCE.md, *Where the time goes*). So, unless
 * that variable is set, the SDK's `debuggablePromise` runs with `Error.stackTraceLimit` 0: its trace is
 * the bare `Error` line that nothing prints. Every other trace (errors, and the SDK's resource source
 * positions, `Resource.callsites`) is taken and mapped to the TypeScript source as before. With the
 * variable set, nothing changes: the report shows full traces.
 */

/** The part of @pulumi/pulumi's runtime/debuggable module this changes (internal: its .d.ts exports nothing). */
export interface BookkeepingModule {
    debuggablePromise: ((...args: never[]) => unknown) & { novaFrameFree?: true };
}

/** `fn`, run with `Error.stackTraceLimit` 0 and the limit given back afterwards, whatever happens. */
export function frameFree<F extends (...args: never[]) => unknown>(fn: F): F {
    const wrapped = function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return fn.apply(this, args) as ReturnType<F>;
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    return wrapped as unknown as F;
}

/**
 * Makes the SDK's bookkeeping traces frame-free (once), unless `PULUMI_DEBUG_PROMISE_LEAKS` asks for
 * them. The SDK's modules call it as `debuggable_1.debuggablePromise(...)`, a property read at each call,
 * so replacing the export reaches every caller. Returns whether it changed it; a module without the
 * function (another SDK version) is left alone.
 */
export function installBookkeepingTraces(
    module: Partial<BookkeepingModule> = require("@pulumi/pulumi/runtime/debuggable") as Partial<BookkeepingModule>,
    env: NodeJS.ProcessEnv = process.env,
): boolean {
    const current = module.debuggablePromise;
    if (env.PULUMI_DEBUG_PROMISE_LEAKS || typeof current !== "function" || current.novaFrameFree) return false;
    module.debuggablePromise = Object.assign(frameFree(current), { novaFrameFree: true as const });
    return true;
}
