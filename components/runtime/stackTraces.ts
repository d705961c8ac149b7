/**
 * Cheaper stack traces for the Pulumi SDK's promise bookkeeping. `@pulumi/pulumi` takes
 * `new Error().stack` for every promise it tracks (runtime/debuggable.js, `debuggablePromise`: one per
 * input of every resource), kept only for its promise-leak report. Under ts-node each such trace is
 * formatted by source-map-support, which maps every frame through a source map: most of the plan's
 * time for many hosts (docs/PERFORMANCE.md, *Where the time goes*). Those traces are kept as their call
 * sites and formatted only if the SDK prints them (a leak report), with V8's own call-site text
 * (positions in the transpiled JavaScript); every other trace (errors, and
 * the SDK's resource source positions, `Resource.callsites`) is formatted as before, mapped to the
 * TypeScript source.
 */

/** Name of the SDK function whose traces are formatted without source maps. */
export const BOOKKEEPING_FRAME = "debuggablePromise";

type Prepare = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** Error text followed by V8's call-site lines, as V8 formats a trace without a prepareStackTrace hook. */
export function plainStack(error: Error, frames: readonly NodeJS.CallSite[]): string {
    const head = error.message ? `${error.name}: ${error.message}` : error.name;
    return frames.length === 0 ? head : `${head}\n    at ${frames.map(String).join("\n    at ")}`;
}

/** A trace formatted when it is first turned into text (the SDK only interpolates it into a report). */
export class DeferredStack {
    constructor(
        private readonly error: Error,
        private readonly frames: readonly NodeJS.CallSite[],
    ) {}
    toString(): string {
        return plainStack(this.error, this.frames);
    }
}

/** `prepare`, except for traces taken in BOOKKEEPING_FRAME. */
export function bookkeepingAware(prepare: Prepare): Prepare {
    return (error, frames) => (frames[0]?.getFunctionName() === BOOKKEEPING_FRAME ? new DeferredStack(error, frames) : prepare(error, frames));
}

/** Installs bookkeepingAware over the current hook (ts-node's source-map-support), once. */
export function installBookkeepingTraces(): void {
    const current = Error.prepareStackTrace as (Prepare & { novaBookkeeping?: true }) | undefined;
    if (current === undefined || current.novaBookkeeping) return;
    Error.prepareStackTrace = Object.assign(bookkeepingAware(current), { novaBookkeeping: true as const });
}
