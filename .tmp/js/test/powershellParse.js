"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.initPowerShellParser = initPowerShellParser;
exports.parsePowerShell = parsePowerShell;
exports.syntaxProblems = syntaxProblems;
exports.nodesOfType = nodesOfType;
exports.decodeSingleQuoted = decodeSingleQuoted;
exports.onlySingleQuotedValue = onlySingleQuotedValue;
exports.singleQuotedValues = singleQuotedValues;
/**
 * Parses PowerShell text with tree-sitter-powershell and reports syntax problems, so tests can check
 * that generated scripts are well-formed without a Windows machine. The grammar is the WebAssembly
 * build its package ships, run by web-tree-sitter: no native code to compile.
 */
const node_path_1 = require("node:path");
const web_tree_sitter_1 = require("web-tree-sitter");
let parser;
/** Loads the grammar once; call from `beforeAll` before parsing. */
async function initPowerShellParser() {
    if (parser)
        return;
    await web_tree_sitter_1.Parser.init();
    const language = await web_tree_sitter_1.Language.load((0, node_path_1.join)(require.resolve("tree-sitter-powershell/package.json"), "..", "tree-sitter-powershell.wasm"));
    parser = new web_tree_sitter_1.Parser();
    parser.setLanguage(language);
}
/** Parses `text`; the tree's root node. */
function parsePowerShell(text) {
    if (!parser)
        throw new Error("call initPowerShellParser() first (in beforeAll)");
    const tree = parser.parse(text);
    if (!tree)
        throw new Error("the PowerShell parser returned no tree");
    return tree.rootNode;
}
function walk(node, visit) {
    visit(node);
    for (const child of node.children) {
        if (child)
            walk(child, visit);
    }
}
/** Every ERROR and MISSING node of the parse of `text`. */
function syntaxProblems(text) {
    const problems = [];
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
/** All nodes of a given type, in document order. */
function nodesOfType(root, type) {
    const found = [];
    walk(root, (n) => {
        if (n.type === type)
            found.push(n);
    });
    return found;
}
const QUOTE = /['\u2018\u2019\u201A\u201B]/;
/**
 * Decodes a PowerShell single-quoted literal as PowerShell's tokenizer does: the outer quotes go, and
 * inside, a quote character followed by another quote character stands for the second one. A lone quote
 * inside would have ended the literal, so it is an error here.
 */
function decodeSingleQuoted(literal) {
    const chars = Array.from(literal);
    if (chars.length < 2 || !QUOTE.test(chars[0]) || !QUOTE.test(chars[chars.length - 1])) {
        throw new Error(`not a single-quoted literal: ${literal}`);
    }
    const inner = chars.slice(1, -1);
    let out = "";
    for (let i = 0; i < inner.length; i++) {
        const c = inner[i];
        if (QUOTE.test(c)) {
            if (i + 1 >= inner.length || !QUOTE.test(inner[i + 1])) {
                throw new Error(`unescaped quote at ${i} in ${literal}`);
            }
            out += inner[i + 1];
            i++;
        }
        else {
            out += c;
        }
    }
    return out;
}
/** The value of the only single-quoted string literal in `text` (throws unless there is exactly one). */
function onlySingleQuotedValue(text) {
    const literals = nodesOfType(parsePowerShell(text), "verbatim_string_characters");
    if (literals.length !== 1) {
        throw new Error(`expected one single-quoted literal, found ${literals.length}`);
    }
    return decodeSingleQuoted(literals[0].text);
}
/** The values of every single-quoted string literal in `text`, in document order. */
function singleQuotedValues(text) {
    return nodesOfType(parsePowerShell(text), "verbatim_string_characters").map((n) => decodeSingleQuoted(n.text));
}
