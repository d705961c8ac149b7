/**
 * The verification target of a stack, read from `Pulumi.<stack>.yaml`. Kept to the few keys the
 * checks need, in one function, so that it can be replaced by the project's configuration parser.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { IngressMode, RootPath } from "../../components/types";
import type { VerifyTarget } from "./types";

const INGRESS_MODES: readonly IngressMode[] = ["tunnel", "direct"];
const ROOT_PATHS: readonly RootPath[] = ["redirect", "rewrite", "none"];

export function loadVerifyTarget(stack: string, rootDir: string): VerifyTarget {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack) || stack.startsWith(".")) {
        throw new Error(`invalid stack name: ${JSON.stringify(stack)}`);
    }
    const file = path.join(rootDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`${file} not found (is "${stack}" a stack of this project?)`);
    }
    const doc: unknown = parse(fs.readFileSync(file, "utf8"));
    const config = (doc as { config?: unknown } | null)?.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new Error(`${file}: "config" must be a mapping`);
    }
    const values = config as Record<string, unknown>;
    const str = (key: string, fallback?: string): string => {
        const v = values[`nova:${key}`];
        if (v === undefined || v === null) {
            if (fallback === undefined) throw new Error(`${file}: nova:${key} is required`);
            return fallback;
        }
        if (typeof v !== "string" || v === "") throw new Error(`${file}: nova:${key} must be a non-empty string`);
        return v;
    };
    const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
        const v = str(key, fallback);
        if (!(allowed as readonly string[]).includes(v)) throw new Error(`${file}: nova:${key} must be one of ${allowed.join(", ")}`);
        return v as T;
    };
    const urlPath = (key: string, fallback: string): string => {
        const v = str(key, fallback);
        if (!/^\/[^\s?#]*[^\s?#/]$/.test(v)) throw new Error(`${file}: nova:${key} must start with "/" and not end with "/": ${v}`);
        return v;
    };
    const hostname = str("hostname").toLowerCase();
    if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]$/.test(hostname)) {
        throw new Error(`${file}: nova:hostname is not a DNS name: ${hostname}`);
    }
    const spa = urlPath("spaPath", "/mail-to-biz");
    return {
        hostname,
        ingressMode: oneOf("ingressMode", INGRESS_MODES, "tunnel"),
        rootPath: oneOf("rootPath", ROOT_PATHS, "redirect"),
        paths: {
            spa,
            api: urlPath("apiPath", "/api"),
            ws: urlPath("wsPath", "/ws"),
            health: urlPath("healthPath", "/health"),
            assets: urlPath("assetsPath", `${spa}/assets`),
        },
    };
}
