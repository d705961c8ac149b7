"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CLOUDFLARED_MIN_VERSION = exports.CLOUDFLARED_DEFAULT = exports.NSSM_DEFAULT = void 0;
exports.assertToolPin = assertToolPin;
/**
 * NSSM 2.24-101-g897c7ad: the build that works on Windows 10 1703+ / Server 2019 (2.24 leaves
 * services paused). SHA-256 of the zip as published in the Chocolatey package's legal/VERIFICATION.txt
 * (chocolatey-community/chocolatey-packages, automatic/nssm): 99F5045F...EE7D07B8.
 */
exports.NSSM_DEFAULT = {
    version: "2.24-101-g897c7ad",
    url: "https://nssm.cc/ci/nssm-2.24-101-g897c7ad.zip",
    sha256: "99f5045fffbffb745d67fe3a065a953c4a3d9c253b868892d9b685b0ee7d07b8",
};
/**
 * cloudflared 2026.9.3 (>= 2026.7.3, which keeps the service token in a protected token file).
 * SHA-256 of cloudflared-windows-amd64.exe from the "SHA256 Checksums" list of the release notes,
 * https://github.com/cloudflare/cloudflared/releases/tag/2026.9.3.
 */
exports.CLOUDFLARED_DEFAULT = {
    version: "2026.9.3",
    url: "https://github.com/cloudflare/cloudflared/releases/download/2026.9.3/cloudflared-windows-amd64.exe",
    sha256: "f096265ec2fcbe9bb6e2d64268db167ced3fcbb83d894bdb9e2fcdb26f2ea7e2",
};
/** cloudflared releases before this one write the tunnel token into the service's ImagePath. */
exports.CLOUDFLARED_MIN_VERSION = "2026.7.3";
const SHA256 = /^[0-9a-f]{64}$/;
/**
 * Last line of defence of the tools renderer: throws unless the pin has a lower-case hex SHA-256,
 * an http(s) URL and a plain version (config validation has already said why, naming the key).
 */
function assertToolPin(name, pin) {
    if (!SHA256.test(pin.sha256))
        throw new Error(`tools.${name}.sha256 must be 64 lower-case hex characters`);
    if (!/^https?:\/\//.test(pin.url))
        throw new Error(`tools.${name}.url must be an http(s) URL`);
    if (!/^[0-9A-Za-z.+-]+$/.test(pin.version))
        throw new Error(`tools.${name}.version has unexpected characters`);
}
