/**
 * `nova:hosts`: each entry's fields checked alone and together (transport against port, host key
 * and WinRM options; the CA file read as PEM), with the placeholder values found on the way.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { HostConfig } from "../types";
import { fullKey } from "./keys";
import { addressPlaceholder, hostKeyPlaceholder, keyscanType, Pending } from "./placeholders";
import { Reader } from "./reader";
import { HOST_FIELDS, HOSTS_ACCEPTED, hostSchema } from "./schemas";
import * as v from "./validators";
import { show } from "./words";

/** The project directory: relative winrmCaFile paths are read from there (as the WinRM runner does). */
const PROJECT_ROOT = resolve(__dirname, "..", "..");

/** Why the file at `path` is not a PEM certificate: missing (a site fact to put in place) or not PEM; undefined when it is one. */
export function checkPemFile(path: string, root: string = PROJECT_ROOT): { missing: boolean; accepted: string } | undefined {
    let text: string;
    try {
        text = readFileSync(resolve(root, path), "utf8");
    } catch {
        return { missing: true, accepted: `an existing PEM file (none at ${resolve(root, path)})` };
    }
    return /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/.test(text)
        ? undefined
        : { missing: false, accepted: "a PEM file holding -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----" };
}

export function parseHosts(r: Reader, pending: Pending[]): HostConfig[] {
    const hosts = r.json("hosts", hostSchema.array().min(1), HOSTS_ACCEPTED, HOST_FIELDS) ?? [];
    if (r.problems.every((p) => !p.startsWith(fullKey("hosts"))) && hosts.length === 0) {
        r.problems.push(`${fullKey("hosts")}: required: ${HOSTS_ACCEPTED}`);
    }
    const seen = new Set<string>();
    return hosts.map((h, i) => {
        const key = `${fullKey("hosts")}[${i}]`;
        const at = (field: string, why: string, given: unknown) => r.problems.push(`${key}.${field}: expected ${why}, got ${show(given)}`);
        const transport = h.transport ?? "ssh";
        const check = (field: string, value: string | undefined, fn: (s: string) => string | undefined) => {
            const why = value === undefined ? undefined : fn(value);
            if (why) at(field, why, value);
            return !why;
        };
        check("name", h.name, v.checkHostName);
        if (seen.has(h.name)) at("name", "a name not used by another host", h.name);
        seen.add(h.name);
        if (check("address", h.address, v.checkAddress)) {
            const why = addressPlaceholder(h.address);
            if (why) pending.push({ kind: "placeholder", key: `${key}.address`, message: `${key}.address: ${show(h.address)} ${why}; set the real value: the address of the server as seen from where pulumi runs, with \`pulumi config set --path '${key}.address' <address>\`` });
        }
        check("user", h.user, v.checkUserName);
        check("credentialKey", h.credentialKey, (s) => (/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(s) ? undefined : "the name of a secret key of nova: (letters and digits)"));
        if (transport === "ssh") {
            if (h.hostKey === undefined) r.problems.push(`${key}.hostKey: required for ssh hosts (without it the host key is not checked); get it with \`ssh-keyscan -t ed25519 ${h.address}\` (the line without the host name)`);
            else if (check("hostKey", h.hostKey, v.checkHostKey)) {
                const why = hostKeyPlaceholder(h.hostKey);
                if (why) pending.push({ kind: "placeholder", key: `${key}.hostKey`, message: `${key}.hostKey: ${why}; set the real value: the output of \`ssh-keyscan -t ${keyscanType(h.hostKey.split(" ")[0])} ${h.address}\` without the host name, with \`pulumi config set --path '${key}.hostKey' '<type> <key>'\`` });
            }
            if (h.winrmAllowHttp !== undefined || h.winrmCaFile !== undefined || h.winrmAuth !== undefined) {
                at("transport", "winrm when winrmAllowHttp, winrmAuth or winrmCaFile is set", transport);
            }
        } else {
            if (h.hostKey !== undefined) at("hostKey", "no hostKey on a winrm host (a host key is for ssh; WinRM HTTPS checks the certificate, see winrmCaFile)", h.hostKey);
            if (h.winrmAllowHttp && h.winrmCaFile !== undefined) at("winrmCaFile", "no CA file with winrmAllowHttp (a CA applies to HTTPS only)", h.winrmCaFile);
            else if (h.winrmCaFile !== undefined) {
                const pem = checkPemFile(h.winrmCaFile);
                if (pem && !pem.missing) at("winrmCaFile", pem.accepted, h.winrmCaFile);
                if (pem?.missing) {
                    pending.push({ kind: "placeholder", key: `${key}.winrmCaFile`, message: `${key}.winrmCaFile: expected ${pem.accepted}, got ${show(h.winrmCaFile)}; put the CA's PEM file there or set the real path with \`pulumi config set --path '${key}.winrmCaFile' <path>\`` });
                }
            }
            if (h.port === 5985 && !h.winrmAllowHttp) at("port", "5986 (WinRM over HTTPS), or winrmAllowHttp true to use plain HTTP on 5985", h.port);
        }
        return {
            name: h.name,
            address: h.address,
            port: h.port ?? (transport === "ssh" ? 22 : h.winrmAllowHttp ? 5985 : 5986),
            transport,
            user: h.user,
            ...(h.hostKey !== undefined ? { hostKey: h.hostKey.trim() } : {}),
            credentialKey: h.credentialKey ?? (transport === "ssh" ? "sshPrivateKey" : "winrmPassword"),
            winrmAllowHttp: h.winrmAllowHttp ?? false,
            ...(h.winrmAuth !== undefined ? { winrmAuth: h.winrmAuth } : {}),
            ...(h.winrmCaFile !== undefined ? { winrmCaFile: h.winrmCaFile } : {}),
            ...(h.detached === true ? { detached: true as const } : {}),
        };
    });
}
