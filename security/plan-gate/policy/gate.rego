# The plan gate: denies a Terraform plan that would lose archived logs or the
# controls that guard them, unless the registry acknowledges the migration.
#
# Input: the plan JSON of one stack, as `terraform show -json <planfile>`
# prints it. That is what conftest receives from Atlantis's policy_check step
# ($SHOWFILE) and what `npm run gate` reads; HCP Terraform wraps the same
# document in `input.plan` (see hcp.rego).
# @see https://developer.hashicorp.com/terraform/internals/json-format
# @see https://www.runatlantis.io/docs/policy-checking
#
# Package `main` with `deny` and `warn` rules is what conftest evaluates by
# default, so Atlantis needs no extra arguments.
# @see https://www.conftest.dev/
#
# `import rego.v1` keeps this v1 syntax valid on OPA 0.59 and later too:
# conftest before 0.60 (which some Atlantis images ship) and older HCP
# Terraform OPA runtimes parse v0 by default.
# @see https://www.openpolicyagent.org/docs/v0-compatibility
# @see https://github.com/open-policy-agent/conftest/issues/1271
# @see https://www.openpolicyagent.org/projects/regal/rules/imports/use-rego-v1
#
# Every rule adds `violations` (rule id, resource address, what would happen);
# a violation is denied unless the rule has a token and the plan acknowledges
# it. The rules are in one file each, named after the rule; rules.rego lists
# them.
package main

import rego.v1

deny contains message(denial) if some denial in denials

# Violations that no acknowledgement allows.
denials contains violation if {
	some violation in violations
	not acknowledged_rule(violation.rule)
}

# Advisory findings about the acknowledgements themselves: they never block a plan.
warn contains sprintf(
	"[cwl-plan-gate %s] %s. See docs/plan-gate.md#acknowledgements",
	[advisory.rule, advisory.what],
) if {
	some advisory in advisories
}

# Acknowledgements the plan carries: the stack output `cwl_acknowledged_migrations`
# (a list of strings; absent, unknown or empty means none). planned_values
# holds every root module output the plan knows the value of, changed or not;
# an output whose value is known only after apply has no "value" key.
acknowledgements contains token if {
	value := acknowledgement_output.value
	is_array(value)
	some token in value
	is_string(token)
}

acknowledgement_output := input.planned_values.outputs.cwl_acknowledged_migrations

acknowledged_rule(rule) if rules[rule].token in acknowledgements

# Managed resource changes (a data source is read, never changed).
changes contains change if {
	some change in input.resource_changes
	change.mode == "managed"
}

# An update or a replacement: Terraform knows the object before and after.
# (A create has no "before", a delete or forget no "after".)
compared(change) if {
	is_object(change.change.before)
	is_object(change.change.after)
}

# The instances of a nested block: Terraform's plan JSON renders every nested
# block as an array, [] when absent.
blocks(value, key) := value[key] if is_array(value[key])

else := []

positive(value) if {
	is_number(value)
	value > 0
}

# Whether an attribute of the planned object is known only after apply.
unknown_after(change, path) if object.get(change.change.after_unknown, path, false) == true

found(rule, change, what) := {"rule": rule, "address": display_address(change), "what": what}

# A deposed object (left by a create_before_destroy that failed) shares its
# address with the current object.
display_address(change) := sprintf("%s (deposed object %s)", [change.address, change.deposed]) if is_string(change.deposed)

else := change.address

message(violation) := sprintf(
	"[cwl-plan-gate %s] %s %s. %s. See docs/day-two.md#%s",
	[violation.rule, violation.address, violation.what, allowance(violation.rule), rules[violation.rule].section],
)

allowance(rule) := sprintf("To allow it, acknowledge %q in the registry's migrations", [rules[rule].token]) if {
	is_string(rules[rule].token)
}

else := sprintf("No acknowledgement allows this: %s", [rules[rule].why_no_token])

advisories contains {"rule": "unknown-acknowledgement", "what": what} if {
	some token in acknowledgements
	not token in acknowledgement_tokens
	what := sprintf(
		"cwl_acknowledged_migrations lists %q, which the gate does not know (it knows %s)",
		[token, concat(", ", sort(acknowledgement_tokens))],
	)
}

# An acknowledgement that outlives its migration would let a later, unintended
# change of the same kind through.
advisories contains {"rule": "unused-acknowledgement", "what": what} if {
	some token in acknowledgements
	token in acknowledgement_tokens
	not token_needed(token)
	what := sprintf(
		"%q is acknowledged, but this plan needs no such acknowledgement: remove it from the registry's migrations once the migration is applied",
		[token],
	)
}

token_needed(token) if {
	some violation in violations
	rules[violation.rule].token == token
}

# Only worth saying when the plan needs an acknowledgement.
advisories contains {"rule": "acknowledgements-unreadable", "what": sprintf("%s, so no acknowledgement applies to this plan", [why])} if {
	some violation in violations
	is_string(rules[violation.rule].token)
	why := acknowledgements_unreadable
}

acknowledgements_unreadable := "the plan has no output cwl_acknowledged_migrations" if {
	not acknowledgement_output
} else := "the value of cwl_acknowledged_migrations is known only after apply" if {
	not "value" in object.keys(acknowledgement_output)
} else := "cwl_acknowledged_migrations is not a list" if {
	not is_array(acknowledgement_output.value)
}
