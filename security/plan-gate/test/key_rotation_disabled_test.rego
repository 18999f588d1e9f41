package main_test.key_rotation_disabled

import rego.v1

import data.main_test.denied
import data.main_test.plan_of
import data.main_test.update_of

key := {"key_id": "0f3b1c52", "is_enabled": true, "enable_key_rotation": true}

every_token := ["forget-protected", "shorten-retention", "weaken-object-lock", "replace-subscription-policy", "repoint-delivery"]

test_turning_rotation_off_is_denied_whatever_is_acknowledged if {
	after := object.union(key, {"enable_key_rotation": false})
	denied(plan_of([update_of("aws_kms_key", key, after)], every_token)) == ["key-rotation-disabled"]
}

test_turning_rotation_on_passes if {
	denied(plan_of([update_of("aws_kms_key", object.union(key, {"enable_key_rotation": false}), key)], [])) == []
}
