"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rulesetDescription = rulesetDescription;
/** Description of every ruleset we own. */
function rulesetDescription(purpose, stack) {
    return `${purpose}. Managed by nova-infra (stack ${stack})`;
}
