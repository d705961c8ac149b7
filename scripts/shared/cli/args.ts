/**
 * Command-line arguments of every command, one way: each command declares its options once (a
 * `CommandSpec`) and gets from it the strict parser, the one-line usage and the `--help` text.
 * Unknown options, a missing value, a value given to a switch and positional arguments are refused
 * with an `ArgsError` naming the option. A command's entry does, in this order:
 *
 *     export const SPEC = { name: "adopt", summary: "...", options: { stack: { type: "string", value: "NAME", description: "..." } } } as const;
 *     if (wantsHelp(argv)) { io.stdout(helpText(SPEC)); return 0; }          // before anything else
 *     try { values = parseCommandArgs(SPEC, argv); } catch (err) {            // then its own checks, as ArgsError
 *         io.stderr(`adopt: ${(err as Error).message}\n${usageLine(SPEC)}\n`); return 1;
 *     }
 *     const stack = chooseStack(values.stack, "adopt", root, io.stderr);      // selectedStack.ts
 */

/** One option, `--<name>` (and `-<short>`). */
export interface OptionSpec {
    /** `string` takes a value (`--stack NAME` or `--stack=NAME`); `boolean` is a switch. */
    readonly type: "string" | "boolean";
    /** Placeholder of the value in the usage (`NAME`, `DIR`), string options only. */
    readonly value?: string;
    /** One-letter alias, without the dash. */
    readonly short?: string;
    /** What the option does, one line. */
    readonly description: string;
}

export interface CommandSpec<O extends Readonly<Record<string, OptionSpec>> = Readonly<Record<string, OptionSpec>>> {
    /** The npm script: `npm run <name>`. */
    readonly name: string;
    /** What the command does, first line of the help. */
    readonly summary: string;
    readonly options: O;
    /** Further help text (exit codes, examples), printed after the options. */
    readonly details?: string;
}

/** The parsed values: a string or `true` for each option given, absent for the others. */
export type ArgValues<O extends Readonly<Record<string, OptionSpec>>> = {
    readonly [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string;
};

/** A command line the command does not accept. */
export class ArgsError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ArgsError";
    }
}

/** `--stack NAME` of the commands that work on a stack (resolved with `chooseStack`, scripts/shared/cli/selectedStack.ts). */
export const STACK_OPTION = { type: "string", value: "NAME", description: "the stack (default: the stack selected in the Pulumi CLI, else prod)" } as const;

export const HELP_FLAGS: readonly string[] = ["--help", "-h"];

/** True when the command line asks for help (before `--`): the command then prints `helpText` and does nothing else. */
export function wantsHelp(argv: readonly string[]): boolean {
    const end = argv.indexOf("--");
    return (end < 0 ? argv : argv.slice(0, end)).some((a) => HELP_FLAGS.includes(a));
}

function flag(name: string, o: OptionSpec): string {
    return o.type === "string" ? `--${name} ${o.value ?? "VALUE"}` : `--${name}`;
}

/** `usage: npm run <name> -- [--a X] [--b]`. */
export function usageLine(spec: CommandSpec): string {
    const opts = Object.entries(spec.options).map(([n, o]) => ` [${flag(n, o)}]`).join("");
    return opts ? `usage: npm run ${spec.name} --${opts} [--help]` : `usage: npm run ${spec.name} [-- --help]`;
}

/** The `--help` text: summary, usage, every option, details. */
export function helpText(spec: CommandSpec): string {
    const rows = [
        ...Object.entries(spec.options).map(([n, o]) => [`${o.short ? `-${o.short}, ` : ""}${flag(n, o)}`, o.description]),
        ["-h, --help", "print this help and exit"],
    ];
    const width = Math.max(...rows.map(([left]) => left.length));
    const lines = [spec.summary, "", usageLine(spec), "", "options:", ...rows.map(([left, text]) => `  ${left.padEnd(width)}  ${text}`)];
    if (spec.details) lines.push("", spec.details);
    return `${lines.join("\n")}\n`;
}

/** Parses `argv` strictly against the spec (help flags are left to `wantsHelp`). */
export function parseCommandArgs<O extends Readonly<Record<string, OptionSpec>>>(spec: CommandSpec<O>, argv: readonly string[]): ArgValues<O> {
    const values: Record<string, string | boolean> = {};
    const byShort = new Map(Object.entries(spec.options).flatMap(([n, o]) => (o.short ? [[o.short, n] as const] : [])));
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (HELP_FLAGS.includes(arg)) continue;
        if (arg === "--") {
            if (i + 1 < argv.length) throw new ArgsError(`unexpected argument ${JSON.stringify(argv[i + 1])}`);
            break;
        }
        const long = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
        const name = long ? long[1] : /^-([A-Za-z])$/.test(arg) ? byShort.get(arg.slice(1)) : undefined;
        if (!long && !/^-[A-Za-z]$/.test(arg)) throw new ArgsError(`unexpected argument ${JSON.stringify(arg)}`);
        const option = name === undefined ? undefined : spec.options[name];
        if (name === undefined || option === undefined || !Object.prototype.hasOwnProperty.call(spec.options, name)) {
            throw new ArgsError(`unknown option ${JSON.stringify(arg.split("=")[0])}`);
        }
        if (name in values) throw new ArgsError(`--${name}: given twice`);
        const inline = long?.[2];
        if (option.type === "boolean") {
            if (inline !== undefined) throw new ArgsError(`--${name}: takes no value (got ${JSON.stringify(inline)})`);
            values[name] = true;
            continue;
        }
        const value = inline ?? argv[i + 1];
        if (inline === undefined) {
            if (value === undefined || value.startsWith("-")) throw new ArgsError(`--${name}: expects a value (${option.value ?? "VALUE"})`);
            i++;
        }
        if (value === "") throw new ArgsError(`--${name}: expects a value (${option.value ?? "VALUE"}), got an empty string`);
        values[name] = value;
    }
    return values as ArgValues<O>;
}
