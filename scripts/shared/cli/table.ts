/** Plain-text tables of the reports (drift, adopt, verify). */

/** Aligned columns: a header, a rule, the rows. */
export function table(rows: readonly (readonly string[])[]): string[] {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
    const line = (row: readonly string[]): string => row.map((text, c) => text.padEnd(widths[c])).join("  ").trimEnd();
    return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

/** Cells stay on one line. */
export const cell = (s: string): string => s.replace(/\r?\n/g, "\\n");
