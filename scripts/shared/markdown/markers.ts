/** Generated sections of a Markdown file, between `<!-- BEGIN name -->` and `<!-- END name -->`. */

function markers(name: string): { begin: string; end: string } {
    return { begin: `<!-- BEGIN ${name} (generated) -->`, end: `<!-- END ${name} -->` };
}

/** The text between the markers, without the newlines next to them. */
export function betweenMarkers(text: string, name: string): string {
    const { begin, end } = markers(name);
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`no section "${name}" (${begin} ... ${end})`);
    return text.slice(from + begin.length, to).replace(/^\n/, "").replace(/\n$/, "");
}

/** `text` with the section replaced by `content`. */
export function replaceBetweenMarkers(text: string, name: string, content: string): string {
    const { begin, end } = markers(name);
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`no section "${name}" (${begin} ... ${end})`);
    return `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
}
