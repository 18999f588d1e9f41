# protected-delete: a protected resource would be destroyed or replaced.
#
# Terraform's plan JSON lists a replacement as ["delete", "create"] or
# ["create", "delete"], so "delete" among the actions finds every destruction.
# prevent_destroy stops such a plan only while the resource is configured; a
# resource whose block disappears (action_reason
# delete_because_no_resource_config) is destroyed without it.
# @see https://developer.hashicorp.com/terraform/internals/json-format#change-representation
# @see https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy
package main

import rego.v1

violations contains found("protected-delete", change, what) if {
	some change in changes
	change.type in protected_types
	"delete" in change.change.actions
	what := sprintf("would be %s%s", [destruction(change.change.actions), reason(change)])
}

destruction(actions) := "replaced (destroyed, then created again)" if {
	actions == ["delete", "create"]
}

else := "replaced (created again, then the old object destroyed)" if {
	actions == ["create", "delete"]
}

else := "destroyed"

# Why Terraform chose the action: its action_reason, in words where the code is
# one this gate expects. The set of codes may grow, so an unknown one is shown as is.
# @see https://github.com/hashicorp/terraform/blob/main/internal/command/jsonplan/plan.go
reason(change) := sprintf(" (%s)", [reason_text(change.action_reason)]) if is_string(change.action_reason)

else := ""

reason_texts := {
	"delete_because_no_resource_config": "its resource is no longer in the configuration",
	"replace_because_cannot_update": "a change the provider cannot make in place",
	"replace_because_tainted": "it is tainted",
	"replace_by_request": "-replace was requested",
}

reason_text(code) := text if {
	text := reason_texts[code]
}

else := code
