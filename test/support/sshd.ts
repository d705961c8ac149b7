/**
 * A throwaway OpenSSH server on 127.0.0.1 for the SSH runner's tests. Everything lives in a temp dir:
 * host key and client key (ssh-keygen, ed25519), authorized_keys, sshd_config, pid file. sshd runs in the
 * foreground (`-D -e`) as the current user. `ForceCommand` points at a wrapper that records
 * `$SSH_ORIGINAL_COMMAND` and runs it with a stand-in `powershell.exe` first on PATH; the stand-in
 * unpacks its stdin the way the bootstrap's loader does (raw inflate of base64, the runner `BOOTSTRAP_TEXT`
 * then NUL then the document; anything else fails, as the loader would), records its arguments and the
 * document and answers the canned line of the script it was given: an audit
 * script gets the audit line of its step; a create script gets `{"step":..., "changed":[...]}` (or
 * fails, when told to), and may switch its step's audit answer, the way a host that converged would.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { BOOTSTRAP_TEXT } from "../../components/host/bootstrap";

export const SSHD = "/usr/sbin/sshd";

export interface StandInRecord {
    readonly args: string[];
    /** The document the packed stdin carried (`buildStdin`'s text). */
    readonly stdin: string;
}

/** How the stand-in answers the create script of a step. */
export type CreateAnswer =
    /** Succeeds naming `changed`; from then on the step's audit answers `auditAfter` (when given). */
    | { readonly changed: readonly string[]; readonly auditAfter?: string }
    /** Fails with this exit code and stderr line. */
    | { readonly exitCode: number; readonly stderr: string };

export interface SshdFixture {
    readonly port: number;
    readonly user: string;
    /** `ssh-ed25519 AAAA...` of the server. */
    readonly hostKeyLine: string;
    /** A different host key line (for the mismatch case). */
    readonly otherHostKeyLine: string;
    /** OpenSSH private key of the authorized client. */
    readonly clientKey: string;
    /**
     * Sets the audit lines the stand-in answers, by step name, and its answers to create scripts
     * (a step not listed there succeeds changing nothing).
     */
    setAnswers(audit: Record<string, string>, create?: Record<string, CreateAnswer>): void;
    /** Command lines sshd received, in order. */
    commands(): string[];
    /** Invocations of the stand-in, in order. */
    records(): StandInRecord[];
    /** Forgets what was recorded. */
    clear(): void;
    stop(): Promise<void>;
}

function keygen(path: string, comment: string): void {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], { stdio: "ignore" });
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = createServer();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address() as { port: number };
            srv.close(() => resolve(port));
        });
    });
}

function canConnect(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const s = connect({ host: "127.0.0.1", port });
        s.once("connect", () => {
            s.destroy();
            resolve(true);
        });
        s.once("error", () => resolve(false));
    });
}

const STAND_IN = String.raw`
const fs = require("fs");
const path = require("path");
const dir = process.argv[2];
const args = process.argv.slice(3);
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const packed = Buffer.concat(chunks).toString("utf8");
  let text = "";
  try {
    if (/^[A-Za-z0-9+/]*={0,2}\s*$/.test(packed)) text = require("zlib").inflateRawSync(Buffer.from(packed, "base64")).toString("utf8");
  } catch (err) { text = ""; }
  const at = text.indexOf("\0");
  if (at < 0 || text.slice(0, at) !== fs.readFileSync(path.join(dir, "runner.txt"), "utf8")) {
    process.stderr.write("stand-in: stdin is not a packed document of the bootstrap\n");
    process.exitCode = 1;
    return;
  }
  const stdin = text.slice(at + 1);
  const records = path.join(dir, "records");
  const n = fs.readdirSync(records).length;
  fs.writeFileSync(path.join(records, String(n).padStart(4, "0") + ".json"), JSON.stringify({ args, stdin }));
  const file = path.join(dir, "answers.json");
  const answers = JSON.parse(fs.readFileSync(file, "utf8"));
  const create = /Write-NovaJson \(\[ordered\]@\{ step = '([a-z]+)'; changed = /.exec(stdin);
  if (create) {
    const step = create[1];
    const a = answers.create[step] || { changed: [] };
    if (a.exitCode !== undefined) {
      process.stderr.write(a.stderr + "\n");
      process.exitCode = a.exitCode;
      return;
    }
    if (a.auditAfter !== undefined) {
      answers.audit[step] = a.auditAfter;
      fs.writeFileSync(file, JSON.stringify(answers));
    }
    process.stdout.write("stand-in log line\n" + JSON.stringify({ step, changed: a.changed }) + "\n");
    return;
  }
  const m = /Write-NovaJson \(\[ordered\]@\{ step = '([a-z]+)'; items = /.exec(stdin);
  const step = m ? m[1] : "unknown";
  process.stdout.write("stand-in log line\n" + (answers.audit[step] || JSON.stringify({ step, items: [] })) + "\n");
});
`;

