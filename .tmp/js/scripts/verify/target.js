"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadVerifyTarget = loadVerifyTarget;
/**
 * The verification target of a stack: read from `Pulumi.<stack>.yaml` through the program's own
 * configuration parser, so verify checks exactly what `pulumi up` deployed.
 */
const config_1 = require("../../components/config");
const stackFile_1 = require("../lib/stackFile");
function loadVerifyTarget(stack, rootDir) {
    const { values } = (0, stackFile_1.readStackFile)(stack, rootDir);
    const config = (0, config_1.parseNovaConfig)((key) => values[`nova:${key}`], stack);
    return { hostname: config.hostname, ingressMode: config.ingressMode, rootPath: config.edge.rootPath, paths: config.paths };
}
