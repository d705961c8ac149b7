/** nova-guardrails: the policy pack run by `pulumi preview --policy-pack policy` (see docs/POLICY.md). */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("nova-guardrails", { policies });
