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
exports.NovaRules = void 0;
const cloudflare = __importStar(require("@pulumi/cloudflare"));
const pulumi = __importStar(require("@pulumi/pulumi"));
const createRulesets_1 = require("./edge/createRulesets");
const rules_1 = require("./edge/rules");
/** Redirect, cache and rewrite rules for the hostname (rulesets, or legacy page rules). */
class NovaRules extends pulumi.ComponentResource {
    constructor(name, args, opts) {
        super("nova:rules:NovaRules", name, {}, opts);
        const { config, zoneId } = args;
        // Entry-point rulesets and Page Rules are zone-wide: only the stack that owns the zone makes them.
        const owned = config.edge.manageZone;
        // rulesets engine: one entry-point ruleset per phase, owned whole.
        (0, createRulesets_1.createZoneRulesets)(name, zoneId, owned ? (0, rules_1.rulesetSpecs)(config) : [], this);
        // pageRules engine: the guide's Page Rules, with explicit priorities.
        for (const rule of owned ? (0, rules_1.pageRuleSpecs)(config) : []) {
            new cloudflare.PageRule(`${name}-${rule.suffix}`, { zoneId, target: rule.target, priority: rule.priority, status: rule.status, actions: rule.actions }, { parent: this });
        }
        this.registerOutputs({});
    }
}
exports.NovaRules = NovaRules;
