# The resource types this project marks `lifecycle.prevent_destroy`: the
# archive's keys, buckets and every setting that guards the data in them.
#
# The plan JSON does not carry prevent_destroy (it is configuration, and a
# `removed` block that forgets a resource has no lifecycle of its own), so the
# gate keys on the type. This list is the one place it is kept: the jest tests
# read it (__tests__/plan-gate/support.ts, protectedTypes()) and compare it
# with the types that carry prevent_destroy in the synthesised stacks. Keep
# it a JSON array literal, one type a line, sorted, with no comment inside.
# @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
package main

import rego.v1

protected_type_list := [
	"aws_kms_alias",
	"aws_kms_key",
	"aws_s3_bucket",
	"aws_s3_bucket_lifecycle_configuration",
	"aws_s3_bucket_logging",
	"aws_s3_bucket_object_lock_configuration",
	"aws_s3_bucket_ownership_controls",
	"aws_s3_bucket_policy",
	"aws_s3_bucket_public_access_block",
	"aws_s3_bucket_replication_configuration",
	"aws_s3_bucket_server_side_encryption_configuration",
	"aws_s3_bucket_versioning",
]

protected_types := {type | some type in protected_type_list}