/** Options of `startSshd`. */
export interface SshdOptions {
    /**
     * A program to install as `powershell.exe` on the account's PATH instead of the stand-in (it is
     * given the command line's arguments, stdin and stdout).
     */
    readonly powershell?: string;
}

/** Starts sshd; rejects with the reason when it cannot. */
export async function startSshd(options: SshdOptions = {}): Promise<SshdFixture> {
    if (!existsSync(SSHD)) throw new Error(`${SSHD} is not installed (apt-get install -y openssh-server)`);
    const dir = mkdtempSync(join(tmpdir(), "nova-sshd-"));
    const user = userInfo().username;
    keygen(join(dir, "host_ed25519"), "drift-test-host");
    keygen(join(dir, "other_ed25519"), "drift-test-other");
    keygen(join(dir, "client_ed25519"), "drift-test-client");
    writeFileSync(join(dir, "authorized_keys"), readFileSync(join(dir, "client_ed25519.pub")));
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "records"));
    writeFileSync(join(dir, "answers.json"), JSON.stringify({ audit: {}, create: {} }));
    writeFileSync(join(dir, "standin.js"), STAND_IN);
    writeFileSync(join(dir, "runner.txt"), BOOTSTRAP_TEXT);
    const powershell = options.powershell !== undefined ? `'${options.powershell}'` : `'${process.execPath}' '${join(dir, "standin.js")}' '${dir}'`;
    writeFileSync(join(dir, "bin", "powershell.exe"), `#!/bin/sh\nexec ${powershell} "$@"\n`);
    writeFileSync(
        join(dir, "force.sh"),
        `#!/bin/sh\nprintf '%s\\n' "$SSH_ORIGINAL_COMMAND" >> '${join(dir, "commands.log")}'\nPATH='${join(dir, "bin")}':"$PATH"\nexport PATH\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`,
    );
    chmodSync(join(dir, "bin", "powershell.exe"), 0o755);
    chmodSync(join(dir, "force.sh"), 0o755);
    const port = await freePort();
    writeFileSync(
        join(dir, "sshd_config"),
        [
            `Port ${port}`,
            "ListenAddress 127.0.0.1",
            `HostKey ${join(dir, "host_ed25519")}`,
            `PidFile ${join(dir, "sshd.pid")}`,
            `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            `AllowUsers ${user}`,
            `ForceCommand ${join(dir, "force.sh")}`,
            "",
        ].join("\n"),
    );
    // sshd started as root wants its privilege separation directory.
    if (process.getuid?.() === 0) mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    const child: ChildProcess = spawn(SSHD, ["-D", "-e", "-f", join(dir, "sshd_config")], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(port))) {
        if (child.exitCode !== null || Date.now() > deadline) {
            child.kill();
            rmSync(dir, { recursive: true, force: true });
            throw new Error(`sshd did not start: ${log.trim() || "no output"}`);
        }
        await new Promise((r) => setTimeout(r, 50));
    }
    const pub = (name: string): string => readFileSync(join(dir, `${name}.pub`), "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
    return {
        port,
        user,
        hostKeyLine: pub("host_ed25519"),
        otherHostKeyLine: pub("other_ed25519"),
        clientKey: readFileSync(join(dir, "client_ed25519"), "utf8"),
        setAnswers: (audit, create = {}) => writeFileSync(join(dir, "answers.json"), JSON.stringify({ audit, create })),
        commands: () => (existsSync(join(dir, "commands.log")) ? readFileSync(join(dir, "commands.log"), "utf8").split("\n").filter((l) => l.length > 0) : []),
        records: () =>
            readdirSync(join(dir, "records"))
                .sort()
                .map((f) => JSON.parse(readFileSync(join(dir, "records", f), "utf8")) as StandInRecord),
        clear: () => {
            rmSync(join(dir, "records"), { recursive: true, force: true });
            mkdirSync(join(dir, "records"));
            rmSync(join(dir, "commands.log"), { force: true });
        },
        stop: async () => {
            if (child.exitCode === null) {
                child.kill("SIGTERM");
                await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
            }
            rmSync(dir, { recursive: true, force: true });
        },
    };
}
