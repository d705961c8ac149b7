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
exports.invoked = exports.registered = void 0;
exports.resetRegistered = resetRegistered;
exports.installEdgeMocks = installEdgeMocks;
exports.settle = settle;
exports.ofType = ofType;
exports.byName = byName;
exports.valueOf = valueOf;
exports.inputsByName = inputsByName;
const pulumi = __importStar(require("@pulumi/pulumi"));
const edgeConfigs_1 = require("./fixtures/edgeConfigs");
/** Every resource registered since the last `resetRegistered()`. */
exports.registered = [];
/** Every invoke (token and args) since the last `resetRegistered()`. */
exports.invoked = [];
function resetRegistered() {
    exports.registered.length = 0;
    exports.invoked.length = 0;
}
const GET_ZONE = "cloudflare:index/getZone:getZone";
/**
 * Offline mocks: resources echo their inputs; the only invoke answered is getZone for the
 * fixture zone (with {@link OFFLINE_FIXTURE_ZONE_ID}); any other invoke throws.
 */
function installEdgeMocks() {
    void pulumi.runtime.setMocks({
        newResource(args) {
            exports.registered.push({ type: args.type, name: args.name, inputs: args.inputs });
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call(args) {
            exports.invoked.push({ token: args.token, args: args.inputs });
            if (args.token === GET_ZONE) {
                const filter = args.inputs.filter;
                if (filter?.name !== edgeConfigs_1.FIXTURE_ZONE_NAME) {
                    throw new Error(`offline getZone mock: unknown zone ${JSON.stringify(filter)}`);
                }
                return { id: edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID, zoneId: edgeConfigs_1.OFFLINE_FIXTURE_ZONE_ID, name: edgeConfigs_1.FIXTURE_ZONE_NAME };
            }
            throw new Error(`offline mocks: unexpected invoke ${args.token}`);
        },
    }, "nova-infra", "test", false);
}
/** Wait until registrations stop arriving (inputs resolve asynchronously). */
async function settle() {
    let last = -1;
    let stableRounds = 0;
    while (stableRounds < 20) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (exports.registered.length === last)
            stableRounds++;
        else {
            last = exports.registered.length;
            stableRounds = 0;
        }
    }
}
/** Registered resources of one type token. */
function ofType(type) {
    return exports.registered.filter((r) => r.type === type);
}
/** The one registered resource called `name`. */
function byName(name) {
    const found = exports.registered.filter((r) => r.name === name);
    if (found.length !== 1)
        throw new Error(`expected one resource named ${name}, found ${found.length}`);
    return found[0];
}
/** Resolve an Output in a test. */
function valueOf(output) {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}
/** Inputs of the registered resources of one type, keyed by resource name (registration order is not stable). */
function inputsByName(type) {
    return Object.fromEntries(ofType(type).map((r) => [r.name, r.inputs]));
}
