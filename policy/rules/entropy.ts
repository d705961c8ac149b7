/**
 * No secret on a command line or in a command's environment as a literal. Secrets reach the host on
 * stdin (components/host/bootstrap.ts), never in `create`/`update`/`delete` (visible to process
 * auditing and in the engine's logs) nor in `environment`, except the WinRM runner's password
 * NOVA_WINRM_PASSWORD, which the program passes as a Pulumi secret (the policy sees secrets in plain
 * text and cannot tell them apart, hence the name). A command line of one of our shapes
 * (policy/rules/scriptText.ts: the fixed bootstrap, an inline script, the WinRM runner) is checked
 * through the script it carries (its string literals), not its base64 or the project's paths; any other
 * command line is checked as text.
 *
 * A literal is high-entropy when a run of 20 or more characters of the base64/token alphabet has a
 * Shannon entropy of at least 4.2 bits per character, or a run of 32 or more hex digits has at least
 * 3.0 (random hex peaks at 4): API keys, tunnel tokens, passwords, not paths or rule names.
 */
import { constantValues, descendants, parseScript } from "./psScript";
import { COMMAND_LINE_KEYS, commandLine } from "./scriptText";
import { isCommand, type Props, stringProp } from "./types";

/** Environment keys that carry a secret by design (passed as Pulumi secrets by the program). */
export const SECRET_ENVIRONMENT_KEYS: readonly string[] = ["NOVA_WINRM_PASSWORD"];

/** Shannon entropy of `text`, in bits per character. */
export function shannonEntropy(text: string): number {
    const counts = new Map<string, number>();
    for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
    let bits = 0;
    for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
    return bits;
}

/** The high-entropy runs of `text`. */
export function highEntropyRuns(text: string): string[] {
    const found = new Set<string>();
    for (const m of text.matchAll(/[A-Za-z0-9+/_\-.~]{20,}={0,2}/g)) if (shannonEntropy(m[0]) >= 4.2) found.add(m[0]);
    for (const m of text.matchAll(/[0-9a-fA-F]{32,}/g)) if (shannonEntropy(m[0]) >= 3.0) found.add(m[0]);
    return [...found];
}

function scriptLiterals(text: string): string[] {
    const script = parseScript(text);
    const out: string[] = [];
    for (const type of ["string_literal", "generic_token"]) for (const n of descendants(script.root, type)) out.push(...(constantValues(n) ?? [n.text]));
    return out;
}

const shown = (run: string) => `of ${run.length} characters`;

/** Violations of "no high-entropy literal on a command line or in the environment". */
export function literalSecretViolations(type: string, props: Props): string[] {
    if (!isCommand(type)) return [];
    const out: string[] = [];
    for (const key of COMMAND_LINE_KEYS) {
        const line = stringProp(props, key);
        if (line === undefined) continue;
        const shape = commandLine(line);
        if (shape.kind === "unknown") {
            for (const run of highEntropyRuns(line)) out.push(`${key} holds a high-entropy literal ${shown(run)}: pass secrets on stdin`);
        } else if (shape.kind !== "bootstrap" && shape.script !== undefined) {
            for (const run of scriptLiterals(shape.script).flatMap(highEntropyRuns)) out.push(`${key}'s script holds a high-entropy literal ${shown(run)}: pass secrets on stdin`);
        }
    }
    const env = props.environment;
    if (env && typeof env === "object") {
        for (const [name, value] of Object.entries(env as Props)) {
            if (SECRET_ENVIRONMENT_KEYS.includes(name) || typeof value !== "string") continue;
            for (const run of highEntropyRuns(value)) out.push(`environment ${name} holds a high-entropy literal ${shown(run)}: pass secrets on stdin or as the runner's secret`);
        }
    }
    return [...new Set(out)];
}
