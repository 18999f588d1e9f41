# subscription-policy-replaced: an account-level subscription filter policy
# would be replaced (its policy_name, policy_type or selection_criteria cannot
# change in place). Terraform deletes it (DeleteAccountPolicy) and puts it
# again (PutAccountPolicy): log events ingested between the two calls match no
# subscription and are never forwarded to the archive.
# @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html
# @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_account_policy
package main

import rego.v1

violations contains found("subscription-policy-replaced", change, what) if {
	some change in changes
	change.type == "aws_cloudwatch_log_account_policy"
	"delete" in change.change.actions
	"create" in change.change.actions
	what := sprintf(
		"would be replaced%s: log events ingested between its deletion and its creation are not forwarded",
		[forced_by(change)],
	)
}

# The attributes that force the replacement (replace_paths), when Terraform lists them.
forced_by(change) := sprintf(" (a change of %s forces it)", [concat(", ", paths)]) if {
	paths := sort([concat(".", [sprintf("%v", [step]) | some step in path]) | some path in change.change.replace_paths])
	count(paths) > 0
}

else := ""
