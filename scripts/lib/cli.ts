/** What every command-line entry of the project does once it has a `main`: the exit code, and one plain line for a crash. */

/** Output functions for a command writing to this process's stdout and stderr. */
export const processIo = {
    stdout: (text: string): void => void process.stdout.write(text),
    stderr: (text: string): void => void process.stderr.write(text),
};

/** Runs `main` and sets the process exit code from it; an unexpected error prints `<name>: <message>` and sets `crashCode`. */
export function runCli(name: string, main: () => Promise<number>, crashCode = 1): void {
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
