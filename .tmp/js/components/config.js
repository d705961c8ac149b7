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
exports.setCommand = exports.requiredSecrets = exports.MANAGED_ENV_KEYS = exports.parseNovaConfig = exports.NovaConfigError = exports.collectNovaConfig = exports.fullKey = exports.NAMESPACE = exports.CONFIG_KEYS = void 0;
exports.validateStack = validateStack;
exports.loadNovaConfig = loadNovaConfig;
/**
 * The stack's configuration: `loadNovaConfig` reads `nova:` through pulumi.Config, validates it
 * whole and returns the immutable NovaConfig and the secrets, or throws before any resource exists.
 */
const pulumi = __importStar(require("@pulumi/pulumi"));
const keys_1 = require("./config/keys");
const parse_1 = require("./config/parse");
const secrets_1 = require("./config/secrets");
var keys_2 = require("./config/keys");
Object.defineProperty(exports, "CONFIG_KEYS", { enumerable: true, get: function () { return keys_2.CONFIG_KEYS; } });
Object.defineProperty(exports, "NAMESPACE", { enumerable: true, get: function () { return keys_2.NAMESPACE; } });
Object.defineProperty(exports, "fullKey", { enumerable: true, get: function () { return keys_2.fullKey; } });
var parse_2 = require("./config/parse");
Object.defineProperty(exports, "collectNovaConfig", { enumerable: true, get: function () { return parse_2.collectNovaConfig; } });
Object.defineProperty(exports, "NovaConfigError", { enumerable: true, get: function () { return parse_2.NovaConfigError; } });
Object.defineProperty(exports, "parseNovaConfig", { enumerable: true, get: function () { return parse_2.parseNovaConfig; } });
Object.defineProperty(exports, "MANAGED_ENV_KEYS", { enumerable: true, get: function () { return parse_2.MANAGED_ENV_KEYS; } });
var secrets_2 = require("./config/secrets");
Object.defineProperty(exports, "requiredSecrets", { enumerable: true, get: function () { return secrets_2.requiredSecrets; } });
Object.defineProperty(exports, "setCommand", { enumerable: true, get: function () { return secrets_2.setCommand; } });
/** Validates configuration and secrets together; throws NovaConfigError listing every problem. */
function validateStack(raw, stack) {
    const { config, problems } = (0, parse_1.collectNovaConfig)(raw, stack);
    problems.push(...(0, secrets_1.secretProblems)(config, raw));
    if (problems.length > 0)
        throw new parse_1.NovaConfigError(problems);
    return config;
}
/** Reads the current stack's configuration and secrets. */
function loadNovaConfig() {
    const bag = new pulumi.Config(keys_1.NAMESPACE);
    const raw = (key) => bag.get(key);
    const config = validateStack(raw, pulumi.getStack());
    return { config, secrets: (0, secrets_1.readSecrets)(config, raw) };
}
