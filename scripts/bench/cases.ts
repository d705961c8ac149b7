/** The stacks the benchmark plans: committed stack files, or one with its hosts replaced by N copies. */
import { readStackFile, StackConfig } from "../../components/config/stackFile";
import { withHostCount } from "../shared/planning/stackVariants";

/** `prod`, `staging`, or `<stack>:<hosts>` (e.g. `prod:50`); `floor` is the empty program. */
export interface BenchCase {
    readonly label: string;
    readonly stack: string;
    /** Replace the stack's hosts by this many copies of its first host. */
    readonly hosts?: number;
}

export const FLOOR = "floor";

export function parseBenchCase(text: string): BenchCase {
    const m = /^([A-Za-z0-9_.-]+)(?::(\d+))?$/.exec(text);
    if (!m) throw new Error(`expected a case like prod, staging or prod:50, got ${JSON.stringify(text)}`);
    return m[2] === undefined ? { label: text, stack: m[1] } : { label: text, stack: m[1], hosts: Number(m[2]) };
}

export function benchCaseStack(c: BenchCase, root: string): StackConfig {
    const base = readStackFile(c.stack, root);
    return c.hosts === undefined ? base : withHostCount(base, c.hosts);
}
