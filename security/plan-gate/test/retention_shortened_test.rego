package main_test.retention_shortened

import rego.v1

import data.main_test.change_of
import data.main_test.denied
import data.main_test.messages
import data.main_test.plan_of
import data.main_test.update_of

type := "aws_s3_bucket_lifecycle_configuration"

rule(id, status, days, noncurrent) := {
	"id": id,
	"status": status,
	"filter": [{"prefix": ""}],
	"expiration": [{"date": null, "days": days, "expired_object_delete_marker": false}],
	"noncurrent_version_expiration": [{"newer_noncurrent_versions": null, "noncurrent_days": noncurrent}],
	"transition": [{"days": 30, "storage_class": "STANDARD_IA"}],
}

delete_markers := {
	"id": "expired-delete-markers",
	"status": "Enabled",
	"expiration": [{"date": null, "days": 0, "expired_object_delete_marker": true}],
	"noncurrent_version_expiration": [],
}

lifecycle(rules) := {"bucket": "archive", "rule": rules}

archive := lifecycle([rule("tiering-and-expiry", "Enabled", 2557, 365), delete_markers])

decision(after, acknowledgements) := denied(plan_of([update_of(type, archive, after)], acknowledgements))

test_a_shorter_expiration_is_denied if {
	decision(lifecycle([rule("tiering-and-expiry", "Enabled", 365, 365), delete_markers]), []) == ["retention-shortened"]
}

test_a_shorter_noncurrent_expiration_is_denied if {
	decision(lifecycle([rule("tiering-and-expiry", "Enabled", 2557, 30), delete_markers]), []) == ["retention-shortened"]
}

test_shorten_retention_allows_it if {
	decision(lifecycle([rule("tiering-and-expiry", "Enabled", 365, 30), delete_markers]), ["shorten-retention"]) == []
}

test_a_longer_expiration_passes if {
	decision(lifecycle([rule("tiering-and-expiry", "Enabled", 3653, 400), delete_markers]), []) == []
}

test_transitions_are_not_retention if {
	later := json.patch(archive, [{"op": "replace", "path": "/rule/0/transition", "value": [{"days": 1, "storage_class": "GLACIER"}]}])
	decision(later, []) == []
}

test_removing_an_expiring_rule_is_denied if {
	decision(lifecycle([delete_markers]), []) == ["retention-shortened"]
}

test_disabling_an_expiring_rule_is_denied if {
	decision(lifecycle([rule("tiering-and-expiry", "Disabled", 2557, 365), delete_markers]), []) == ["retention-shortened"]
}

test_removing_an_expiration_from_a_rule_is_denied if {
	later := json.patch(archive, [{"op": "replace", "path": "/rule/0/expiration", "value": []}])
	plan := plan_of([update_of(type, archive, later)], [])
	denied(plan) == ["retention-shortened"]
	some message in messages(plan)
	contains(message, "would remove the expiration of current objects after 2557 days from lifecycle rule \"tiering-and-expiry\"")
}

test_rules_are_matched_by_id_not_position if {
	decision(lifecycle([delete_markers, rule("tiering-and-expiry", "Enabled", 2557, 365)]), []) == []
}

test_a_rule_that_was_disabled_holds_no_retention if {
	before := lifecycle([rule("tiering-and-expiry", "Disabled", 2557, 365)])
	denied(plan_of([update_of(type, before, lifecycle([]))], [])) == []
}

test_a_delete_marker_rule_holds_no_retention if {
	# days 0 (SDK-style) or null (framework-style): no day-based expiration.
	no_days := json.patch(delete_markers, [{"op": "replace", "path": "/expiration/0/days", "value": null}])
	denied(plan_of([update_of(type, lifecycle([delete_markers]), lifecycle([]))], [])) == []
	denied(plan_of([update_of(type, lifecycle([no_days]), lifecycle([]))], [])) == []
}

test_a_new_lifecycle_configuration_passes if {
	denied(plan_of([change_of(type, ["create"], null, archive)], [])) == []
}

test_the_message_says_what_changes if {
	plan := plan_of([update_of(type, archive, lifecycle([rule("tiering-and-expiry", "Enabled", 365, 365), delete_markers]))], [])
	messages(plan) == {concat("", [
		"[cwl-plan-gate retention-shortened] aws_s3_bucket_lifecycle_configuration.Test would expire current objects ",
		"after 365 days instead of 2557 in lifecycle rule \"tiering-and-expiry\". ",
		"To allow it, acknowledge \"shorten-retention\" in the registry's migrations. See docs/day-two.md#retention",
	])}
}
