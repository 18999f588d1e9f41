package main_test.versioning_suspended

import rego.v1

import data.main_test.change_of
import data.main_test.denied
import data.main_test.plan_of
import data.main_test.update_of

type := "aws_s3_bucket_versioning"

versioning(status) := {"bucket": "archive", "versioning_configuration": [{"mfa_delete": "", "status": status}]}

every_token := ["forget-protected", "shorten-retention", "weaken-object-lock", "replace-subscription-policy", "repoint-delivery"]

test_suspending_versioning_is_denied_whatever_is_acknowledged if {
	denied(plan_of([update_of(type, versioning("Enabled"), versioning("Suspended"))], every_token)) == ["versioning-suspended"]
}

test_enabling_versioning_passes if {
	denied(plan_of([update_of(type, versioning("Suspended"), versioning("Enabled"))], [])) == []
}

test_new_enabled_versioning_passes if {
	denied(plan_of([change_of(type, ["create"], null, versioning("Enabled"))], [])) == []
}
