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
exports.requiredSecrets = requiredSecrets;
exports.setCommand = setCommand;
exports.secretProblems = secretProblems;
exports.readSecrets = readSecrets;
/**
 * The secrets a stack needs: which keys, whether they are set, and their values as Pulumi secrets.
 */
const pulumi = __importStar(require("@pulumi/pulumi"));
const keys_1 = require("./keys");
const validators_1 = require("./validators");
/** The secrets the given configuration needs, in a stable order. */
function requiredSecrets(config) {
    const credentialKeys = [...new Set(config.hosts.map((h) => h.credentialKey))];
    return [
        ...credentialKeys.map((key) => ({ key })),
        // Names refused by the parser are reported there, not again as missing secrets.
        ...config.appSecretEnvKeys.filter((name) => !(0, validators_1.checkEnvName)(name)).map((path) => ({ key: "appSecretEnv", path })),
    ];
}
/** The command that sets a requirement. */
function setCommand(req) {
    return req.path === undefined
        ? `pulumi config set --secret ${(0, keys_1.fullKey)(req.key)} <value>`
        : `pulumi config set --secret --path '${(0, keys_1.fullKey)(req.key)}.${req.path}' <value>`;
}
/** Problems with the secrets: missing ones, unexpected entries, values that would break a script. */
function secretProblems(config, raw) {
    const problems = [];
    const env = readSecretEnv(raw, problems);
    for (const req of requiredSecrets(config)) {
        const missing = req.path === undefined ? !raw(req.key) : env?.[req.path] === undefined;
        const name = req.path === undefined ? (0, keys_1.fullKey)(req.key) : `${(0, keys_1.fullKey)(req.key)}.${req.path}`;
        if (missing)
            problems.push(`${name}: required secret is not set; set it with \`${setCommand(req)}\``);
    }
    for (const [k, value] of Object.entries(env ?? {})) {
        if (!config.appSecretEnvKeys.includes(k)) {
            problems.push(`${(0, keys_1.fullKey)("appSecretEnv")}.${k}: expected only the names listed in ${(0, keys_1.fullKey)("appSecretEnvKeys")}`);
        }
        else if (typeof value !== "string" || (0, validators_1.checkEnvValue)(value)) {
            problems.push(`${(0, keys_1.fullKey)("appSecretEnv")}.${k}: expected a single-line string without control characters (value not shown)`);
        }
    }
    return problems;
}
function readSecretEnv(raw, problems) {
    const text = raw("appSecretEnv");
    if (text === undefined)
        return undefined;
    try {
        const value = JSON.parse(text);
        if (value && typeof value === "object" && !Array.isArray(value))
            return value;
    }
    catch {
        /* reported below */
    }
    problems.push(`${(0, keys_1.fullKey)("appSecretEnv")}: expected an object of {NAME: "value"} set with --secret --path (value not shown)`);
    return undefined;
}
/** The secrets as Pulumi secrets. Call after secretProblems found nothing. */
function readSecrets(config, raw) {
    const credentials = {};
    for (const { key, path } of requiredSecrets(config)) {
        if (path === undefined)
            credentials[key] = pulumi.secret(raw(key) ?? "");
    }
    const env = JSON.parse(raw("appSecretEnv") ?? "{}");
    const appSecretEnv = Object.fromEntries(config.appSecretEnvKeys.map((k) => [k, env[k] ?? ""]));
    return { credentials, appSecretEnv: pulumi.secret(appSecretEnv) };
}
