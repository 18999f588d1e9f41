# object-lock-weakened: the bucket's Object Lock default retention would be
# weakened: COMPLIANCE turned into GOVERNANCE (under which a principal with
# s3:BypassGovernanceRetention may delete locked versions early), a shorter
# period, the default retention removed, or the configuration destroyed or
# forgotten (a destroyed one also hits protected-delete, a forgotten one
# protected-forget).
#
# A period in years is compared as 365 days a year.
# @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes
# @see https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_object_lock_configuration
package main

import rego.v1

violations contains found("object-lock-weakened", change, what) if {
	some change in object_lock_changes
	some action in ["delete", "forget"]
	action in change.change.actions
	what := sprintf("would be %s%s", [object_lock_fate[action], retention_lost(change.change.before)])
}

violations contains found("object-lock-weakened", change, what) if {
	some change in object_lock_changes
	compared(change)
	before := default_retention(change.change.before)
	not default_retention(change.change.after)
	what := sprintf("would remove the default retention (%s)", [retention_text(before)])
}

violations contains found(
	"object-lock-weakened", change,
	"would switch the default retention from COMPLIANCE to GOVERNANCE mode",
) if {
	some change in object_lock_changes
	compared(change)
	default_retention(change.change.before).mode == "COMPLIANCE"
	default_retention(change.change.after).mode == "GOVERNANCE"
}

violations contains found("object-lock-weakened", change, what) if {
	some change in object_lock_changes
	compared(change)
	before := default_retention(change.change.before)
	after := default_retention(change.change.after)
	retention_days(after) < retention_days(before)
	what := sprintf("would shorten the default retention from %s to %s", [period_text(before), period_text(after)])
}

object_lock_changes contains change if {
	some change in changes
	change.type == "aws_s3_bucket_object_lock_configuration"
}

object_lock_fate := {
	"delete": "destroyed",
	"forget": "forgotten: left in AWS, no longer enforced by Terraform",
}

# The default retention of a configuration: rule[0].default_retention[0], if any.
default_retention(configuration) := retention if {
	some rule in blocks(configuration, "rule")
	some retention in blocks(rule, "default_retention")
}

retention_days(retention) := retention.days if positive(retention.days)

else := retention.years * 365 if positive(retention.years)

period_text(retention) := sprintf("%v days", [retention.days]) if positive(retention.days)

else := sprintf("%v years", [retention.years]) if positive(retention.years)

else := "no period"

retention_text(retention) := sprintf("%s, %s", [retention.mode, period_text(retention)])

retention_lost(configuration) := sprintf(" (default retention: %s)", [retention_text(retention)]) if {
	retention := default_retention(configuration)
}

else := ""
