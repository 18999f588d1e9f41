# The gate's rules. Each rule id names what it protects; `token` is the
# acknowledgement (an entry of the stack's `cwl_acknowledged_migrations`
# output, written from the registry's `migrations`) that allows what the rule
# finds, or null when nothing may allow it; `section` is the anchor of
# docs/day-two.md that explains the change and how to make it safely.
#
# The acknowledgement tokens are exactly the non-null tokens below. The jest
# tests read this object as JSON (__tests__/plan-gate/support.ts, gateRules()):
# keep it a literal, with no comment inside.
package main

import rego.v1

rules := {
	"protected-delete": {
		"token": null,
		"section": "protected-resources",
		"summary": "a protected resource would be destroyed or replaced",
		"why_no_token": "deleting the archive, its keys or the settings that guard it is a manual, documented procedure, never a plan",
	},
	"protected-forget": {
		"token": "forget-protected",
		"section": "protected-resources",
		"summary": "a protected resource would be forgotten: left in AWS, no longer managed",
		"why_no_token": null,
	},
	"retention-shortened": {
		"token": "shorten-retention",
		"section": "retention",
		"summary": "a lifecycle rule would expire archived objects sooner",
		"why_no_token": null,
	},
	"object-lock-weakened": {
		"token": "weaken-object-lock",
		"section": "object-lock",
		"summary": "the Object Lock default retention would be weakened, removed or left unmanaged",
		"why_no_token": null,
	},
	"versioning-suspended": {
		"token": null,
		"section": "versioning",
		"summary": "bucket versioning would be suspended",
		"why_no_token": "Object Lock and replication need versioning, and a suspended bucket overwrites and deletes objects for good",
	},
	"key-disabled": {
		"token": null,
		"section": "keys",
		"summary": "a KMS key would be disabled",
		"why_no_token": "nothing encrypted under a disabled key can be read or written",
	},
	"key-rotation-disabled": {
		"token": null,
		"section": "keys",
		"summary": "automatic rotation of a KMS key would be turned off",
		"why_no_token": "every key of this project rotates; there is no supported way to stop it",
	},
	"subscription-policy-replaced": {
		"token": "replace-subscription-policy",
		"section": "subscription-policy",
		"summary": "an account-level subscription filter policy would be deleted and created again",
		"why_no_token": null,
	},
	"delivery-repointed": {
		"token": "repoint-delivery",
		"section": "repointing-delivery",
		"summary": "log delivery would move to another destination",
		"why_no_token": null,
	},
}

# The closed set of acknowledgements the gate understands.
acknowledgement_tokens := {rule.token | some rule in rules; is_string(rule.token)}
