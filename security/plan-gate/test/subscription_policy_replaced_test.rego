package main_test.subscription_policy_replaced

import rego.v1

import data.main_test.change_of
import data.main_test.denied
import data.main_test.messages
import data.main_test.plan_of
import data.main_test.update_of

type := "aws_cloudwatch_log_account_policy"

document := "{\"DestinationArn\":\"arn:aws:firehose:eu-west-1:210987654321:deliverystream/cwl-archive-to-archive\",\"FilterPattern\":\"\"}"

policy(criteria) := {
	"policy_name": "cwl-archive-to-archive",
	"policy_type": "SUBSCRIPTION_FILTER_POLICY",
	"policy_document": document,
	"scope": "ALL",
	"selection_criteria": criteria,
}

replacement(actions) := object.union(
	change_of(type, actions, policy("LogGroupName NOT IN [\"a\"]"), policy("LogGroupName NOT IN [\"a\", \"b\"]")),
	{"change": {"replace_paths": [["selection_criteria"]]}},
)

test_a_replacement_is_denied_and_names_what_forces_it if {
	plan := plan_of([replacement(["delete", "create"])], [])
	denied(plan) == ["subscription-policy-replaced"]
	some message in messages(plan)
	contains(message, "would be replaced (a change of selection_criteria forces it): log events ingested between its deletion and its creation are not forwarded")
}

test_a_create_before_destroy_replacement_is_denied_too if {
	denied(plan_of([replacement(["create", "delete"])], [])) == ["subscription-policy-replaced"]
}

test_replace_subscription_policy_allows_it if {
	denied(plan_of([replacement(["delete", "create"])], ["replace-subscription-policy"])) == []
}

test_an_update_in_place_passes if {
	denied(plan_of([update_of(type, policy("a"), object.union(policy("a"), {"policy_document": document}))], [])) == []
}

test_removing_the_policy_is_not_this_rule if {
	denied(plan_of([change_of(type, ["delete"], policy("a"), null)], [])) == []
}
