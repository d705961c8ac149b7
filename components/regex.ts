/** `text` as a regular-expression pattern matching exactly `text` (every special character escaped). */
export function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
