/**
 * Small, pure checks of single values. Each returns `undefined` when the value is accepted, else
 * the description of what is accepted (the parser adds the key and the value given).
 */
import { isIP } from "node:net";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why a DNS name is too long (a label over 63 characters, the name over 253), if it is. */
function tooLong(value: string): string | undefined {
    const long = value.split(".").find((l) => l.length > 63);
    if (long) return `DNS labels of at most 63 characters (the label "${long.slice(0, 20)}..." has ${long.length})`;
    return value.length > 253 ? `a DNS name of at most 253 characters (this one has ${value.length})` : undefined;
}

/** A DNS name of lower-case labels (no wildcard, no trailing dot). */
export function checkDnsName(value: string): string | undefined {
    const long = tooLong(value);
    if (long) return `a fully qualified DNS name with ${long}`;
    if (!value.includes(".")) return "a fully qualified DNS name such as app.example.com";
    return value.split(".").every((l) => LABEL.test(l)) ? undefined : "a fully qualified DNS name of lower-case letters, digits and hyphens (no wildcard, no trailing dot)";
}

export function checkHex32(value: string): string | undefined {
    return /^[0-9a-f]{32}$/.test(value) ? undefined : "32 lower-case hexadecimal characters";
}

export function checkIpv4(value: string): string | undefined {
    return isIP(value) === 4 ? undefined : "an IPv4 address such as 203.0.113.10";
}

export function checkIpv6(value: string): string | undefined {
    return isIP(value) === 6 ? undefined : "an IPv6 address such as 2001:db8::10";
}

/** A host to connect to: a DNS name (one label allowed) or an IP address. */
export function checkAddress(value: string): string | undefined {
    if (isIP(value) !== 0) return undefined;
    const long = tooLong(value);
    if (long) return `a DNS name or an IP address; a DNS name has ${long}`;
    const labels = value.toLowerCase().split(".");
    return value.length <= 253 && labels.every((l) => LABEL.test(l)) ? undefined : "a DNS name or an IP address";
}

/** A URL path: starts with `/`, no trailing slash, only unreserved characters. */
export function checkUrlPath(value: string): string | undefined {
    return /^(\/[A-Za-z0-9._~-]+)+$/.test(value) ? undefined : "a path such as /mail-to-biz: starting with /, no trailing slash, letters, digits and . _ ~ - only";
}

const WINDOWS_FORBIDDEN = /[<>"|?*\u0000-\u001f]/;

/** An absolute Windows path on a local drive: `C:\dir\file`. */
export function checkWindowsPath(value: string): string | undefined {
    if (!/^[A-Za-z]:\\/.test(value)) return "an absolute Windows path such as C:\\NOVA";
    if (WINDOWS_FORBIDDEN.test(value.slice(2)) || value.includes("/")) return "an absolute Windows path without < > \" | ? * / or control characters";
    if (value.length > 240) return "an absolute Windows path of at most 240 characters";
    if (value.split("\\").some((p) => p === ".." || p.endsWith(" ") || p.endsWith("."))) return "an absolute Windows path without .. and without parts ending in a space or a dot";
    if (value.endsWith("\\")) return "an absolute Windows path without a trailing backslash (C:\\NOVA, not C:\\NOVA\\: the scripts join paths with one)";
    if (value.slice(3).split("\\").includes("")) return "an absolute Windows path without doubled backslashes (Windows reads C:\\a\\\\b as C:\\a\\b)";
    return undefined;
}

/** An absolute Windows path of a program: a local path ending in `.exe`. */
export function checkExePath(value: string): string | undefined {
    return checkWindowsPath(value) ?? (/\\[^\\]+\.exe$/i.test(value) ? undefined : "an absolute Windows path of a program ending in .exe, such as C:\\NOVA\\.venv\\Scripts\\python.exe");
}

/** A path relative to a directory (no drive, no `..`), or an absolute one. */
export function checkWindowsFile(value: string): string | undefined {
    if (/^[A-Za-z]:\\/.test(value)) return checkWindowsPath(value);
    return checkWindowsPath(`C:\\x\\${value}`) ? "a file name relative to appDirectory, or an absolute Windows path" : undefined;
}

export function checkServiceName(value: string): string | undefined {
    return /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/.test(value) ? undefined : "a Windows service name of letters, digits and . _ - (at most 80, starting with a letter or digit)";
}

export function checkEnvName(value: string): string | undefined {
    return /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(value) ? undefined : "an environment variable name of letters, digits and _ not starting with a digit";
}

/** A value that fits on one `.env` line and in NSSM's environment block. */
export function checkEnvValue(value: string): string | undefined {
    return /[\u0000-\u001f\u007f]/.test(value) ? "a single-line value without control characters" : undefined;
}

export function checkHostName(value: string): string | undefined {
    return /^[a-z0-9][a-z0-9-]{0,30}$/.test(value) ? undefined : "a name of lower-case letters, digits and - (at most 31, starting with a letter or digit)";
}

export function checkUserName(value: string): string | undefined {
    return /^([A-Za-z0-9._-]{1,64}\\)?[A-Za-z0-9._ -]{1,64}$/.test(value) && !value.endsWith(" ") ? undefined : "a Windows account name, optionally DOMAIN\\user";
}

/** An OpenSSH public host key line: `<type> <base64>`. */
export function checkHostKey(value: string): string | undefined {
    if (value !== value.trim()) return "an OpenSSH public host key without leading or trailing spaces";
    return /^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa|rsa-sha2-(256|512)) [A-Za-z0-9+/]+={0,3}$/.test(value.trim())
        ? undefined
        : "an OpenSSH public host key such as \"ssh-ed25519 AAAAC3...\" (from ssh-keyscan, without the host name)";
}

export function checkSha256(value: string): string | undefined {
    return /^[0-9a-fA-F]{64}$/.test(value) ? undefined : "a SHA-256 of 64 hexadecimal characters";
}

export function checkDownloadUrl(value: string): string | undefined {
    try {
        const u = new URL(value);
        if ((u.protocol === "https:" || u.protocol === "http:") && !/['"`$\s]/.test(value)) return undefined;
    } catch {
        /* falls through */
    }
    return "an http(s) URL without quotes, spaces, $ or backticks";
}

export function checkVersion(value: string): string | undefined {
    return /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/.test(value) ? undefined : "a version such as 2026.7.3";
}

/** Compares dotted numeric versions (`2026.7.3`); non-numeric parts compare as 0. */
export function compareVersions(a: string, b: string): number {
    const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
    const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const d = (pa[i] ?? 0) - (pb[i] ?? 0);
        if (d !== 0) return Math.sign(d);
    }
    return 0;
}
