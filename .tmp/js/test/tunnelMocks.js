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
exports.SECRET_SIG = exports.SECRET_SIG_KEY = exports.FAKE_SECRET_BASE64 = exports.FAKE_TUNNEL_ID = exports.FAKE_TUNNEL_TOKEN = exports.TUNNEL_TOKEN_INVOKE = void 0;
exports.installTunnelMocks = installTunnelMocks;
exports.valueOf = valueOf;
exports.isSecretOutput = isSecretOutput;
exports.isSecretInput = isSecretInput;
/**
 * Pulumi mocks for the tunnel tests: records every registered resource (inputs as the mock monitor
 * deserializes them, and the raw serialized request), answers the tunnel-token data source with a fake,
 * and throws on any other invoke so an unexpected data source fails the test.
 */
const pulumi = __importStar(require("@pulumi/pulumi"));
exports.TUNNEL_TOKEN_INVOKE = "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken";
/** What the mocked data source returns as the connector token. */
exports.FAKE_TUNNEL_TOKEN = "FAKE-TUNNEL-TOKEN-from-tunnelMocks";
/** The id the mocked provider gives every tunnel. */
exports.FAKE_TUNNEL_ID = "00000000-1111-4222-8333-444444444444";
/** The base64 the mocked RandomBytes returns (32 bytes of 0x2a). */
exports.FAKE_SECRET_BASE64 = Buffer.alloc(32, 0x2a).toString("base64");
/** Pulumi's marker for a secret value in serialized properties. */
exports.SECRET_SIG_KEY = pulumi.runtime.specialSigKey;
exports.SECRET_SIG = pulumi.runtime.specialSecretSig;
/** Outputs a provider would compute for the resource types the tunnel uses. */
function computedState(type, inputs) {
    switch (type) {
        case "random:index/randomBytes:RandomBytes":
            return {
                ...inputs,
                base64: exports.FAKE_SECRET_BASE64,
                hex: Buffer.from(exports.FAKE_SECRET_BASE64, "base64").toString("hex"),
            };
        default:
            return inputs;
    }
}
/** Installs the mocks (call before constructing resources) and returns what they record. */
function installTunnelMocks() {
    const resources = [];
    const raw = [];
    const invokes = [];
    const unexpectedInvokes = [];
    const waiters = new Map();
    const done = new Map();
    const registered = (name) => {
        let p = done.get(name);
        if (p === undefined) {
            p = new Promise((resolve) => waiters.set(name, resolve));
            done.set(name, p);
        }
        return p;
    };
    pulumi.runtime.setMocks({
        newResource(args) {
            const record = { type: args.type, name: args.name, inputs: args.inputs };
            resources.push(record);
            const id = args.type === "cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared"
                ? exports.FAKE_TUNNEL_ID
                : `${args.name}-id`;
            const result = { id, state: computedState(args.type, args.inputs) };
            registered(args.name);
            waiters.get(args.name)?.(record);
            return result;
        },
        call(args) {
            invokes.push({ token: args.token, inputs: args.inputs });
            if (args.token === exports.TUNNEL_TOKEN_INVOKE) {
                return { accountId: args.inputs.accountId, tunnelId: args.inputs.tunnelId, token: exports.FAKE_TUNNEL_TOKEN };
            }
            unexpectedInvokes.push(args.token);
            console.error(`tunnelMocks: unexpected invoke ${args.token}`);
            throw new Error(`unexpected invoke ${args.token}`);
        },
    }, "nova-infra", "prod", false);
    const monitor = pulumi.runtime.getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        raw.push({
            type: req.getType(),
            name: req.getName(),
            object: req.getObject()?.toJavaScript() ?? {},
            parent: req.getParent(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
        });
        return original(req, cb);
    };
    return { resources, raw, invokes, unexpectedInvokes, registered };
}
/** The value of an output, or undefined when unknown. */
function valueOf(output) {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}
/** Whether an output is marked secret. */
function isSecretOutput(output) {
    return pulumi.isSecret(output);
}
/** A secret as it appears in mock inputs: `{ [sigKey]: secretSig, value }`. */
function isSecretInput(value) {
    return typeof value === "object" && value !== null && value[exports.SECRET_SIG_KEY] === exports.SECRET_SIG;
}
