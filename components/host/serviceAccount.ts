/**
 * The account the backend's service runs as. By default the service's virtual account
 * `NT SERVICE\<name>` (no password, a member of nothing), whose SID Windows derives from the service
 * name: `S-1-5-80-` and the SHA-1 of the upper-cased name in UTF-16LE as five little-endian 32-bit
 * numbers (what `sc showsid <name>` prints). Knowing the SID from the configuration lets the steps that
 * run before the service exists (dotenv) grant it access. `LocalSystem` is the explicit alternative.
 */
import { createHash } from "node:crypto";
import type { ServiceConfig } from "../types";

/** The SID of the virtual account of service `name`. */
export function serviceSid(name: string): string {
    const hash = createHash("sha1").update(Buffer.from(name.toUpperCase(), "utf16le")).digest();
    const parts = [0, 1, 2, 3, 4].map((i) => hash.readUInt32LE(i * 4));
    return `S-1-5-80-${parts.join("-")}`;
}

/** The SCM's ObjectName of the service. */
export function serviceAccountName(service: ServiceConfig): string {
    return service.account === "virtual" ? `NT SERVICE\\${service.name}` : "LocalSystem";
}

/** SIDs to grant read access to what the service reads (.env, its Parameters key): none for LocalSystem. */
export function serviceReaderSids(service: ServiceConfig): string[] {
    return service.account === "virtual" ? [serviceSid(service.name)] : [];
}
