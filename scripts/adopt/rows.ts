/** One line of the adopt table: an object found, and what the program will do with it. */

/**
 * import: the program takes it over as one of its resources (`pulumi import --file`);
 * replace: the program puts its own in its place at the next `pulumi up`, or (a tunnel) beside it, to retire after;
 * remove: it must go (a flag of adopt, or by hand), the program has no use for it;
 * keep: it stays as it is.
 */
export type AdoptAction = "import" | "replace" | "remove" | "keep";

export type ObjectKind = "dns-record" | "ruleset" | "page-rule" | "tunnel" | "host-item";

export interface AdoptRow {
    readonly kind: ObjectKind;
    /** The object, in a few words (type, name, target). */
    readonly object: string;
    /** Its id at Cloudflare, or `<host>/<step>/<item>` on a host. */
    readonly id: string;
    readonly action: AdoptAction;
    readonly why: string;
    /** import: the program's resource it goes into (its name in the plan) and the provider's import id. */
    readonly into?: { readonly urn: string; readonly name: string; readonly type: string; readonly importId: string };
    /** page-rule remove: the program's rule that replaces it, and whether that rule is in the zone now. */
    readonly replacedBy?: { readonly phase: string; readonly ref: string; readonly present: boolean };
    /** tunnel: the program's own, an old one its tunnel replaces, or a stray one holding the program's tunnel name. */
    readonly tunnel?: "ours" | "old" | "same-name";
    /** host-item: an item the host steps migrate from the guide's installation (`guide:` prefix). */
    readonly guideLeftover?: boolean;
}

/** Whether the row asks for something to be done. */
export const needsAdoption = (r: AdoptRow): boolean => r.action !== "keep";
