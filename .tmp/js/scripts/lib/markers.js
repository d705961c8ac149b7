"use strict";
/** Generated sections of a Markdown file, between `<!-- BEGIN name -->` and `<!-- END name -->`. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.betweenMarkers = betweenMarkers;
exports.replaceBetweenMarkers = replaceBetweenMarkers;
function markers(name) {
    return { begin: `<!-- BEGIN ${name} (generated) -->`, end: `<!-- END ${name} -->` };
}
/** The text between the markers, without the newlines next to them. */
function betweenMarkers(text, name) {
    const { begin, end } = markers(name);
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from)
        throw new Error(`no section "${name}" (${begin} ... ${end})`);
    return text.slice(from + begin.length, to).replace(/^\n/, "").replace(/\n$/, "");
}
/** `text` with the section replaced by `content`. */
function replaceBetweenMarkers(text, name, content) {
    const { begin, end } = markers(name);
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from)
        throw new Error(`no section "${name}" (${begin} ... ${end})`);
    return `${text.slice(0, from + begin.length)}\n${content}\n${text.slice(to)}`;
}
