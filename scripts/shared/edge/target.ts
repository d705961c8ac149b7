/**
 * The verification target of a stack: read from `Pulumi.<stack>.yaml` through the program's own
 * configuration parser, so verify checks exactly what `pulumi up` deployed.
 */
import { parseNovaConfig } from "../../../components/config";
import { readStackFile } from "../../../components/config/stackFile";
import type { VerifyTarget } from "./types";

export function loadVerifyTarget(stack: string, rootDir: string): VerifyTarget {
    const { values } = readStackFile(stack, rootDir);
    const config = parseNovaConfig((key) => values[`nova:${key}`], stack);
    return { hostname: config.hostname, ingressMode: config.ingressMode, rootPath: config.edge.rootPath, paths: config.paths };
}
