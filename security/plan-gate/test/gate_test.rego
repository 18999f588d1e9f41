package main_test.gate

import rego.v1

import data.main
import data.main_test.change_of
import data.main_test.denied
import data.main_test.outcome
import data.main_test.plan_of

forget_key := change_of("aws_kms_key", ["forget"], {"key_id": "k"}, null)

suspend := change_of(
	"aws_s3_bucket_versioning", ["update"],
	{"versioning_configuration": [{"status": "Enabled"}]},
	{"versioning_configuration": [{"status": "Suspended"}]},
)

without_output := {"format_version": "1.2", "planned_values": {"outputs": {}}, "resource_changes": [forget_key]}

test_the_acknowledgement_tokens_are_the_contracts_closed_set if {
	main.acknowledgement_tokens == {
		"forget-protected", "shorten-retention", "weaken-object-lock",
		"replace-subscription-policy", "repoint-delivery",
	}
}

test_every_rule_points_at_a_section_of_day_two if {
	sections := {"protected-resources", "retention", "object-lock", "subscription-policy", "repointing-delivery", "versioning", "keys"}
	every _, rule in main.rules {
		rule.section in sections
	}
}

test_a_rule_without_token_says_why if {
	every _, rule in main.rules {
		explained(rule)
	}
}

explained(rule) if {
	is_string(rule.token)
	rule.why_no_token == null
}

explained(rule) if {
	rule.token == null
	is_string(rule.why_no_token)
}

test_a_plan_without_the_output_acknowledges_nothing if {
	outcome(without_output) == {"deny": ["protected-forget"], "warn": ["acknowledgements-unreadable"]}
}

test_an_output_that_is_not_a_list_acknowledges_nothing if {
	plan := json.patch(plan_of([forget_key], []), [{
		"op": "replace", "path": "/planned_values/outputs/cwl_acknowledged_migrations/value",
		"value": "forget-protected",
	}])
	outcome(plan) == {"deny": ["protected-forget"], "warn": ["acknowledgements-unreadable"]}
}

test_unreadable_acknowledgements_are_not_mentioned_when_no_token_could_help if {
	outcome(json.patch(without_output, [{"op": "replace", "path": "/resource_changes", "value": [suspend]}])) == {
		"deny": ["versioning-suspended"],
		"warn": [],
	}
}

test_entries_that_are_not_strings_are_ignored if {
	denied(plan_of([forget_key], [{"token": "forget-protected"}, 1, null])) == ["protected-forget"]
}

test_an_unknown_token_is_reported if {
	outcome(plan_of([forget_key], ["forget-protected", "forget-everything"])) == {
		"deny": [],
		"warn": ["unknown-acknowledgement"],
	}
}

test_an_acknowledgement_the_plan_does_not_need_is_reported if {
	outcome(plan_of([forget_key], ["forget-protected", "repoint-delivery"])) == {
		"deny": [],
		"warn": ["unused-acknowledgement"],
	}
}

test_an_empty_plan_passes_silently if {
	outcome(plan_of([], [])) == {"deny": [], "warn": []}
	outcome({}) == {"deny": [], "warn": []}
}

test_no_op_and_read_changes_pass if {
	noop := change_of("aws_kms_key", ["no-op"], {"is_enabled": true}, {"is_enabled": true})
	read := json.patch(change_of("aws_kms_key", ["read"], null, {}), [{"op": "replace", "path": "/mode", "value": "data"}])
	denied(plan_of([noop, read], [])) == []
}
