/**
 * The `pulumi import --file` document for the rows to import. Format (Pulumi CLI 3.94+, pulumi
 * import --help): `nameTable` maps a name to an existing URN; each entry of `resources` has the type
 * token, a `name` other entries can name as their `parent`, the `logicalName` the URN takes (default:
 * `name`), and the provider's import id, or `component: true` for a component that `pulumi import`
 * creates empty when the state does not hold it yet (the program fills it at the next `pulumi up`).
 * Every type, name and parent comes from the program's offline plan, so the URNs are the program's.
 */
import type { PlanResource } from "../shared/planning/plan";
import type { ProgramEdge } from "./programEdge";
import type { AdoptRow } from "./rows";

export interface ImportEntry {
    readonly type: string;
    readonly name: string;
    readonly id?: string;
    readonly parent?: string;
    readonly logicalName?: string;
    readonly component?: true;
}

export interface ImportDocument {
    readonly nameTable: Record<string, string>;
    readonly resources: ImportEntry[];
}

/** The key the stack's URN has in the name table. */
export const STACK_KEY = "stack";

/** The entry name of a component: its type's last part and its name (`NovaDns.nova`), unique in the program. */
export function componentKey(r: PlanResource): string {
    return `${r.type.split(":").pop()}.${r.name}`;
}

export function importDocument(rows: readonly AdoptRow[], edge: ProgramEdge): ImportDocument {
    const byUrn = new Map(edge.resources.map((r) => [r.urn, r]));
    const components: ImportEntry[] = [];
    const seen = new Set<string>();
    /** The entry name for `urn` as a parent, adding its component entry (and its parents') once. */
    const parentKey = (urn: string | null): string => {
        if (urn === null || urn === edge.stackUrn) return STACK_KEY;
        const comp = byUrn.get(urn);
        if (comp === undefined) throw new Error(`the plan has no resource ${urn}`);
        const key = componentKey(comp);
        if (!seen.has(key)) {
            seen.add(key);
            const parent = parentKey(comp.parent);
            components.push({ type: comp.type, name: key, logicalName: comp.name, component: true, parent });
        }
        return key;
    };
    const imports: ImportEntry[] = [];
    for (const row of rows) {
        if (row.action !== "import" || row.into === undefined) continue;
        const res = byUrn.get(row.into.urn);
        if (res === undefined) throw new Error(`the plan has no resource ${row.into.urn}`);
        imports.push({ type: res.type, name: res.name, id: row.into.importId, parent: parentKey(res.parent) });
    }
    return { nameTable: { [STACK_KEY]: edge.stackUrn }, resources: [...components, ...imports] };
}
