# key-rotation-disabled: automatic rotation of a KMS key would be turned off
# (enable_key_rotation true -> false).
# @see https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
# @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#enable_key_rotation-1
package main

import rego.v1

violations contains found(
	"key-rotation-disabled", change,
	"would stop rotating automatically (enable_key_rotation: true -> false)",
) if {
	some change in changes
	change.type == "aws_kms_key"
	compared(change)
	change.change.before.enable_key_rotation == true
	change.change.after.enable_key_rotation == false
}
