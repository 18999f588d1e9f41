package main_test.protected_forget

import rego.v1

import data.main
import data.main_test.change_of
import data.main_test.denied
import data.main_test.messages
import data.main_test.plan_of

key := {"key_id": "0f3b1c52", "is_enabled": true, "enable_key_rotation": true}

test_forgetting_a_protected_resource_is_denied_without_the_acknowledgement if {
	every type in main.protected_type_list {
		"protected-forget" in denied(plan_of([change_of(type, ["forget"], {}, null)], []))
	}
}

test_forgetting_a_protected_resource_passes_with_forget_protected if {
	denied(plan_of([change_of("aws_kms_key", ["forget"], key, null)], ["forget-protected"])) == []
}

test_another_acknowledgement_does_not_allow_it if {
	denied(plan_of([change_of("aws_kms_key", ["forget"], key, null)], ["repoint-delivery"])) == ["protected-forget"]
}

test_a_replacement_that_forgets_the_old_object_is_denied if {
	plan := plan_of([change_of("aws_kms_key", ["create", "forget"], key, key)], [])
	denied(plan) == ["protected-forget"]
	some message in messages(plan)
	contains(message, "would be replaced, and the old object forgotten")
}

test_forgetting_an_unprotected_resource_passes if {
	denied(plan_of([change_of("aws_iam_role", ["forget"], {"name": "r"}, null)], [])) == []
}

test_the_message_names_the_token_and_the_section if {
	messages(plan_of([change_of("aws_kms_key", ["forget"], key, null)], [])) == {concat("", [
		"[cwl-plan-gate protected-forget] aws_kms_key.Test would be forgotten: left in AWS, no longer managed by Terraform. ",
		"To allow it, acknowledge \"forget-protected\" in the registry's migrations. ",
		"See docs/day-two.md#protected-resources",
	])}
}
