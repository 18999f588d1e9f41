# Helpers of the gate's tests (`opa test security/plan-gate`): plans built
# inline for one condition, and what the gate decides on a plan.
# @see https://www.openpolicyagent.org/docs/policy-testing
package main_test

import rego.v1

import data.main

# What the gate decides on a plan: the rules it denies and the advisories it
# gives, each sorted.
outcome(plan) := {"deny": sort(denied), "warn": sort(warned)} if {
	denied := {denial.rule | some denial in main.denials} with input as plan
	warned := {advisory.rule | some advisory in main.advisories} with input as plan
}

denied(plan) := outcome(plan).deny

# The messages the gate prints for a plan.
messages(plan) := deny if {
	deny := main.deny with input as plan
}

# A plan of the given managed resource changes, acknowledging `acknowledgements`.
plan_of(changes, acknowledgements) := {
	"format_version": "1.2",
	"terraform_version": "1.11.4",
	"planned_values": {"outputs": {"cwl_acknowledged_migrations": {
		"sensitive": false,
		"value": acknowledgements,
	}}},
	"resource_changes": changes,
}

# One managed resource change; `before` or `after` is null for a create, a
# delete or a forget, as in Terraform's plan JSON.
change_of(type, actions, before, after) := {
	"address": sprintf("%s.Test", [type]),
	"mode": "managed",
	"type": type,
	"name": "Test",
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {
		"actions": actions,
		"before": before,
		"after": after,
		"after_unknown": {},
	},
}

update_of(type, before, after) := change_of(type, ["update"], before, after)

# The fixture plan without any acknowledgement.
unacknowledged(plan) := json.patch(plan, [{
	"op": "replace",
	"path": "/planned_values/outputs/cwl_acknowledged_migrations/value",
	"value": [],
}])

acknowledgements_of(plan) := {token | some token in plan.planned_values.outputs.cwl_acknowledged_migrations.value}
