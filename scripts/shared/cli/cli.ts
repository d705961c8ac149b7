/**
 * What every command-line entry of the project does once it has a `main`: the exit code, one plain
 * line for a crash, and a quiet end when the reader of its output goes away (`| head`).
 */

/** Output functions for a command writing to this process's stdout and stderr. */
export const processIo = {
    stdout: (text: string): void => void process.stdout.write(text),
    stderr: (text: string): void => void process.stderr.write(text),
};

/**
 * Makes a closed stdout or stderr (the reader of a pipe exited, as `| head` does) end the process
 * quietly with the exit code so far (0 if none yet), instead of an EPIPE stack trace.
 */
export function endQuietlyOnClosedOutput(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
    for (const stream of streams) {
        stream.on("error", (err: NodeJS.ErrnoException) => {
            if (err.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
            throw err;
        });
    }
}

/** Runs `main` and sets the process exit code from it; an unexpected error prints `<name>: <message>` and sets `crashCode`. */
export function runCli(name: string, main: () => Promise<number>, crashCode = 1): void {
    endQuietlyOnClosedOutput();
    main().then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exitCode = crashCode;
        },
    );
}
