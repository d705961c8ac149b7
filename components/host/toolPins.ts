/**
 * Default download pins of the tools installed on a host. A default SHA-256 is filled in only where a
 * published source for it is cited here; otherwise it is `undefined` and the stack must supply it
 * (`nova:tools`), which config validation enforces through `TOOLS_REQUIRING_SHA256`.
 */
import type { ToolPin } from "../types";

/** A pin whose hash may not be known yet. */
export interface ToolPinDefault {
    readonly version: string;
    readonly url: string;
    readonly sha256: string | undefined;
}

export const DEFAULT_TOOL_PINS: { readonly nssm: ToolPinDefault; readonly cloudflared: ToolPinDefault } = {
    /**
     * NSSM 2.24-101-g897c7ad (2017-04-26), the pre-release that works on Windows 10 1703+ / Server 2019;
     * what Chocolatey ships. The SHA-256 of the zip is published in the Chocolatey package's
     * VERIFICATION.txt, which could not be consulted when this default was written: the stack supplies it.
     */
    nssm: {
        version: "2.24-101-g897c7ad",
        url: "https://nssm.cc/ci/nssm-2.24-101-g897c7ad.zip",
        sha256: undefined,
    },
    /**
     * cloudflared 2026.7.3 (released 2026-07-23), the first release that keeps the service token in
     * %ProgramData%\cloudflared\token. The SHA-256 of cloudflared-windows-amd64.exe is listed under
     * "SHA256 Checksums" in the release notes (https://github.com/cloudflare/cloudflared/releases/tag/2026.7.3);
     * the Windows line of that list could not be read when this default was written: the stack supplies it.
     */
    cloudflared: {
        version: "2026.7.3",
        url: "https://github.com/cloudflare/cloudflared/releases/download/2026.7.3/cloudflared-windows-amd64.exe",
        sha256: undefined,
    },
};

/** Tools whose default has no SHA-256: the stack configuration must provide one. */
export const TOOLS_REQUIRING_SHA256: readonly ("nssm" | "cloudflared")[] = (["nssm", "cloudflared"] as const).filter(
    (name) => DEFAULT_TOOL_PINS[name].sha256 === undefined,
);

const SHA256 = /^[0-9a-f]{64}$/;

/** Throws unless `pin` has a lower-case hex SHA-256 and an https URL. */
export function assertToolPin(name: string, pin: ToolPin): void {
    if (!SHA256.test(pin.sha256)) {
        throw new Error(`tools.${name}.sha256 must be 64 lower-case hex characters`);
    }
    if (!pin.url.startsWith("https://")) {
        throw new Error(`tools.${name}.url must be an https URL`);
    }
    if (!/^[0-9A-Za-z.\-]+$/.test(pin.version)) {
        throw new Error(`tools.${name}.version has unexpected characters`);
    }
}
