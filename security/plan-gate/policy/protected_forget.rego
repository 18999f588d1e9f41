# protected-forget: a protected resource would be forgotten. A `removed` block
# with `destroy = false` (Terraform 1.7 and later) plans ["forget"]: Terraform
# drops the resource from its state and leaves it in AWS, unmanaged. This
# project plans that when a registry change stops generating a protected
# resource (modules/constructs/retirement.ts); ["create", "forget"] replaces
# an object and forgets the old one.
# @see https://developer.hashicorp.com/terraform/language/block/removed
# @see https://github.com/hashicorp/terraform/blob/main/internal/command/jsonplan/plan.go
package main

import rego.v1

violations contains found("protected-forget", change, what) if {
	some change in changes
	change.type in protected_types
	"forget" in change.change.actions
	what := forgetting(change.change.actions)
}

forgetting(actions) := "would be replaced, and the old object forgotten: left in AWS, no longer managed by Terraform" if {
	"create" in actions
}

else := "would be forgotten: left in AWS, no longer managed by Terraform"
