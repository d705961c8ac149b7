/**
 * Parses PowerShell text with tree-sitter-powershell and reports syntax problems, so tests can check
 * that generated scripts are well-formed without a Windows machine. The grammar is the WebAssembly
 * build its package ships, run by web-tree-sitter: no native code to compile.
 */
import { decodeSingleQuoted, initPowerShellGrammar, nodesOfType, parsePowerShell, walk } from "../../analysis/powershell/grammar";

export { decodeSingleQuoted, nodesOfType, parsePowerShell };

/** Loads the grammar once; call from `beforeAll` before parsing. */
export const initPowerShellParser: () => Promise<void> = initPowerShellGrammar;

export interface ParseProblem {
    readonly kind: "ERROR" | "MISSING";
    readonly row: number;
    readonly column: number;
    readonly text: string;
}

/** Every ERROR and MISSING node of the parse of `text`. */
export function syntaxProblems(text: string): ParseProblem[] {
    const problems: ParseProblem[] = [];
    walk(parsePowerShell(text), (n) => {
        if (n.type === "ERROR" || n.isMissing) {
            problems.push({
                kind: n.isMissing ? "MISSING" : "ERROR",
                row: n.startPosition.row + 1,
                column: n.startPosition.column + 1,
                text: n.text.slice(0, 80),
            });
        }
    });
    return problems;
}

/** The value of the only single-quoted string literal in `text` (throws unless there is exactly one). */
export function onlySingleQuotedValue(text: string): string {
    const literals = nodesOfType(parsePowerShell(text), "verbatim_string_characters");
    if (literals.length !== 1) {
        throw new Error(`expected one single-quoted literal, found ${literals.length}`);
    }
    return decodeSingleQuoted(literals[0].text);
}

/** The values of every single-quoted string literal in `text`, in document order. */
export function singleQuotedValues(text: string): string[] {
    return nodesOfType(parsePowerShell(text), "verbatim_string_characters").map((n) => decodeSingleQuoted(n.text));
}
