# HCP Terraform's entry point to the gate. HCP Terraform evaluates each
# policy of policies.hcl as a query that must return an array (an empty one
# passes), conventionally data.terraform.<package>.<rule>; its OPA input is
# not the bare plan JSON but {"plan": <plan JSON>, "run": <run data>}. This
# package only moves input.plan to where package main reads it.
# @see https://developer.hashicorp.com/terraform/cloud-docs/policy-enforcement/define-policies/opa
package terraform.policies.cwl_plan_gate

import rego.v1

import data.main

deny contains message if {
	denials := main.deny with input as input.plan
	some message in denials
}

# Fail closed: without a plan there is nothing the gate could have checked.
deny contains "[cwl-plan-gate no-plan] HCP Terraform passed no plan (input.plan): the gate cannot check this run" if {
	not input.plan
}

warn contains message if {
	warnings := main.warn with input as input.plan
	some message in warnings
}
