/**
 * Default pins of the tools installed on the hosts. A default SHA-256 is set only where a published
 * source is cited; where none is, the stack must supply it (config validation says so).
 */
export interface ToolDefault {
    readonly version: string;
    readonly url: string;
    /** Published SHA-256 (lower-case hex), or undefined when none could be cited. */
    readonly sha256?: string;
}

/**
 * NSSM 2.24-101-g897c7ad: the build that works on Windows 10 1703+ / Server 2019 (2.24 leaves
 * services paused). SHA-256 of the zip as published in the Chocolatey package's legal/VERIFICATION.txt
 * (chocolatey-community/chocolatey-packages, automatic/nssm): 99F5045F...EE7D07B8.
 */
export const NSSM_DEFAULT: ToolDefault = {
    version: "2.24-101-g897c7ad",
    url: "https://nssm.cc/ci/nssm-2.24-101-g897c7ad.zip",
    sha256: "99f5045fffbffb745d67fe3a065a953c4a3d9c253b868892d9b685b0ee7d07b8",
};

/**
 * cloudflared 2026.9.3 (>= 2026.7.3, which keeps the service token in a protected token file).
 * SHA-256 of cloudflared-windows-amd64.exe from the "SHA256 Checksums" list of the release notes,
 * https://github.com/cloudflare/cloudflared/releases/tag/2026.9.3.
 */
export const CLOUDFLARED_DEFAULT: ToolDefault = {
    version: "2026.9.3",
    url: "https://github.com/cloudflare/cloudflared/releases/download/2026.9.3/cloudflared-windows-amd64.exe",
    sha256: "f096265ec2fcbe9bb6e2d64268db167ced3fcbb83d894bdb9e2fcdb26f2ea7e2",
};

/** cloudflared releases before this one write the tunnel token into the service's ImagePath. */
export const CLOUDFLARED_MIN_VERSION = "2026.7.3";
