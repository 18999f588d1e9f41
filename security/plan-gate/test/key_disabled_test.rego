package main_test.key_disabled

import rego.v1

import data.main_test.denied
import data.main_test.plan_of
import data.main_test.update_of

key := {"key_id": "0f3b1c52", "is_enabled": true, "enable_key_rotation": true}

every_token := ["forget-protected", "shorten-retention", "weaken-object-lock", "replace-subscription-policy", "repoint-delivery"]

test_disabling_a_key_is_denied_whatever_is_acknowledged if {
	denied(plan_of([update_of("aws_kms_key", key, object.union(key, {"is_enabled": false}))], every_token)) == ["key-disabled"]
}

test_enabling_a_key_passes if {
	denied(plan_of([update_of("aws_kms_key", object.union(key, {"is_enabled": false}), key)], [])) == []
}

test_an_unrelated_key_change_passes if {
	denied(plan_of([update_of("aws_kms_key", key, object.union(key, {"description": "new"}))], [])) == []
}
