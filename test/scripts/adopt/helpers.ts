/** Running `adopt` in the tests: a temp directory with a stack file, the API stand-in, fake stack secrets and state. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { main, type AdoptDeps } from "../../../scripts/adopt/main";
import { sdkEdgeApi } from "../../../scripts/shared/cloudflare/api";
import type { StackView } from "../../../scripts/adopt/stackState";
import type { RemoteRunner } from "../../../scripts/shared/remote/run";
import { program, ROOT } from "../../support/harness";

/**
 * A temp directory holding `Pulumi.<stack>.yaml`: a committed stack file with keys replaced; beside a
 * stack that does not own its zone, its owner's (prod's) stack file, which it is checked against.
 */
export function stackDir(from: "prod" | "staging", stack: string, overrides: Record<string, unknown>): string {
    const root = mkdtempSync(join(tmpdir(), "nova-adopt-"));
    const doc = parse(readFileSync(join(ROOT, `Pulumi.${from}.yaml`), "utf8")) as { config: Record<string, unknown> };
    for (const [k, v] of Object.entries(overrides)) {
        if (v === undefined) delete doc.config[k];
        else doc.config[k] = v;
    }
    writeFileSync(join(root, `Pulumi.${stack}.yaml`), stringify(doc));
    if (doc.config["nova:manageZone"] === false) copyFileSync(join(ROOT, "Pulumi.prod.yaml"), join(root, "Pulumi.prod.yaml"));
    return root;
}

export interface AdoptRun {
    readonly code: number;
    readonly out: string;
    readonly err: string;
    /** Files the command wrote, by path. */
    readonly written: Record<string, string>;
}

export interface AdoptSetup {
    readonly root: string;
    readonly stack: string;
    /** The stand-in's base URL. */
    readonly baseURL: string;
    /** What `pulumi config --show-secrets` and the state would give; a string makes the reader fail with it. */
    readonly view: StackView | string;
    readonly runRemote?: RemoteRunner;
}

export const NO_REMOTE: RemoteRunner = async () => {
    throw new Error("no host in this test");
};

export async function adopt(setup: AdoptSetup, argv: string[]): Promise<AdoptRun> {
    let out = "";
    let err = "";
    const written: Record<string, string> = {};
    const deps: AdoptDeps = {
        rootDir: setup.root,
        stdout: (t) => (out += t),
        stderr: (t) => (err += t),
        readStack: async () => {
            if (typeof setup.view === "string") throw new Error(setup.view);
            return setup.view;
        },
        edgeApi: (apiToken) => sdkEdgeApi({ apiToken, baseURL: setup.baseURL, timeoutMs: 5_000, maxRetries: 0 }),
        runRemote: setup.runRemote ?? NO_REMOTE,
        readFile: (p) => readFileSync(p, "utf8"),
        writeFile: (p, text) => void (written[p] = text),
        env: {},
        program,
    };
    const code = await main(["--stack", setup.stack, ...argv], deps);
    return { code, out, err, written };
}

/** The table row (a line of the text output) whose object cell starts with `object`. */
export function rowOf(out: string, object: string): string | undefined {
    return out.split("\n").find((l) => l.startsWith(object));
}
