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
exports.runUnderMocks = runUnderMocks;
/**
 * Runs the program under Pulumi's mock runtime and records what it registers: the same program a
 * real `pulumi preview` runs, answered by offline fixtures instead of providers.
 */
const pulumi = __importStar(require("@pulumi/pulumi"));
const offlineFixtures_1 = require("./offlineFixtures");
/** Runs `program` as the stack's program and waits until every registration has finished. */
async function runUnderMocks(program, opts, 
/** Receives the registrations, also when the program fails. */
resources = []) {
    const invokes = [];
    pulumi.runtime.setAllConfig({ ...opts.config }, [...opts.secretKeys]);
    await pulumi.runtime.setMocks({
        newResource: (args) => (0, offlineFixtures_1.answerResource)(args.type, args.name, args.inputs),
        call: (args) => {
            invokes.push({ token: args.token, inputs: args.inputs });
            return (0, offlineFixtures_1.answerInvoke)(args.token, args.inputs);
        },
    }, opts.project, opts.stack, opts.preview ?? true);
    const monitor = pulumi.runtime.getMonitor();
    const register = monitor.registerResource.bind(monitor);
    let pending = 0;
    monitor.registerResource = (req, cb) => {
        pending++;
        return register(req, (err, res) => {
            pending--;
            if (!err && res) {
                resources.push({
                    urn: res.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    ...(req.getParent() ? { parent: req.getParent() } : {}),
                    custom: req.getCustom(),
                    ...(res.getId() ? { id: res.getId() } : {}),
                    dependencies: [...req.getDependenciesList()].sort(),
                    inputs: req.getObject()?.toJavaScript() ?? {},
                });
            }
            cb(err, res);
        });
    };
    const failures = [];
    const onRejection = (reason) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        let returned = {};
        await pulumi.runtime.runInPulumiStack(async () => (returned = (await program()) ?? {}));
        for (let i = 0; i < 1000 && pending > 0; i++)
            await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
        if (failures.length > 0)
            throw failures[0];
        const wire = (await Promise.resolve().then(() => __importStar(require("@pulumi/pulumi/runtime/rpc")))).serializeProperties;
        return { resources, invokes, outputs: await wire("outputs", returned, { keepOutputValues: false }) };
    }
    finally {
        // A failed program also rejects the stack's own promises a few ticks later: keep them here.
        for (let i = 0; i < 10; i++)
            await new Promise((r) => setImmediate(r));
        process.off("unhandledRejection", onRejection);
    }
}
