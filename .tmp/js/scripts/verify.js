"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.main = main;
/**
 * Post-deploy verification of a stack's public hostname:
 *   npm run verify -- --stack prod [--json] [--timeout MS] [--ca FILE] [--base-url URL] [--http-base-url URL] [--asset PATH]
 * Exit code: 0 all checks pass, 2 some fail, 1 could not run.
 */
const fs = __importStar(require("fs"));
const args_1 = require("./verify/args");
const checks_1 = require("./verify/checks");
const report_1 = require("./verify/report");
const target_1 = require("./verify/target");
const types_1 = require("./verify/types");
/** Run the command; resolves with the process exit code. */
async function main(argv, io) {
    let args;
    let target;
    let ca;
    try {
        args = (0, args_1.parseVerifyArgs)(argv);
        target = (0, target_1.loadVerifyTarget)(args.stack, io.rootDir);
        ca = args.caFile === undefined ? undefined : fs.readFileSync(args.caFile);
    }
    catch (err) {
        io.stderr(`verify: ${err.message}\n${args_1.USAGE}\n`);
        return report_1.EXIT_CANNOT_RUN;
    }
    const results = await (0, checks_1.runChecks)(target, {
        baseUrl: args.baseUrl,
        httpBaseUrl: args.httpBaseUrl,
        ca,
        timeoutMs: args.timeoutMs,
        retries: types_1.DEFAULT_RETRIES,
        assetPath: args.assetPath,
        lookup: io.lookup,
    });
    const exitCode = (0, report_1.exitCodeFor)(results);
    if (args.json) {
        io.stdout((0, report_1.formatJson)({ stack: args.stack, hostname: target.hostname, exitCode, results }));
    }
    else {
        io.stdout(`Verifying ${target.hostname} (stack ${args.stack}, ${target.ingressMode} mode)\n\n${(0, report_1.formatTable)(results)}`);
        if (exitCode === report_1.EXIT_CANNOT_RUN)
            io.stderr("verify: the hostname could not be resolved for any check\n");
    }
    return exitCode;
}
if (require.main === module) {
    main(process.argv.slice(2), {
        rootDir: process.cwd(),
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
    }).then((code) => {
        process.exitCode = code;
    }, (err) => {
        process.stderr.write(`verify: ${String(err)}\n`);
        process.exitCode = report_1.EXIT_CANNOT_RUN;
    });
}
