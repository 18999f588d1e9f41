package main_test.protected_delete

import rego.v1

import data.main
import data.main_test.change_of
import data.main_test.denied
import data.main_test.messages
import data.main_test.plan_of

every_token := ["forget-protected", "shorten-retention", "weaken-object-lock", "replace-subscription-policy", "repoint-delivery"]

bucket := {"bucket": "cwl-archive-210987654321-eu-west-1"}

test_destroying_a_protected_resource_is_denied_whatever_is_acknowledged if {
	every type in main.protected_type_list {
		denied(plan_of([change_of(type, ["delete"], bucket, null)], every_token)) == ["protected-delete"]
	}
}

test_replacing_a_protected_resource_is_denied_in_either_order if {
	denied(plan_of([change_of("aws_s3_bucket", ["delete", "create"], bucket, bucket)], [])) == ["protected-delete"]
	denied(plan_of([change_of("aws_s3_bucket", ["create", "delete"], bucket, bucket)], [])) == ["protected-delete"]
}

test_destroying_an_unprotected_resource_passes if {
	denied(plan_of([change_of("aws_iam_role", ["delete"], {"name": "r"}, null)], [])) == []
}

test_a_data_source_is_not_a_managed_change if {
	read := json.patch(change_of("aws_kms_key", ["delete"], {}, null), [{"op": "replace", "path": "/mode", "value": "data"}])
	denied(plan_of([read], [])) == []
}

test_the_message_names_the_address_the_reason_and_the_procedure if {
	change := object.union(change_of("aws_s3_bucket", ["delete"], bucket, null), {"action_reason": "delete_because_no_resource_config"})
	messages(plan_of([change], [])) == {concat("", [
		"[cwl-plan-gate protected-delete] aws_s3_bucket.Test would be destroyed ",
		"(its resource is no longer in the configuration). No acknowledgement allows this: ",
		"deleting the archive, its keys or the settings that guard it is a manual, documented procedure, never a plan. ",
		"See docs/day-two.md#protected-resources",
	])}
}

test_an_unknown_action_reason_is_shown_as_is if {
	change := object.union(change_of("aws_s3_bucket", ["delete"], bucket, null), {"action_reason": "delete_because_something_new"})
	some message in messages(plan_of([change], []))
	contains(message, "would be destroyed (delete_because_something_new)")
}

test_a_deposed_object_is_named if {
	change := object.union(change_of("aws_kms_key", ["delete"], {}, null), {"deposed": "a1b2c3d4"})
	some message in messages(plan_of([change], []))
	contains(message, "aws_kms_key.Test (deposed object a1b2c3d4) would be destroyed")
}
