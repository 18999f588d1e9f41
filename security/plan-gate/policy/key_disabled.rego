# key-disabled: a KMS key would be disabled (is_enabled true -> false):
# nothing it encrypts can then be decrypted, nor anything new encrypted.
# @see https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html
# @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#is_enabled-1
package main

import rego.v1

violations contains found("key-disabled", change, "would be disabled (is_enabled: true -> false)") if {
	some change in changes
	change.type == "aws_kms_key"
	compared(change)
	change.change.before.is_enabled == true
	change.change.after.is_enabled == false
}
